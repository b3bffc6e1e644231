// Restart intensity, as Erlang/OTP's supervisor: at most `maxRestarts` restarts within
// `restartWindowMs`; one more crash in that window quarantines the guest. Pure: the caller
// passes the clock's reading and applies the decision (terminate, spawn) itself.
import type { Policy } from '../../shared/limits';

export type RestartPolicy = Pick<Policy, 'maxRestarts' | 'restartWindowMs' | 'backoffBaseMs' | 'backoffMaxMs'>;

/** The crash times still inside the window, newest first, with `now` added (OTP's add_restart). */
export function addRestart(history: readonly number[], now: number, windowMs: number): number[] {
  const threshold = now - windowMs;
  return [now, ...history.filter((t) => t >= threshold)];
}

export type SupervisorDecision =
  | { action: 'restart'; delayMs: number; history: number[] }
  | { action: 'quarantine'; reason: string; history: number[] };

/** What to do about a crash at `now`, given earlier crash times. */
export function onCrash(history: readonly number[], now: number, policy: RestartPolicy): SupervisorDecision {
  const next = addRestart(history, now, policy.restartWindowMs);
  if (next.length > policy.maxRestarts) {
    return {
      action: 'quarantine',
      reason: `crashed ${next.length} times within ${formatSeconds(policy.restartWindowMs)} (at most ${policy.maxRestarts} restarts allowed)`,
      history: next,
    };
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
