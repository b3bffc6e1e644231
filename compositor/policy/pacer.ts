// Per-guest quality: the scale of its surface it renders at and the pace it is asked at, chosen
// from its own measured frame-return latency (request → delivery, which includes its GPU time:
// a frame cannot be transferred before its GPU work is done). Pure: samples in, state out.
//
// A guest moves along one ladder, best first: its full surface at every frame, then smaller
// surfaces (each step ~1.25× fewer pixels per side) down to 1/8, then every 2nd … maxDivisor-th
// frame at 1/8 (SteamVR and Meta's runtimes give a slow app a smaller render target before they
// halve its rate). A slow machine gets smaller or slower guest frames, never evicted ones:
//   - Admission: a new worker (first load, restart, a version under vetting) renders its first
//     PROBE_FRAMES frames at ADMISSION_SCALE (1/32), then CONFIRM_FRAMES at CONFIRM_SCALE (1/16),
//     then 1/8, at every frame, and earns larger surfaces by measured cost, so a GPU hog never
//     renders full size first.
//   - Down: when a quarter of a window's frames miss their budget (divisor intervals), one scale
//     smaller: each late frame is a stale one on screen. At the smallest scale, when most of them
//     do (pacerLateFraction), one step slower. The compositor's `pressure` (when it is itself
//     late) shrinks the budget for moves between scales only: it buys smaller frames, never
//     slower ones.
//   - Up: when all frames but one of a window would still fit its budget at the next step's size
//     (a faster pace: with 10 % to spare), one step up. Latency grows with the side rather than the pixel count here (a frame's fixed
//     costs, the hops and the transfer, dominate small surfaces); a step that then proves late is
//     not tried again for CEILING_FRAMES frames, doubling each time it fails again (TCP's
//     ssthresh, in effect), so a guest does not swing between two steps.
//   - Refusal at admission: when, among its first ADMISSION_FRAMES frames (probe, 1/16 and 1/8), even the
//     fastest but the first (shader compilation) of ADMISSION_SAMPLES or more takes longer than a
//     runaway frame (RUNAWAY_INTERVALS intervals), no scale can fit it: it is marked for eviction
//     before it ever renders larger. Latency short of that refuses no one at admission: it is
//     everyone's waits as much as the guest's own cost (a healthy guest that clears its surface,
//     started first beside the whole gallery, once had 7 admission frames of 84 ms and more), and
//     the guest's own costs are judged exactly by the two refusals below.
//   - Refusal by GPU time at admission: each frame says its GPU time (taking its bitmap waits for
//     the GPU process to finish its work and what was queued ahead; shared/protocol.ts). A new
//     worker's admission scales each have 4× the pixels of the one before (1/32, 1/16, 1/8);
//     when the fastest of its first GPU_CONFIRM_FRAMES frames at 1/16 or at 1/8 is over the
//     bottom's whole budget (maxDivisor intervals) by a quarter (GPU_REFUSAL_MARGIN) and either
//     GPU_GROWTH times its fastest at the scale before (the cost grows with its pixels: its own
//     work, not the queue's contention, which does not) or a runaway frame's length, yet at most
//     GPU_GROWTH_MAX times that (more than its pixels explain is a wait behind others), it is marked
//     for refusal, whatever its neighbours' latencies (a GPU hog stretches every guest's latency
//     alike, not their GPU time: the caller compares its figure with theirs, policy/eviction.ts
//     costRefusalReason). At 1/16 already: a hog too costly there is never asked at 1/8, where its
//     frames would hold the shared queue four times as long.
//   - Refusal by CPU time at admission: when the fastest frame() of its first ADMISSION_SAMPLES
//     but the first takes longer than the bottom's budget, its own thread's work cannot fit even
//     the slowest pace, and no scale shortens it: marked for refusal (the caller compares it with
//     its neighbours' frame() times).
//   - Runaway: one frame that takes more than RUNAWAY_INTERVALS intervals puts the guest at once at
//     the bottom of the ladder; a second one there, once it has RUNAWAY_SETTLE frames there, marks
//     it for eviction (the caller then asks whether its fastest frames stand out).
//   - Evict: at the bottom, most of a window still misses the bottom's own budget (pressure aside).
//     The caller decides (policy/eviction.ts): a guest is evicted only for its own cost.
//   - Proven: once a full window after admission kept mostly within its step's budget, the guest
//     is known to fit; the eviction rule then takes later slowness for the machine's, for a while.
// With `adaptive` off (page URL adapt=0), the scale stays 1 and only the pace moves (the old pacer).
import type { Policy } from '../../shared/limits';
import { median } from '../../shared/median';

