// What both HUDs draw the same way, on any 2-D canvas (the desktop's DOM canvases, the headset
// panel's OffscreenCanvas): the compositor's frame-time plot, a layer's frame-rate sparkline, and
// the frame-rate history behind that sparkline.
type Canvas2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Plot height in ms, and the interval above which a bar shows as late. */
const PLOT_MS = 50;
const LATE_MS = 20;

/** Bars of frame intervals (green, orange when late) with the compositor's own work (dark) and a 16.7 ms line, newest at the right. */
export function drawFramePlot(g: Canvas2D, frames: { interval: readonly number[]; work: readonly number[] }, r: Rect): void {
  const scale = r.height / PLOT_MS;
  const n = frames.interval.length;
  const bottom = r.y + r.height;
  for (let i = 0; i < n; i++) {
    const x = r.x + r.width - n + i;
    const interval = Math.min(PLOT_MS, frames.interval[i]!);
    g.fillStyle = interval > LATE_MS ? '#e96' : '#6a8';
    g.fillRect(x, bottom - interval * scale, 1, interval * scale);
    const work = Math.min(PLOT_MS, frames.work[i] ?? 0);
    g.fillStyle = '#246';
    g.fillRect(x, bottom - work * scale, 1, work * scale);
  }
  g.fillStyle = '#fff8';
  g.fillRect(r.x, Math.round(bottom - (1000 / 60) * scale), r.width, 1);
}

/** A line of frame rates (0–60 fps bottom to top), newest at the right. */
export function drawSparkline(g: Canvas2D, rates: readonly number[], r: Rect, lineWidth = 1): void {
  g.strokeStyle = '#8cf';
  g.lineWidth = lineWidth;
  g.beginPath();
  rates.forEach((rate, i) => {
    const x = r.x + r.width - rates.length + i;
    const y = r.y + r.height - 1 - Math.min(1, rate / 60) * (r.height - 2);
    if (i === 0) g.moveTo(x, y);
    else g.lineTo(x, y);
  });
  g.stroke();
}

/** A layer's fresh frames per second at each sample (its `presented` count over time), the last `keep`. */
export class RateHistory {
  readonly values: number[] = [];
  private presented = 0;
  private at = NaN;

  constructor(private readonly keep = 60) {}

  sample(presented: number, now: number): void {
    if (!Number.isNaN(this.at) && now > this.at) {
      this.values.push(((presented - this.presented) * 1000) / (now - this.at));
      if (this.values.length > this.keep) this.values.shift();
    }
    this.presented = presented;
    this.at = now;
  }

  /** The latest rate (0 before two samples). */
  get latest(): number {
    return this.values[this.values.length - 1] ?? 0;
  }
}
