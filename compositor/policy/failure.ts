// What each kind of guest failure means for its layer. Pure and total: the compositor
// asks this, then acts.
//   fail     the guest can never work as loaded (bad module, setup threw): state `failed`.
//   restart  a crash: the supervisor restarts it, or quarantines it past the restart limit.
//   record   worth showing, not worth ending the guest for.
import type { GuestPhase } from '../../shared/protocol';

/** Where a layer's error came from: a guest phase, or what the compositor saw; 'reload': a new version was rejected. */
export type ErrorPhase = GuestPhase | 'composite' | 'protocol' | 'hang' | 'startup' | 'reload';

export interface LayerError {
  phase: ErrorPhase;
  message: string;
  stack?: string | undefined;
  /** The guest source line, where known (syntax errors). */
  line?: number | undefined;
}

export type FailureAction = 'fail' | 'restart' | 'record';

export function failureAction(phase: ErrorPhase): FailureAction {
  switch (phase) {
    case 'load':
    case 'setup':
      return 'fail';
    case 'frame':
    case 'protocol':
    case 'hang':
    case 'startup':
    case 'composite':
      return 'restart';
    case 'snapshot':
    case 'restore': // only a version under vetting is restored: its rejection, not a crash
    case 'runtime':
    case 'reload': // a rejected new version: the live one runs on untouched
      return 'record';
    default: {
      const check: never = phase;
      void check;
      return 'restart';
    }
  }
}