export type PacerPolicy = Pick<Policy, 'maxDivisor' | 'pacerWindow' | 'pacerLateFraction'>;

/** The scales of its surface a guest may render at, largest first (linear; 1/8 is the floor). */
export const SCALES = [1, 0.8, 0.64, 0.5, 0.4, 0.32, 0.25, 0.2, 0.16, 0.125] as const;
export const MIN_SCALE: number = SCALES[SCALES.length - 1]!;
/**
 * A new worker's first PROBE_FRAMES frames are asked at a quarter of the smallest scale (1/16 of
 * its pixels): its admission probe. A GPU hog's first frame (its shaders compiling) then holds the
 * shared queue a sixteenth as long, and the probe's GPU times are what its frames at CONFIRM_SCALE
 * are compared with: a guest's own GPU work grows with its pixels, the queue's contention does not.
 */
export const ADMISSION_SCALE = MIN_SCALE / 4;
/** Frames asked at ADMISSION_SCALE (the first compiles shaders; the others measure). */
export const PROBE_FRAMES = 3;
/**
 * Then CONFIRM_FRAMES frames at half the smallest scale (4× the probe's pixels, a quarter of
 * 1/8's), compared with the probe's: a hog whose own work is already too costly here is refused
 * before it is ever asked at 1/8. Measured (a healthy guest beside a fixture drawing the gallery's
 * shader 24 times a frame): at 1/16 then 1/8 it held the compositor at 1–6 fps for 3 s, its
 * frames at 1/8 taking 1.9 s each, before its latency refused it.
 */
export const CONFIRM_SCALE = MIN_SCALE / 2;
/** Frames at 1/16 or at 1/8 whose GPU times judge a refusal by GPU time there (its fastest of them). */
export const GPU_CONFIRM_FRAMES = 2;
/** Frames asked at CONFIRM_SCALE: as many as a judgement by GPU time there takes. */
export const CONFIRM_FRAMES = GPU_CONFIRM_FRAMES;
/** A refusal by GPU time needs its frames at 1/16 or 1/8 at least this much slower than its fastest at the scale before (the cost is its pixels'). */
export const GPU_GROWTH = 1.5;
/**
 * ...and at most this many times its fastest at the scale before: each admission scale has 4× the
 * pixels of the one before, so a guest's own GPU work grows at most about 4× (less, for its fixed
 * cost); far more is the wait behind another context's frames on the shared queue. Measured: a
 * healthy guest that clears its surface, started beside the gallery's shader drawn 24 times a
 * frame, took 13 ms at 1/32 and 528 ms at 1/16 (its frames queued behind the hog's, 530 ms each),
 * and was refused, standing out against the hog's fastest (its probe's 146 ms); the hog itself grew
 * 3.6×, the gallery's shader 3.3× (1/16 to 1/8).
 */
export const GPU_GROWTH_MAX = 8;
/** Whether a frame at this scale is one of a new worker's admission scales (the probe, 1/16, 1/8). */
const isAdmissionScale = (scale: number) => scale === ADMISSION_SCALE || scale === CONFIRM_SCALE || scale === MIN_SCALE;
/**
 * ...and their fastest over the bottom's budget by this factor: two frames are a snap judgement,
 * and a guest just over the budget may fit most frames at the slowest pace (the pacer and the
 * eviction rule judge it over whole windows). Measured: with 16 three.js demo guests starting, a
 * healthy one's fastest 2 frames at 1/8 took 53 ms (20 ms at 1/16) and it was refused; the
 * gallery's shader takes 72–150 ms there.
 */
