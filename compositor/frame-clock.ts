// Rolling figures over the last frames: presentation rate and the main thread's work per frame.
// Fixed-size rings: nothing here grows with uptime.
const WINDOW = 120;
/** Frames kept for the HUD's frame-time plot. */
export const PLOT_FRAMES = 300;

export class FrameClock {
  private readonly stamps = new Float64Array(WINDOW);
  private readonly work = new Float64Array(WINDOW);
  private count = 0;
  private readonly plotInterval = new Float64Array(PLOT_FRAMES);
  private readonly plotWork = new Float64Array(PLOT_FRAMES);
  private lastStart = NaN;
  /** Shortest median frame interval seen over any full window: the display's own pace. */
  private bestMedianInterval = Infinity;

  /** Records one presented frame: when it started and how long the compositor worked on it. */
  record(startMs: number, workMs: number): void {
    const i = this.count % WINDOW;
    this.stamps[i] = startMs;
    this.work[i] = workMs;
    const p = this.count % PLOT_FRAMES;
    this.plotInterval[p] = Number.isNaN(this.lastStart) ? 0 : startMs - this.lastStart;
    this.plotWork[p] = workMs;
    this.lastStart = startMs;
    this.count += 1;
    if (this.count >= WINDOW && this.count % 30 === 0) {
      this.bestMedianInterval = Math.min(this.bestMedianInterval, this.medianIntervalMs());
    }
  }

  private medianIntervalMs(): number {
    const intervals: number[] = [];
    for (let k = this.count - WINDOW + 1; k < this.count; k++) {
      intervals.push(this.stamps[k % WINDOW]! - this.stamps[(k - 1) % WINDOW]!);
    }
    intervals.sort((a, b) => a - b);
    return intervals[intervals.length >> 1]!;
  }

  /** Frames per second over the window (0 until two frames are in). */
  fps(): number {
    const n = Math.min(this.count, WINDOW);
    if (n < 2) return 0;
    const newest = this.stamps[(this.count - 1) % WINDOW]!;
    const oldest = this.stamps[(this.count - n) % WINDOW]!;
    return newest > oldest ? ((n - 1) * 1000) / (newest - oldest) : 0;
  }

  /**
   * The display's frame interval, ms: the shortest median interval seen, else 60 Hz. Deadlines
   * and the pacer's budgets use this, not the current rate, so a guest that slows the whole
   * compositor down does not thereby earn itself a bigger budget.
   */
  nominalIntervalMs(): number {
    // No VR display refreshes slower than 60 Hz: a compositor that never ran unloaded still judges at 60.
    return Math.min(this.bestMedianInterval, 1000 / 60);
  }

  /** The last (up to) 300 frames, oldest first: interval since the previous frame and the compositor's work, ms. */
  recentFrames(): { interval: number[]; work: number[] } {
    const n = Math.min(this.count, PLOT_FRAMES);
    const interval: number[] = [];
    const work: number[] = [];
    for (let k = this.count - n; k < this.count; k++) {
      interval.push(this.plotInterval[k % PLOT_FRAMES]!);
      work.push(this.plotWork[k % PLOT_FRAMES]!);
    }
    return { interval, work };
  }

  /** Mean compositor main-thread ms per frame over the window. */
  meanWorkMs(): number {
    const n = Math.min(this.count, WINDOW);
    if (n === 0) return 0;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.work[i]!;
    return sum / n;
  }
}
