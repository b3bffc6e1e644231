// Restart intensity, as Erlang/OTP's supervisor: at most `maxRestarts` restarts within
// `restartWindowMs`; one more crash in that window quarantines the guest. And intensity over the
// whole supervisor (a restart storm): when `stormGuests` or more other guests have restarted
// within `stormWindowMs`, a guest that crashes young (before STORM_YOUNG_FRAMES frames from its
// current worker: it never proved itself), by its own doing (the caller leaves out watchdog
// verdicts, which a starved machine can cause), is quarantined at once instead of restarted. Every
// restart is a process start, the most expensive moment of a guest's life for everyone else; a
// gallery crashing together (the HUD's chaos) kept two cores busy starting guests for 30 s, the
// compositor at 9–30 fps, to reach the quarantines it would reach anyway. A guest that had been
// running (a healthy one a storm's starvation made look hung) is restarted as usual.
// Pure: the caller passes the clock's reading and applies the decision (terminate, spawn) itself.
import type { Policy } from '../../shared/limits';

export type RestartPolicy = Pick<Policy, 'maxRestarts' | 'restartWindowMs' | 'backoffBaseMs' | 'backoffMaxMs' | 'stormGuests' | 'stormWindowMs'>;

/** A crashing guest whose current worker delivered fewer frames than this is young (see above). */
export const STORM_YOUNG_FRAMES = 60;

/** One restart anywhere on the page: which layer, when. */
export interface RestartRecord {
  layer: number;
  at: number;
}

/** What the storm rule needs about a crash: the page's recent restarts, and the crashing guest. */
export interface CrashContext {
  /** Restarts of every layer, any order (older ones than the window are ignored). */
  restarts: readonly RestartRecord[];
  /** The crashing layer. */
  layer: number;
  /** Frames its current worker delivered. */
  frames: number;
}

/** How many other layers restarted within the storm window before `now` (0 when the rule is off). */
export function otherGuestsRestarted(context: CrashContext, now: number, policy: Pick<RestartPolicy, 'stormGuests' | 'stormWindowMs'>): number {
  const others = new Set<number>();
  for (const r of context.restarts) if (r.layer !== context.layer && r.at >= now - policy.stormWindowMs && r.at <= now) others.add(r.layer);
  return others.size;
}

/** The crash times still inside the window, newest first, with `now` added (OTP's add_restart). */
export function addRestart(history: readonly number[], now: number, windowMs: number): number[] {
  const threshold = now - windowMs;
  return [now, ...history.filter((t) => t >= threshold)];
}

export type SupervisorDecision =
  | { action: 'restart'; delayMs: number; history: number[] }
  | { action: 'quarantine'; reason: string; history: number[] };

/** What to do about a crash at `now`, given earlier crash times. */
export function onCrash(history: readonly number[], now: number, policy: RestartPolicy, context?: CrashContext): SupervisorDecision {
  const next = addRestart(history, now, policy.restartWindowMs);
  if (next.length > policy.maxRestarts) {
    return {
      action: 'quarantine',
      reason: `crashed ${next.length} times within ${formatSeconds(policy.restartWindowMs)} (at most ${policy.maxRestarts} restarts allowed)`,
      history: next,
    };
  }
  if (context && policy.stormGuests > 0 && context.frames < STORM_YOUNG_FRAMES) {
    const others = otherGuestsRestarted(context, now, policy);
    if (others >= policy.stormGuests) {
      return {
        action: 'quarantine',
        reason: `crashed in a restart storm (${others} other guests restarted within ${formatSeconds(policy.stormWindowMs)}) after ${context.frames} frames: not restarted, to let the others run (retry it from the HUD)`,
        history: next,
      };
    }
  }
  return { action: 'restart', delayMs: backoffMs(next.length, policy), history: next };
}

/** Delay before the n-th restart within the window (n ≥ 1). */
export function backoffMs(n: number, policy: Pick<RestartPolicy, 'backoffBaseMs' | 'backoffMaxMs'>): number {
  return Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, n - 1));
}

function formatSeconds(ms: number): string {
  return `${+(ms / 1000).toFixed(1)} s`;
}