export const GPU_REFUSAL_MARGIN = 1.25;
/**
 * A window with this share of its frames late moves the guest to a smaller scale (at the same
 * pace; the page's pacerLateFraction, if lower, wins). A step to a slower pace, and eviction, take
 * pacerLateFraction (most of the window): a slower pace halves what a viewer sees at once, a smaller
 * scale only softens it. Every late frame is a stale one on screen. Measured here, a lone guest
 * that only clears its surface: with the slower pace's share for scales too (6 of 8), it sat at
 * scales where up to 5 of its 8 frames came late, fresh in 82–86 % of frames (bench section 8);
 * with a quarter, 90–97 % once settled. A step up still needs all but one of a window to fit it.
 */
export const SCALE_LATE_FRACTION = 0.25;
/**
 * One frame longer than this many display intervals is a runaway frame: its return latency, and
 * the part of it the guest spent in its own frame (its frame() and its transfer's wait). The rest
 * of a latency waited on threads not its own: the request for its worker's thread, the delivery
 * for the page's main thread. Measured, 16 three.js demo guests loaded at once at the defaults:
 * frames of 135–270 ms whose own part took 10–190 ms (frame() 1–19 ms), every demo struck
 * again and again for a burst it had no part in, and a healthy one quarantined in 1 test run of 3.
 */
export const RUNAWAY_INTERVALS = 8;
/** Deliveries a step that proved late is not tried again for (doubling on each failure, at most 16×). */
export const CEILING_FRAMES = 30;
/** Admission: the frames judged for refusal, and how many it takes. */
export const ADMISSION_FRAMES = 10;
const ADMISSION_SAMPLES = 4;
/** A guest's first frames include shader compilation and warm-up: no runaway strike for these. */
const WARMUP_FRAMES = 10;
/** Frames at the bottom before a runaway strike there marks a guest (its fastest among them judges it). */
export const RUNAWAY_SETTLE = 3;

export interface PacerStep {
  scale: number;
  divisor: number;
}

export interface PacerState {
  /** Ask every `divisor`-th compositor frame (1 = every frame). */
  divisor: number;
  /** Render at this share of the surface's width and height (1 = full size). */
  scale: number;
  /** Index on the ladder (0 = full size, every frame). */
  level: number;
  /** Whether scale moves at all (false: scale 1, pace only). */
  adaptive: boolean;
  /** Latency samples (ms) at the current step, oldest first, at most pacerWindow. */
  samples: number[];
  /** Frames delivered in all (for the warm-up). */
  frames: number;
  /** Runaway frames so far. */
  strikes: number;
  /** A step that proved late (the ladder index above which the guest stays), and for how many more frames; -1: none. */
  ceiling: number;
  ceilingFrames: number;
  /** How many times in a row stepping up to the ceiling failed (the wait doubles). */
  ceilingFailures: number;
  /** Set when the guest is late even at the bottom of the ladder (or ran away twice, or was refused at admission); the caller may evict it. */
  evict: boolean;
  /** Refused at admission (see above). */
  refused: boolean;
  /** Its admission frames' costs, in order (at most ADMISSION_FRAMES; pacerCostRecord). */
  admissionCosts: FrameCost[];
  /** What a refusal at admission was for: its GPU time or its frame()'s own time (pacerCostRecord); undefined: neither. */
  refusedFor: 'gpu' | 'cpu' | undefined;
  /** The figure a refusal by cost was for (the fastest GPU or frame() time it judged), ms; undefined: none. */
  refusedMs: number | undefined;
  /**
   * It has fit: a full window after its admission frames, at some step, where most frames kept
   * within that step's own budget. Slowness later is taken for the machine's for a while
   * (policy/eviction.ts: PROVEN_PATIENCE_MS).
   */
  proven: boolean;
  /** Why it was marked for eviction, in figures. */
  evictReason: string | undefined;
  /**
   * Held at its probe's scale and the slowest pace, its marks waiting for a calm machine
   * (policy/admission-hold.ts): it moves no step and is marked for nothing meanwhile.
   */
  held: boolean;
  /** It was held once and readmitted: its next mark is judged without a hold. */
  readmitted: boolean;
}

