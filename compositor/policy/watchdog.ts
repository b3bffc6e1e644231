// The watchdog's rules, pure over an injected clock reading.
//   - A frame request carries a deadline; passing it without a delivery is one `missed`.
//   - A layer that missed is `stale` and still shown with its last frame, for `graceFrames`
//     compositor frames; then it is `dropped` until it delivers again.
//   - A started guest with no frame and no sign of life for `hangMs` is hung. While other guests
//     are starting (a burst of spawns: processes, runtimes to compile, on few cores), a guest's
//     thread can be starved of the CPU for longer without being hung: then the limit is at least
//     STARTING_HANG_MS.
//   - A guest without a first frame `startupMs` after its runtime first said it was alive failed
//     to start. The time before that (a process, the runtime to load and compile, queued behind
//     other guests' spawns) is the platform's, not the guest's: a runtime that never says anything
//     fails only after NO_LIFE_FACTOR × startupMs, and so does any guest without a first frame by
//     then (below the init call's 10 s deadline, which would fail it for good as a load failure).
import type { Policy } from '../../shared/limits';

export type WatchdogPolicy = Pick<Policy, 'graceFrames' | 'hangMs' | 'startupMs'>;

export interface Liveness {
  /** When the current worker was spawned. */
  spawnedAt: number;
  /** Last message of any kind from the guest runtime (frame, heartbeat, error). */
  lastLifeAt: number;
  /** When the current worker's runtime first said it was alive (its first heartbeat); null before. */
  firstLifeAt: number | null;
  /** When the current worker's first frame arrived; null before. */
  firstFrameAt: number | null;
}

export function newLiveness(spawnedAt: number): Liveness {
  return { spawnedAt, lastLifeAt: spawnedAt, firstLifeAt: null, firstFrameAt: null };
}

/** A sign of life from the guest at `now`. */
export function noteLife(l: Liveness, now: number): void {
  l.lastLifeAt = now;
  l.firstLifeAt ??= now;
}

/** The least hang limit while other guests are starting, ms. */
export const STARTING_HANG_MS = 1_000;
/** A runtime that never says it is alive fails to start after this many start-up limits. */
export const NO_LIFE_FACTOR = 2;

/** 'startup': no first frame in time; 'silent': its runtime never said it was alive; 'hang': alive once, silent too long. */
export type LivenessVerdict = 'ok' | 'hang' | 'startup' | 'silent';

/** Judges a guest's liveness at `now`; `othersStarting`: another guest is loading or restarting. */
export function livenessVerdict(l: Liveness, now: number, policy: WatchdogPolicy, othersStarting = false): LivenessVerdict {
  if (l.firstFrameAt === null) {
    // Never longer than NO_LIFE_FACTOR × startupMs from the spawn in all: the guest is crashed (and
    // restarted) before its init call's own deadline (CONTROL_CALL_TIMEOUT_MS) could fail it for good.
    if (now - l.spawnedAt > NO_LIFE_FACTOR * policy.startupMs) return l.firstLifeAt === null ? 'silent' : 'startup';
    return l.firstLifeAt !== null && now - l.firstLifeAt > policy.startupMs ? 'startup' : 'ok';
  }
  const limit = othersStarting ? Math.max(policy.hangMs, STARTING_HANG_MS) : policy.hangMs;
  return now - l.lastLifeAt > limit ? 'hang' : 'ok';
}

export interface InFlight {
  frameId: number;
  sentAt: number;
  /** The compositor frame (count) by whose start the frame must have arrived. */
  deadlineFrame: number;
  /** The same deadline as a time (ms), as told to the guest. */
  deadline: number;
  /** Whether this request has already been counted as missed. */
  missed: boolean;
}

/** A request sent during compositor frame `frame` at `now`, due in time for the frame `divisor` frames on. */
export function scheduleRequest(frameId: number, now: number, frame: number, frameIntervalMs: number, divisor: number): InFlight {
  return { frameId, sentAt: now, deadlineFrame: frame + divisor, deadline: now + frameIntervalMs * divisor, missed: false };
}

/** True exactly once per request: at the first compositor frame at or past its deadline with it undelivered. */
export function newlyMissed(request: InFlight | null, frame: number): boolean {
  return request !== null && !request.missed && frame >= request.deadlineFrame;
}

/** Whether a stale layer has used up its grace and must be dropped. */
export function graceExpired(staleFrames: number, policy: Pick<WatchdogPolicy, 'graceFrames'>): boolean {
  return staleFrames > policy.graceFrames;
}
