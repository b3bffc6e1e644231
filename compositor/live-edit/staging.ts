// A new version of a guest on its way in: the run it is vetted in (its own worker, same isolation
// as live guests), the vetting of it, and what it is (source, hash, where it came from).
import type { GuestRun } from '../guests/guest-run';
import type { VersionTrigger } from './history';
import type { Vetting, VettingPhase } from './vetting';
import type { ReloadTiming } from './reload-phases';

export interface PendingVersion {
  source: string;
  hash: string;
  trigger: VersionTrigger;
  /** Set when returning to a version already in the history (undo, redo, revert). */
  revertTo?: number | undefined;
  /** When its reload passed each step so far (the save, its detection, its fetch). */
  timing: ReloadTiming;
}

export interface Staging {
  /** Its own id (its preview's texture and its trace events carry it; never a layer). */
  id: number;
  /** The live layer it is a new version of. */
  layerId: number;
  /** The worker the new version runs in while vetted; null until the live state is taken. */
  run: GuestRun | null;
  vetting: Vetting;
  pending: PendingVersion;
  /** Whether the live version's snapshot() gave a state to hand the new version's setup. */
  stateCarried: boolean;
  /** Whether the new version's restore() took the live version's state at the swap. */
  stateRestored: boolean;
  /** When its reload passed each step (its pending version's, then vetting's own). */
  timing: ReloadTiming;
}

/** Frames a new version must deliver after its preview frame to be judged (the vetting window). */
export const VETTING_FRAMES = 30;

/** Which vetting phase a failure of the staging guest belongs to. */
export function vettingPhaseOf(errorPhase: string, started: boolean): VettingPhase {
  if (errorPhase === 'load') return 'load';
  if (errorPhase === 'setup' || (errorPhase === 'startup' && !started)) return 'setup';
  return 'preview';
}