/** The ladder for this policy, best first. */
export function ladder(policy: Pick<Policy, 'maxDivisor'>, adaptive: boolean): PacerStep[] {
  const steps: PacerStep[] = adaptive ? SCALES.map((scale) => ({ scale, divisor: 1 })) : [{ scale: 1, divisor: 1 }];
  const bottomScale = adaptive ? MIN_SCALE : 1;
  for (let divisor = 2; divisor <= Math.max(1, policy.maxDivisor); divisor++) steps.push({ scale: bottomScale, divisor });
  return steps;
}

/** A new worker's pacer: adaptive ones start at the smallest scale, at every frame (admission). */
export function initialPacer(policy: Pick<Policy, 'maxDivisor'> = { maxDivisor: 3 }, adaptive = true): PacerState {
  const level = adaptive ? SCALES.length - 1 : 0;
  const step = ladder(policy, adaptive)[level]!;
  return { ...step, scale: adaptive ? ADMISSION_SCALE : step.scale, level, adaptive, samples: [], frames: 0, strikes: 0, ceiling: -1, ceilingFrames: 0, ceilingFailures: 0, evict: false, refused: false, admissionCosts: [], refusedFor: undefined, refusedMs: undefined, proven: false, evictReason: undefined, held: false, readmitted: false };
}

/** No mark: the guest is kept (each frame's judgement sets the marks it finds). */
const KEEP = { evict: false, refused: false, evictReason: undefined } as const;

function at(state: PacerState, level: number, policy: PacerPolicy, extra: Partial<PacerState> = {}): PacerState {
  const step = ladder(policy, state.adaptive)[level]!;
  return { ...state, ...step, level, samples: [], ...extra };
}

/**
 * Records one frame-return latency and re-judges the step. `pressure` (0..1, 1 = none) shrinks
 * every budget while the compositor's own frame is late (policy/frame-budget.ts). `ownMs`: the
 * part of the latency spent in the guest's own frame (see RUNAWAY_INTERVALS; default, all of it).
 */
