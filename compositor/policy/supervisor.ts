// Restart intensity, as Erlang/OTP's supervisor: at most `maxRestarts` restarts within
// `restartWindowMs`; one more crash in that window quarantines the guest. And intensity over the
// whole supervisor (a restart storm): when `stormGuests` or more other guests have restarted
// within `stormWindowMs`, a guest that crashes young (before STORM_YOUNG_FRAMES frames from its
// current worker: it never proved itself), by its own doing (the caller leaves out watchdog
// verdicts, which a starved machine can cause), is quarantined at once instead of restarted. Every
// restart is a process start, the most expensive moment of a guest's life for everyone else; a
// gallery crashing together (the HUD's chaos) kept two cores busy starting guests for 30 s, the
// compositor at 9–30 fps, to reach the quarantines it would reach anyway. A guest that had been
// running (a healthy one a storm's starvation made look hung) is restarted as usual. A hang the
// watchdog called while other guests were heard from (the machine was not starving them) counts
// as the guest's own doing: a young guest that busy-loops in frame() in a storm is not restarted.
// A guest whose runtime fell silent before its first frame in SILENT_STARTS starts in a row (the
// watchdog's setup-hang: a busy loop in its module or setup(), silent for the whole start-up
// silence limit, which already widens while the machine starves every guest) is quarantined
// instead of started again: guest code that busy-loops before its first frame does so at every
// start, and each try held a core for seconds (on 2 cores the compositor at 26–46 fps for 9 s).
// Pure: the caller passes the clock's reading and applies the decision (terminate, spawn) itself.
import type { Policy } from '../../shared/limits';

export type RestartPolicy = Pick<Policy, 'maxRestarts' | 'restartWindowMs' | 'backoffBaseMs' | 'backoffMaxMs' | 'stormGuests' | 'stormWindowMs'>;

/** What the watchdog saw when it called a crash (none of it for a crash the guest reported itself). */
export interface WatchdogSaw {
  /** The runtime fell silent before its first frame (a setup-hang). */
  silentStart: boolean;
  /** Another guest was heard from within the hang limit's base (hangMs) of the verdict: the machine was not starving every guest. */
  othersHeard: boolean;
}
export const NOTHING_SEEN: WatchdogSaw = { silentStart: false, othersHeard: false };

/** Starts in a row whose runtime fell silent before a first frame that quarantine a guest (see above). */
export const SILENT_STARTS = 2;

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
  /** Whether the guest's own code caused the crash (default true; false for a watchdog verdict, which a starved machine can cause: the storm rule leaves those out). */
  ownDoing?: boolean;
  /** Starts in a row, this one included, whose runtime fell silent before a first frame (0 when this crash is not one). */
  silentStarts?: number;
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
  if (context && (context.silentStarts ?? 0) >= SILENT_STARTS) {
    return {
      action: 'quarantine',
      reason: `fell silent before its first frame in ${context.silentStarts} starts in a row (a busy loop in its module or setup(), each try holding a core): not restarted again (retry it from the HUD)`,
      history: next,
    };
  }
  if (context && context.ownDoing !== false && policy.stormGuests > 0 && context.frames < STORM_YOUNG_FRAMES) {
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
