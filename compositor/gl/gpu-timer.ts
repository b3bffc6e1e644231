// The GPU time of the compositor's own composite, measured, not assumed: a fence after its draws,
// polled across tasks (a WebGL2 sync object's status is refreshed only between tasks) until it is
// signalled. On a shared in-order GPU queue this is its own work plus whatever was queued before
// it, which is what decides whether its frame lands on time. One fence at a time.
const GIVE_UP_MS = 1_000;
/** Measurements remembered for bestSince (a second or two of composites). */
const RECENT = 60;

export class GpuTimer {
  /** Submit → signalled time of the last measured composite, ms. */
  lastMs = 0;
  /** Composites measured so far. */
  measured = 0;
  /** The latest measurements (when, on `now`'s clock, and ms), at most RECENT oldest first. */
  private readonly recent: { at: number; ms: number }[] = [];
  private pending: { sync: WebGLSync; at: number } | null = null;

  constructor(
    private readonly gl: WebGL2RenderingContext,
    /** The clock measurements are dated by (the compositor's). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The fastest composite measured at or after `since` (on `now`'s clock), ms; undefined: none. */
  bestSince(since: number): number | undefined {
    let best: number | undefined;
    for (const m of this.recent) if (m.at >= since && (best === undefined || m.ms < best)) best = m.ms;
    return best;
  }

  /** Called right after the composite's draws are issued: fence them (unless one is still out). */
  submitted(): void {
    if (this.pending || this.gl.isContextLost()) return;
    const sync = this.gl.fenceSync(this.gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    if (!sync) return;
    this.gl.flush();
    this.pending = { sync, at: performance.now() };
    setTimeout(this.poll, 0);
  }

  // Runs in a task after the fence was issued, and again every ~1–4 ms until it is signalled.
  private readonly poll = (): void => {
    const pending = this.pending;
    if (!pending) return;
    const gl = this.gl;
    const elapsed = performance.now() - pending.at;
    if (gl.isContextLost()) {
      this.pending = null;
      return;
    }
    if (gl.getSyncParameter(pending.sync, gl.SYNC_STATUS) === gl.SIGNALED || elapsed > GIVE_UP_MS) {
      this.lastMs = elapsed;
      this.measured += 1;
      this.recent.push({ at: this.now(), ms: elapsed });
      if (this.recent.length > RECENT) this.recent.shift();
      gl.deleteSync(pending.sync);
      this.pending = null;
      return;
    }
    setTimeout(this.poll, 1);
  };

  /** Forget an outstanding fence (the context was rebuilt). */
  reset(): void {
    this.pending = null;
  }
}