export function pacerRecord(state: PacerState, latencyMs: number, frameIntervalMs: number, policy: PacerPolicy, pressure = 1, ownMs = latencyMs): PacerState {
  const steps = ladder(policy, state.adaptive);
  const bottom = steps.length - 1;
  const frames = state.frames + 1;
  // Held (policy/admission-hold.ts): its frames are counted and kept, nothing is judged.
  if (state.held) return { ...state, frames, samples: [...state.samples, latencyMs].slice(-policy.pacerWindow) };
  if (frames > WARMUP_FRAMES && Math.min(latencyMs, ownMs) > RUNAWAY_INTERVALS * frameIntervalMs) {
    const strikes = state.strikes + 1;
    if (state.level !== bottom) return at({ ...state, frames, strikes, ...KEEP }, bottom, policy);
    // At the bottom a runaway frame is a sample like any other: a guest queued behind another's GPU
    // work has one now and then, and is judged by its fastest frames (policy/eviction.ts). Marked
    // once it has settled there (RUNAWAY_SETTLE frames at the bottom) with a second strike.
    const samples = [...state.samples, latencyMs].slice(-policy.pacerWindow);
    if (strikes >= 2 && samples.length >= RUNAWAY_SETTLE) {
      return { ...state, frames, strikes, samples, evict: true, evictReason: `runaway frames at ${describeStep(state)}: the latest took ${Math.round(latencyMs)} ms and the fastest of its last ${samples.length} ${Math.round(Math.min(...samples))} ms (one frame may take ${Math.round(RUNAWAY_INTERVALS * frameIntervalMs)} ms)` };
    }
    return { ...state, frames, strikes, samples, ...KEEP };
  }
  const samples = [...state.samples, latencyMs].slice(-policy.pacerWindow);
  const ceilingFrames = Math.max(0, state.ceilingFrames - 1);
  // Every mark is judged afresh on each frame: a refusal the caller deferred (its neighbours were
  // as slow) must not outlive the admission frames it was about and come back against later ones.
  const next: PacerState = { ...state, frames, samples, ceilingFrames, ...KEEP };
  // The probe ends after its frames: on to 1/16, and after those to 1/8.
  if (next.scale === ADMISSION_SCALE && frames >= PROBE_FRAMES) next.scale = CONFIRM_SCALE;
  else if (next.scale === CONFIRM_SCALE && frames >= PROBE_FRAMES + CONFIRM_FRAMES) next.scale = MIN_SCALE;
  if (state.adaptive && frames <= ADMISSION_FRAMES && isAdmissionScale(state.scale) && samples.length >= ADMISSION_SAMPLES && frames === samples.length) {
    // Far past the bottom's budget (a runaway's length), a few frames suffice (the eviction rule
    // checks them against its neighbours' frames of the same moments).
    const fastest = Math.min(...samples.slice(1));
    if (fastest > RUNAWAY_INTERVALS * frameIntervalMs) {
      return { ...next, evict: true, refused: true, evictReason: `refused at admission: at ${MIN_SCALE} scale its frames take at least ${Math.round(fastest)} ms, more than ${RUNAWAY_INTERVALS} display intervals (${Math.round(RUNAWAY_INTERVALS * frameIntervalMs)} ms), so no scale and pace can fit it` };
    }
  }
  if (samples.length < policy.pacerWindow) return next;
  const stepBudget = state.divisor * frameIntervalMs;
  // Not from its admission frames (near-empty frames while a guest loads its assets prove nothing).
  if (!next.proven && frames > ADMISSION_FRAMES && samples.filter((s) => s <= stepBudget).length >= policy.pacerLateFraction * samples.length) next.proven = true;
  // Pressure buys smaller frames, not slower ones: it shrinks the budget only for moves between
  // scales at the same pace (a step down to a slower pace is judged against the plain budget).
  const squeeze = Math.min(1, Math.max(0, pressure));
  const downIsScale = state.level < bottom && steps[state.level + 1]!.divisor === state.divisor;
  const budget = state.divisor * frameIntervalMs * (downIsScale ? squeeze : 1);
  const late = samples.filter((s) => s > budget).length / samples.length;
  const lateShare = downIsScale ? Math.min(SCALE_LATE_FRACTION, policy.pacerLateFraction) : policy.pacerLateFraction;
  if (late >= lateShare) {
    // A new worker's first frames are slow for its start (its shaders compiling, its process and
    // code warming up), not its steady cost: a window holding any of them slows no one's pace,
    // which, with the ceiling below, would halve its first second of frames for nothing.
    if (!downIsScale && state.adaptive && frames - samples.length < ADMISSION_FRAMES) return next;
    if (state.level < bottom) {
      // This step proved late: stay below it for a while (longer each time it fails in a row).
      const failures = state.ceiling === state.level ? state.ceilingFailures + 1 : 0;
      return at(next, state.level + 1, policy, { ceiling: state.level, ceilingFrames: CEILING_FRAMES * 2 ** Math.min(4, failures), ceilingFailures: failures });
    }
    // At the bottom: late against its own budget (pressure aside) means it cannot fit at all.
    const ownBudget = state.divisor * frameIntervalMs;
    const ownLate = samples.filter((s) => s > ownBudget).length / samples.length;
    if (ownLate >= policy.pacerLateFraction) {
      return { ...next, evict: true, evictReason: `too slow: even at ${describeStep(state)} its frames take ${Math.round(median(samples))} ms (fastest ${Math.round(Math.min(...samples))} ms), more than the ${Math.round(ownBudget)} ms that allows` };
    }
    return next;
  }
  if (state.level > 0 && !(next.ceiling === state.level - 1 && next.ceilingFrames > 0)) {
    const up = steps[state.level - 1]!;
    // Latency grows with the side here (see above); a faster pace shrinks the budget.
    const growth = up.scale / state.scale;
    const fasterPace = up.divisor < state.divisor;
    const upBudget = up.divisor * frameIntervalMs * (fasterPace ? 1 : squeeze);
    // All but one frame of the window (one hitch on a busy machine is not a trend).
    const fitting = samples.filter((s) => s * growth <= (fasterPace ? 0.9 : 1) * upBudget).length;
    if (fitting >= samples.length - 1) return at(next, state.level - 1, policy);
  }
  return next;
}

