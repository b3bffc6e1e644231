// A guest marked for eviction by figures that a burst of starts inflates is held, not evicted,
// while other guests start: pure rules over the pacer's state (policy/pacer.ts), the caller's
// clock. Measured here (2 cores, SwiftShader, 16 three.js demo guests loaded at once at the
// defaults, probe): a healthy guest was quarantined in 2 runs of 5, once refused at admission by
// GPU time (74 ms at 1/8, 21 ms at 1/16: the queue of 15 starts ahead of its frames) and once for
// runaway frames (149–154 ms at 1/8, every 3rd frame, its thread starved). In a burst a healthy
// guest's figures and a hog's overlap (the gallery's shader takes 72–150 ms at 1/8): no figure
// taken then tells them apart; one taken once the starts are over does.
//   - Held: at its probe's scale (ADMISSION_SCALE, a sixteenth of 1/8's pixels) and the slowest
//     pace, so whatever its cost it holds the shared GPU queue a sixteenth as long, a third as
//     often; its pacer judges nothing meanwhile.
//   - Who: a guest refused at admission by GPU time, or marked for a second runaway frame before
//     it was proven, while starts are under way (another worker in the costly part of its start,
//     or a layer waiting for a start slot: guests/start-slots.ts); only if its probe's frames fit the
//     slowest pace, within the margin a refusal gives (GPU_REFUSAL_MARGIN: a hog too costly even at
//     1/32, such as the shader drawn 24 times a frame at 146 ms, is refused at once), and only once
//     per worker.
//   - Until: no start is under way, nor have START_SETTLE_STARTS others ended in the last
//     START_SETTLE_MS (a burst's tail, its guests' first frames and the queue they built up, outlasts
//     its slots: a clean-clone run refused a three.js demo among 16 for 179 ms at 1/8 just after the
//     starts; one other start's tail is small, and a hog loaded beside one healthy guest was held for
//     it and measured twice, its costly frames twice over), or HOLD_MAX_MS
//     (a gallery restarting one guest after another must not keep a hog in its hold for good). Then it is readmitted: its admission scales (1/16, then
//     1/8) are measured afresh, and its next mark is judged without a hold.
// Refusals by frame() time and by latency alone are not held: the first is its own thread's
// work, the second already waits while others start (policy/eviction.ts).
import type { Policy } from '../../shared/limits';
import { ADMISSION_SCALE, admissionBest, CONFIRM_SCALE, GPU_REFUSAL_MARGIN, ladder, PROBE_FRAMES, SCALES, type PacerState } from './pacer';

/** The longest a guest is held while others start before it is readmitted anyway, ms. */
export const HOLD_MAX_MS = 20_000;

/** How long after other guests' starts ended (each one's first frame, or its slot given back) starts still count as under way, ms. */
export const START_SETTLE_MS = 3000;
/** How many other starts must have ended within START_SETTLE_MS for their tail to count (a burst, not one neighbour). */
export const START_SETTLE_STARTS = 2;

/**
 * Whether starts are under way for a guest: a start slot taken or a layer waiting for one, or
 * START_SETTLE_STARTS other guests' starts ended within START_SETTLE_MS (`othersStartEndedAt`: when
 * each other live guest's start ended; null for one still starting or never started).
 */
export function startsUnderWay(slotsBusy: boolean, othersStartEndedAt: Iterable<number | null>, now: number): boolean {
  if (slotsBusy) return true;
  let recent = 0;
  for (const at of othersStartEndedAt) if (at !== null && now - at < START_SETTLE_MS) recent += 1;
  return recent >= START_SETTLE_STARTS;
}

export interface HoldCase {
  /** Its pacer as it marks the guest for eviction. */
  pacer: PacerState;
  /** Whether starts are under way (see the head of this file). */
  startsUnderWay: boolean;
  intervalMs: number;
}

/** Whether a guest marked for eviction is held instead (see the head of this file). */
export function shouldHold(c: HoldCase, policy: Pick<Policy, 'maxDivisor'>): boolean {
  const p = c.pacer;
  if (!p.adaptive || !p.evict || p.held || p.readmitted || !c.startsUnderWay) return false;
  const inflatable = p.refused ? p.refusedFor === 'gpu' : p.strikes >= 2 && !p.proven;
  // Its probe fits the slowest pace within the margin a refusal gives two frames: a burst's queue
  // put a healthy three.js guest's probe at 60 ms (its 1/16 frames at 93 ms) against the 50 ms bar.
  return inflatable && admissionBest(p).probeMs <= GPU_REFUSAL_MARGIN * Math.max(1, policy.maxDivisor) * c.intervalMs;
}

/** The pacer held: at its probe's scale and the slowest pace, unmarked. */
export function pacerHold(state: PacerState, policy: Pick<Policy, 'maxDivisor'>): PacerState {
  const steps = ladder(policy, state.adaptive);
  const bottom = steps.length - 1;
  return { ...state, level: bottom, divisor: steps[bottom]!.divisor, scale: ADMISSION_SCALE, samples: [], evict: false, refused: false, refusedFor: undefined, refusedMs: undefined, evictReason: undefined, held: true };
}

/** Whether a held guest is readmitted now: no start is under way, or it has been held HOLD_MAX_MS. */
export function holdEnds(heldForMs: number, startsUnderWay: boolean): boolean {
  return !startsUnderWay || heldForMs >= HOLD_MAX_MS;
}

/**
 * The pacer readmitted: back in admission after its probe, at 1/16 at every frame, its admission
 * figures at 1/16 and 1/8 and its runaway strikes forgotten (they were taken in the burst).
 */
export function pacerReadmit(state: PacerState): PacerState {
  return {
    ...state,
    // Where a new worker starts (initialPacer): the smallest scale's step, asked below it.
    level: SCALES.length - 1,
    divisor: 1,
    scale: CONFIRM_SCALE,
    frames: PROBE_FRAMES,
    samples: [],
    strikes: 0,
    admissionCosts: state.admissionCosts.filter((c) => c.scale === ADMISSION_SCALE),
    held: false,
    readmitted: true,
  };
}
