// Render grants: which of the guests due for a frame are asked this compositor frame, so that the
// guest work queued on the shared GPU queue ahead of the compositor's next composite fits the
// interval's surplus. Pure: costs, the clock's readings and the budget in, grants out.
//
// Every WebGL context, the compositor's and each guest's, is one sequence on one in-order GPU
// queue, and nothing preempts a draw once submitted: a guest frame asked now runs before the
// compositor's next composite. So each compositor frame, after its own composite is issued:
//   - each guest's cost is its own GPU time per frame. A frame reports its transfer's wait
//     (shared/protocol.ts), which is its own work plus the queue ahead of it, and the plan knows
//     that queue when it grants the frame: the composite just issued (its fenced GPU time) and the
//     frames granted before it, still held (`aheadMs`). Its own time is the wait less that; its
//     cost, the median of its last COST_SAMPLES, brought to the scale it is asked at now (the cost
//     grows with the side here, as the pacer's step up predicts: policy/pacer.ts). Measured here
//     (2 cores, SwiftShader, the default demos at 1/8): waits of 3–20 ms a frame, 10 ms the median,
//     with the composite's own 10–14 ms ahead of them; the wait itself as the cost would have
//     planned four demos at 25 % fresh where they keep 50 %;
//   - the surplus is the interval less the compositor's own cost at its least contention (the
//     window's OWN_FLOOR_QUANTILE: main-thread work plus its composite's fenced GPU time), times
//     the pressure while frames come late (policy/frame-budget.ts);
//   - the backlog is what the frames already granted still hold of it: each one's cost less the
//     time since it was asked (a frame past its cost's time is done with the queue, or waits for
//     something other than the GPU: it holds nothing). A guest hung in its frame holds the queue
//     no longer than its cost, so it cannot starve the others of their turn;
//   - the guests due are taken in order (the focused one with input waiting first, then the
//     longest waiting, so none can hold the queue: round-robin in effect), each granted if its
//     cost fits what backlog and the grants before it left of the surplus; one that does not fit
//     waits, and having waited longer, goes first next time. When nothing is left of the backlog,
//     the first is granted whatever its cost: a costly guest is delayed until the queue is clear,
//     never starved (the pacer makes it smaller and slower; eviction judges whether it can fit at
//     all), and a cheaper one behind it still gets what is left of a surplus.
// With adaptation off (page URL adapt=0) every guest due is asked (no plan: the figures "grants
// off" in bench section 8).
import { median } from '../../shared/median';

/** Frames whose median own GPU time is a guest's cost. */
export const COST_SAMPLES = 8;

/** One delivered frame: its transfer's wait, the queue the plan knew was ahead of it when it was granted, and the scale it was asked at. */
export interface CostSample {
  gpuMs: number;
  aheadMs: number;
  scale: number;
}

/**
 * A guest's GPU cost per frame at `scale`, ms: the median of its last COST_SAMPLES frames' own GPU
 * time (the wait less the queue ahead, at least 0), each brought to `scale` by the ratio of the
 * sides. 0 before any frame (a new worker's first frames are its tiny admission probe).
 */
export function guestCostMs(recent: readonly CostSample[], scale: number): number {
  const own: number[] = [];
  for (const sample of recent.slice(-COST_SAMPLES)) {
    if (sample.scale > 0) own.push((Math.max(0, sample.gpuMs - sample.aheadMs) * scale) / sample.scale);
  }
  return median(own);
}

/** A frame granted and not yet delivered: its cost when it was asked, and when that was. */
export interface GrantedFrame {
  costMs: number;
  sentAt: number;
}

/** What the frames granted and not yet delivered still hold of the queue at `now`, ms. */
export function backlogMs(inFlight: Iterable<GrantedFrame | null>, now: number): number {
  let held = 0;
  for (const frame of inFlight) if (frame) held += Math.max(0, frame.costMs - Math.max(0, now - frame.sentAt));
  return held;
}

/** A guest due for a frame: how long it has waited (compositor frames), whether input waits for it, and its cost. */
export interface GrantCandidate<T> {
  run: T;
  waited: number;
  urgent?: boolean;
  costMs: number;
}

export interface GrantPlan<T> {
  granted: T[];
  /** For each granted frame, what the plan knew was queued ahead of it among guests' frames (the backlog and the grants before it), ms. */
  ahead: number[];
  /** The sum of the granted frames' costs, ms. */
  grantedMs: number;
}

/**
 * The guests asked now, in order, given the backlog and the surplus (ms; Infinity: all of them).
 * See the head of this file.
 */
export function planGrants<T>(due: readonly GrantCandidate<T>[], backlog: number, surplus: number): GrantPlan<T> {
  // Array sort is stable: ties keep their order.
  const order = [...due].sort((a, b) => Number(b.urgent ?? false) - Number(a.urgent ?? false) || b.waited - a.waited);
  const granted: T[] = [];
  const ahead: number[] = [];
  let committed = backlog;
  let grantedMs = 0;
  for (const candidate of order) {
    const first = granted.length === 0 && committed <= 0;
    if (!first && committed + candidate.costMs > surplus) continue;
    granted.push(candidate.run);
    ahead.push(committed);
    committed += candidate.costMs;
    grantedMs += candidate.costMs;
  }
  return { granted, ahead, grantedMs };
}
