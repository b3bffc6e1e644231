// The compositor's own frame comes first: pure rules over its measured frame intervals and its own
// cost (main-thread work plus the GPU time of its composite, measured by a fence), per window of
// frames. Two answers, in this order:
//   - pressure (0.25..1): while frames come late and the compositor's own composite is not what
//     makes them late, every guest's budget shrinks by this factor (pacer.ts turns that into
//     smaller or slower guest frames); back up by steps while frames are on time;
//   - outputScale: while its own composite costs more than OWN_SHARE of the interval, the
//     compositor's output (the XR layer's framebuffer scale; the emulator's canvas) drops by a step,
//     and rises again when a step up would still fit comfortably;
// and from these, the surplus guests' render grants share each interval (guestSurplusMs;
// policy/grants.ts plans them).
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
/**
 * The share of a window's own costs below which its floor lies (policy/grants.ts): its own cost
 * with the least guest work queued ahead of its composite. Measured here (2 cores, SwiftShader, the
 * default demos): own costs of 5–21 ms a frame, 14 ms the median, 10.5 ms the tenth percentile;
 * the median counts guests' frames queued ahead of the composite as its own.
 */
export const OWN_FLOOR_QUANTILE = 0.1;
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
  /**
   * The compositor's own cost at its least contention, ms: the last window's OWN_FLOOR_QUANTILE of
   * its own costs (0 before the first window). The surplus guests' grants must fit is the interval
   * less this (guestSurplusMs).
   */
  ownFloorMs: number;
  /** Windows judged in all, and those with late frames (for stats). */
  windows: number;
  lateWindows: number;
}

export function initialBudget(adaptive = true): BudgetState {
  return { pressure: 1, outputLevel: 0, outputScale: 1, adaptive, frames: 0, late: 0, intervals: 0, own: [], ownFloorMs: 0, windows: 0, lateWindows: 0 };
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
  const ownFloorMs = sorted[Math.floor(OWN_FLOOR_QUANTILE * (sorted.length - 1))]!;
  const next: BudgetState = { ...state, frames: 0, late: 0, intervals: 0, own: [], ownFloorMs, windows: state.windows + 1 };
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
 * The GPU time per interval guests' granted frames may take, ms (policy/grants.ts): the interval
 * less the compositor's own cost at its least contention, times the pressure. Infinity with
 * adaptation off (every guest due is asked).
 */
export function guestSurplusMs(state: Pick<BudgetState, 'pressure' | 'ownFloorMs' | 'adaptive'>, nominalMs: number): number {
  if (!state.adaptive) return Infinity;
  return Math.max(0, nominalMs - state.ownFloorMs) * state.pressure;
}
