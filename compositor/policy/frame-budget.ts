// The compositor's own frame comes first: pure rules over its measured frame intervals and its own
// cost (main-thread work plus the GPU time of its composite, measured by a fence), per window of
// frames. Two answers, in this order:
//   - pressure (0.25..1): while frames come late and the compositor's own composite is not what
//     makes them late, every guest's budget shrinks by this factor (pacer.ts turns that into
//     smaller or slower guest frames); back up by steps while frames are on time;
//   - outputScale: while its own composite costs more than OWN_SHARE of the interval, the
//     compositor's output (the XR layer's framebuffer scale; the emulator's canvas) drops by a step,
//     and rises again when a step up would still fit comfortably.
// Pure: samples in, state out; the clock is the caller's.

/**
 * Output scales of the compositor's own framebuffer, largest first. On a GPU that shades in
 * software the composite is most of the machine: measured here (2 cores, SwiftShader), the
 * default demos at ×0.5 cost the GPU process about 21 ms of CPU per frame with every guest frozen
 * (1.3 of the 2 cores, about 20 ns per layer pixel), against 6 ms with no layer. The guests live
 * on what is left, so the bottom steps go below ×0.5: at ×0.35 (half the pixels of ×0.5) the same
 * bench run had the default demos at 0.95× of a blank page, fresh 38–45 %, against 0.83× and
 * 29–31 % with ×0.5 the floor, and chaos back to 50 fps after 14 s against 28 s.
 */
export const OUTPUT_SCALES = [1, 0.85, 0.7, 0.6, 0.5, 0.4, 0.35] as const;
/** Frames per judgement. */
export const BUDGET_WINDOW = 30;
/** A frame whose interval exceeds this many nominal intervals is late (counted for stats). */
export const LATE_FACTOR = 1.3;
/**
 * A window whose mean interval exceeds this many nominal intervals is not on time (about 55 fps
 * at 60 Hz). The mean, not a count of late frames: one hitch on a loaded machine is not a trend.
 */
const LATE_MEAN = 1.08;
/** The compositor's own cost may take this share of the interval; over it, the output shrinks. */
export const OWN_SHARE = 0.6;
/** A step up must leave its predicted cost under this share of the interval. */
const OWN_UP_SHARE = 0.45;
export const MIN_PRESSURE = 0.25;
const PRESSURE_DOWN = 0.7;
const PRESSURE_UP = 0.2;

export interface BudgetState {
  /** Guests' budgets are multiplied by this (1: no pressure). */
  pressure: number;
  /** Index into OUTPUT_SCALES. */
  outputLevel: number;
  outputScale: number;
  /** Whether the output scale may move (false: page URL adapt=0). */
  adaptive: boolean;
  /** The current window: frames, late frames, the sum of intervals and the own costs (ms). */
  frames: number;
  late: number;
  intervals: number;
  own: number[];
  /** Windows judged in all, and those with late frames (for stats). */
  windows: number;
  lateWindows: number;
}

export function initialBudget(adaptive = true): BudgetState {
  return { pressure: 1, outputLevel: 0, outputScale: 1, adaptive, frames: 0, late: 0, intervals: 0, own: [], windows: 0, lateWindows: 0 };
}

/** One presented frame: its interval since the previous one, and the compositor's own cost for it, ms. */
export interface FrameSample {
  intervalMs: number;
  ownMs: number;
}

export function budgetRecord(state: BudgetState, sample: FrameSample, nominalMs: number): BudgetState {
  const frames = state.frames + 1;
  const late = state.late + (sample.intervalMs > LATE_FACTOR * nominalMs ? 1 : 0);
  const intervals = state.intervals + sample.intervalMs;
  const own = [...state.own, sample.ownMs];
  if (frames < BUDGET_WINDOW) return { ...state, frames, late, intervals, own };
  const sorted = [...own].sort((a, b) => a - b);
  const ownMedian = sorted[sorted.length >> 1]!;
  const next: BudgetState = { ...state, frames: 0, late: 0, intervals: 0, own: [], windows: state.windows + 1 };
  if (intervals / frames > LATE_MEAN * nominalMs) {
    next.lateWindows += 1;
    if (state.adaptive && ownMedian > OWN_SHARE * nominalMs && state.outputLevel < OUTPUT_SCALES.length - 1) {
      next.outputLevel = state.outputLevel + 1;
      next.outputScale = OUTPUT_SCALES[next.outputLevel]!;
      return next;
    }
    if (state.adaptive) next.pressure = Math.max(MIN_PRESSURE, state.pressure * PRESSURE_DOWN);
    return next;
  }
  next.pressure = Math.min(1, state.pressure + PRESSURE_UP);
  if (state.adaptive && state.outputLevel > 0) {
    const up = OUTPUT_SCALES[state.outputLevel - 1]!;
    const growth = (up / state.outputScale) ** 2;
    if (ownMedian * growth < OWN_UP_SHARE * nominalMs) {
      next.outputLevel = state.outputLevel - 1;
      next.outputScale = up;
    }
  }
  return next;
}

/**
 * Guest frames in flight at once while the compositor is under pressure. Measured on this project's
 * 2-core software-GL machine (bench section 8, the default demos): one at a time left the demos
 * fresh in 15 % of frames with the compositor at 0.68× (a guest frame's return is mostly hops and
 * waiting, not work: serialising them wastes the surplus); two, 29 % at 0.86×; three, 34 % at
 * 0.69× (more guest work than the surplus holds).
 */
export const PRESSURE_SLOTS = 2;

/**
 * The guest frames that may be in flight at once (asked, not yet delivered). Every guest's GPU
 * work queues in the one GPU process ahead of the compositor's next composite, and a queue of
 * several guests' frames is what makes the compositor late when one of them is a hog. While the
 * compositor is under pressure, at most PRESSURE_SLOTS guest frames are in flight: its own frame
 * waits behind at most that many, and a hog's victims still get frames between its frames (the
 * eviction rule judges each guest by its fastest frames, and an admission against its neighbours'
 * frames of the same moments). Without pressure, no limit. A request past its deadline holds no
 * slot (freeGuestSlots): a guest hung in its frame must never starve the others of their turn.
 */
export function guestFrameSlots(state: Pick<BudgetState, 'pressure'>): number {
  return state.pressure < 1 ? PRESSURE_SLOTS : Infinity;
}

/** Slots free now, given the guests' requests in flight: one past its deadline holds none. */
export function freeGuestSlots(state: Pick<BudgetState, 'pressure'>, inFlight: Iterable<{ missed: boolean } | null>): number {
  let held = 0;
  for (const request of inFlight) if (request && !request.missed) held += 1;
  return guestFrameSlots(state) - held;
}

/**
 * Which of the guests due for a frame are asked now, given the slots free: an `urgent` one first
 * (the focused guest with input waiting: the user's press should be seen at once), then those
 * that have waited longest since their last request (so one guest cannot hold the gate), ties in
 * their order.
 */
export function grantGuestFrames<T>(due: readonly { run: T; waited: number; urgent?: boolean }[], free: number): T[] {
  if (free <= 0) return [];
  // Array sort is stable: ties keep their order.
  return [...due]
    .sort((a, b) => Number(b.urgent ?? false) - Number(a.urgent ?? false) || b.waited - a.waited)
    .slice(0, free)
    .map((d) => d.run);
}