/** What one admission frame cost: its GPU time, its own thread's time in frame(), and the scale it was asked at. */
export interface FrameCost {
  gpuMs: number;
  cpuMs: number;
  scale: number;
}

/**
 * Records one frame's costs (shared/protocol.ts: its GPU time is its bitmap transfer's wait, its
 * CPU time the rest of its render time). Within its admission frames it is marked refused
 * (`evict`, `refused`, `refusedFor`) when
 *   - 'gpu': once GPU_CONFIRM_FRAMES frames at 1/16 (or at 1/8) are in, the fastest of their GPU
 *     times is over the bottom's budget by GPU_REFUSAL_MARGIN and either GPU_GROWTH times its
 *     fastest at the scale before (the probe's after its first, or 1/16's; the cost grows with its
 *     pixels, so it is its own) or a runaway
 *     frame's length;
 *   - 'cpu': once ADMISSION_SAMPLES frames are in, the fastest of their frame() times but the
 *     first's (which builds its scene) is over the bottom's budget: no scale shortens its own
 *     thread's work, and it cannot deliver a frame at even the slowest pace.
 * The caller compares the figure with its neighbours' (policy/eviction.ts costRefusalReason).
 * Outside admission it returns the state.
 */
export function pacerCostRecord(state: PacerState, cost: FrameCost, frameIntervalMs: number, policy: Pick<Policy, 'maxDivisor'>): PacerState {
  if (!state.adaptive || state.held || state.frames > ADMISSION_FRAMES || !isAdmissionScale(cost.scale)) return state;
  const admissionCosts = [...state.admissionCosts, cost];
  const next: PacerState = { ...state, admissionCosts, ...KEEP, refusedFor: undefined, refusedMs: undefined };
  const best = admissionBest(next);
  const bottomBudget = Math.max(1, policy.maxDivisor) * frameIntervalMs;
  const runaway = RUNAWAY_INTERVALS * frameIntervalMs;
  const refuse = (refusedFor: 'gpu' | 'cpu', evictReason: string): PacerState => ({ ...next, evict: true, refused: true, refusedFor, evictReason });
  const slowest = `more than the ${Math.round(bottomBudget)} ms between its frames at the slowest pace`;
  // At 1/16 against the probe, then at 1/8 against 1/16: the first scale whose frames are too costly.
  for (const [scale, at, before, beforeScale] of [[CONFIRM_SCALE, best.confirm, best.probeMs, ADMISSION_SCALE], [MIN_SCALE, best.bottom, best.confirm.ms, CONFIRM_SCALE]] as const) {
    if (at.frames < GPU_CONFIRM_FRAMES || at.ms <= GPU_REFUSAL_MARGIN * bottomBudget || !(at.ms >= GPU_GROWTH * before || at.ms > runaway)) continue;
    // Grown far past its pixels (4× a step): the wait behind another context's work, not its own.
    if (at.ms > GPU_GROWTH_MAX * before) continue;
    const smaller = Number.isFinite(before) ? `; at ${beforeScale} scale, ${Math.round(before)} ms` : '';
    return { ...refuse('gpu', `refused at admission: at ${scale} scale its frames' GPU work takes at least ${Math.round(at.ms)} ms (the fastest of ${at.frames}${smaller}), ${slowest}, so no scale and pace can fit it`), refusedMs: at.ms };
  }
  if (best.cpuFrames >= ADMISSION_SAMPLES - 1 && best.cpuMs > bottomBudget) {
    return { ...refuse('cpu', `refused at admission: its frame() itself takes at least ${Math.round(best.cpuMs)} ms of its thread's time (the fastest of ${best.cpuFrames}), ${slowest}, and no scale shortens it`), refusedMs: best.cpuMs };
  }
  return next;
}

