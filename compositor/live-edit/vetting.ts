// Vetting a new version of a guest before it replaces the live one: one lifecycle (an enum and
// one transition function) and the frame-rate judgement. Pure, so it is tested with fake time.
//
//   starting ──init ok──▶ previewing ──first frame──▶ measuring ──window full, in budget──▶ handing-over ──handed over──▶ passed
//       │                     │                          │                                     │
//       └──── failure ────────┴──────── failure ─────────┴── failure, or over budget ──────────┴── restore failed ──▶ rejected
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
      if (latencies.length < event.windowFrames) return { ...v, latencies };
      const typical = median(latencies);
      if (typical <= event.budgetMs) return { ...v, latencies, state: 'handing-over' };
      return {
        ...v,
        latencies,
        state: 'rejected',
        rejection: {
          phase: 'frame rate',
          message: `its frames took ${Math.round(typical)} ms (median of ${latencies.length}), over the layer's budget of ${Math.round(event.budgetMs)} ms`,
        },
      };
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
