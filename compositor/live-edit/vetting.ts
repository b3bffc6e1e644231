// Vetting a new version of a guest before it replaces the live one: one lifecycle (an enum and
// one transition function) and the frame-rate judgement. Pure, so it is tested with fake time.
//
//   starting ──init ok──▶ previewing ──first frame──▶ measuring ──clearly in budget──▶ handing-over ──handed over──▶ passed
//       │                     │                          │                                 │
//       └──── failure ────────┴──────── failure ─────────┴── failure, or over budget ──────┴── restore failed ──▶ rejected
//
// Measuring decides as soon as the evidence does (a sequential test, not a fixed window):
//   - clearly in budget: EARLY_PASS_FRAMES frames, every one within PASS_MARGIN of the budget;
//     or TOLERANT_PASS_FRAMES frames or more, all but the slowest within it (one hitch on a busy
//     machine is not a trend);
//   - clearly over: the last CLEAR_OVERRUN_FRAMES frames all over OVERRUN_FACTOR times the budget;
//   - otherwise it measures on, and at the window's end (windowFrames) the median decides.
//
// Handing over: the live version is asked for no more frames, its snapshot() is taken and given
// to the new version's restore() (if it has one); then it takes the layer over (live-edit/editor.ts).
import { median } from '../../shared/median';

export type VettingState = 'starting' | 'previewing' | 'measuring' | 'handing-over' | 'passed' | 'rejected';

/** Where a rejected version failed (README "Live editing"). */
export type VettingPhase = 'load' | 'setup' | 'preview' | 'frame rate' | 'restore';
export const VETTING_PHASES: readonly VettingPhase[] = ['load', 'setup', 'preview', 'frame rate', 'restore'];

export interface Vetting {
  state: VettingState;
  /** Frame-return latencies of the frames delivered since the first (the vetting window). */
  latencies: number[];
  /** When the current state began, ms (the preview deadline counts from here). */
  since: number;
  rejection: { phase: VettingPhase; message: string; line?: number | undefined } | null;
}

export type VettingEvent =
  | { type: 'started'; at: number }
  | { type: 'frame'; at: number; latencyMs: number; windowFrames: number; budgetMs: number }
  | { type: 'failed'; phase: VettingPhase; message: string; line?: number | undefined }
  | { type: 'tick'; at: number; previewDeadlineMs: number }
  | { type: 'handed-over' };

/** Frames before a version can pass early (all within the margin; with one hitch allowed, the second count), and the share of the budget its frames must keep to. */
export const EARLY_PASS_FRAMES = 3;
export const TOLERANT_PASS_FRAMES = 5;
const PASS_MARGIN = 0.8;
/** Frames in a row, each this many times over the budget, that reject a version at once. */
export const CLEAR_OVERRUN_FRAMES = 3;
const OVERRUN_FACTOR = 2;

/** The frame-rate verdict on the latencies so far: pass, reject (with why), or measure on. */
export function judgeFrames(latencies: readonly number[], budgetMs: number, windowFrames: number): { verdict: 'pass' } | { verdict: 'reject'; message: string } | { verdict: 'measure' } {
  const n = latencies.length;
  const last = latencies.slice(-CLEAR_OVERRUN_FRAMES);
  if (last.length === CLEAR_OVERRUN_FRAMES && Math.min(...last) > OVERRUN_FACTOR * budgetMs) {
    return { verdict: 'reject', message: `its frames took ${Math.round(Math.min(...last))} ms or more (its last ${CLEAR_OVERRUN_FRAMES}), over the layer's budget of ${Math.round(budgetMs)} ms by twice or more` };
  }
  if (n >= EARLY_PASS_FRAMES) {
    const sorted = [...latencies].sort((a, b) => a - b);
    // Every frame within the margin, or, from TOLERANT_PASS_FRAMES on, all but the slowest.
    const judged = sorted[n - (n >= TOLERANT_PASS_FRAMES ? 2 : 1)]!;
    if (judged <= PASS_MARGIN * budgetMs) return { verdict: 'pass' };
  }
  if (n < windowFrames) return { verdict: 'measure' };
  const typical = median(latencies);
  if (typical <= budgetMs) return { verdict: 'pass' };
  return { verdict: 'reject', message: `its frames took ${Math.round(typical)} ms (median of ${n}), over the layer's budget of ${Math.round(budgetMs)} ms` };
}

export function startVetting(at: number): Vetting {
  return { state: 'starting', latencies: [], since: at, rejection: null };
}

export function vettingOver(v: Vetting): boolean {
  return v.state === 'passed' || v.state === 'rejected';
}

/** The one transition function. Events after the end change nothing. */
export function vet(v: Vetting, event: VettingEvent): Vetting {
  if (vettingOver(v)) return v;
  switch (event.type) {
    case 'started':
      return v.state === 'starting' ? { ...v, state: 'previewing', since: event.at } : v;
    case 'frame': {
      if (v.state === 'starting' || v.state === 'handing-over') return v;
      if (v.state === 'previewing') return { ...v, state: 'measuring', since: event.at, latencies: [] };
      const latencies = [...v.latencies, event.latencyMs];
      const judged = judgeFrames(latencies, event.budgetMs, event.windowFrames);
      switch (judged.verdict) {
        case 'measure':
          return { ...v, latencies };
        case 'pass':
          return { ...v, latencies, state: 'handing-over' };
        case 'reject':
          return { ...v, latencies, state: 'rejected', rejection: { phase: 'frame rate', message: judged.message } };
        default: {
          const check: never = judged;
          return check;
        }
      }
    }
    case 'failed':
      return { ...v, state: 'rejected', rejection: { phase: event.phase, message: event.message, line: event.line } };
    case 'handed-over':
      return v.state === 'handing-over' ? { ...v, state: 'passed' } : v;
    case 'tick':
      if (v.state === 'previewing' && event.at - v.since > event.previewDeadlineMs) {
        return { ...v, state: 'rejected', rejection: { phase: 'preview', message: `no preview frame within ${event.previewDeadlineMs} ms of setup` } };
      }
      return v;
    default: {
      const check: never = event;
      return check;
    }
  }
}

/** Measured frames per second of the version under vetting (from its latencies), for the preview label. */
export function vettingRate(v: Vetting, intervalMs: number): number {
  if (v.latencies.length === 0) return 0;
  const perFrame = Math.max(intervalMs, median(v.latencies));
  return 1000 / (Math.ceil(perFrame / intervalMs - 1e-6) * intervalMs);
}