/** The fastest of some GPU times and how many there are (Infinity where there are none). */
export interface Fastest {
  ms: number;
  frames: number;
}

/**
 * Its admission frames' costs: the fastest GPU time at 1/16 and at 1/8 and how many there are,
 * the fastest of its probe's but the first (which compiles its shaders), and the fastest frame()
 * time but the first's and how many; Infinity where there are none.
 */
export function admissionBest(state: Pick<PacerState, 'admissionCosts'>): { confirm: Fastest; bottom: Fastest; probeMs: number; cpuMs: number; cpuFrames: number } {
  const at = (scale: number): Fastest => {
    const times = state.admissionCosts.filter((c) => c.scale === scale).map((c) => c.gpuMs);
    return { ms: Math.min(...times), frames: times.length };
  };
  const probe = state.admissionCosts.slice(1).filter((c) => c.scale === ADMISSION_SCALE).map((c) => c.gpuMs);
  const cpu = state.admissionCosts.slice(1).map((c) => c.cpuMs);
  return { confirm: at(CONFIRM_SCALE), bottom: at(MIN_SCALE), probeMs: Math.min(...probe), cpuMs: Math.min(...cpu), cpuFrames: cpu.length };
}

/** The machine's load changed (a guest ended): steps that proved late may be tried again at once. */
export function forgetCeiling(state: PacerState): PacerState {
  return { ...state, ceilingFrames: 0, ceilingFailures: 0 };
}

/** "1/8 scale, every 3rd frame" and the like. */
export function describeStep(step: PacerStep): string {
  const pace = step.divisor === 1 ? 'every frame' : `every ${ordinal(step.divisor)} frame`;
  return `${Math.round(step.scale * 1000) / 1000} scale, ${pace}`;
}

/** Whether to ask the guest for a frame, `framesSinceRequest` compositor frames after its last request. */
export function pacerDue(state: Pick<PacerState, 'divisor'>, framesSinceRequest: number): boolean {
  return framesSinceRequest >= state.divisor;
}

/** "2nd", "3rd", "4th" … for pacing text ("asked every 3rd frame"); '' for 1. */
export function ordinal(n: number): string {
  return n === 1 ? '' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}

/**
 * Eviction asks more than "late at the bottom": the guest must stand out. When every guest is late
 * together (the machine is loaded, or one guest's GPU work holds the shared queue), evicting them
 * one by one would empty the scene for nothing. Each guest is judged by its *fastest* recent
 * frame, which contention inflates least. A guest stands out when it is alone, or its fastest
 * frame is at least `factor` times the median of the others' fastest frames.
 */
export function standsOut(candidateBestMs: number, othersBestMs: readonly number[], factor = 2): boolean {
  if (othersBestMs.length === 0) return true;
  return candidateBestMs >= factor * median(othersBestMs);
}

/** A guest's fastest recent frame-return latency, ms (its cost with the least contention in it). */
export function bestLatency(state: Pick<PacerState, 'samples'>): number {
  return state.samples.length ? Math.min(...state.samples) : 0;
}
