// The watchdog's rules, pure over an injected clock reading.
//   - A frame request carries a deadline; passing it without a delivery is one `missed`.
//   - A layer that missed is `stale` and still shown with its last frame, for `graceFrames`
//     compositor frames; then it is `dropped` until it delivers again.
//   - A started guest with no frame and no sign of life for `hangMs` is hung.
//   - A guest without a first frame `startupMs` after spawning failed to start.
import type { Policy } from '../../shared/limits';

export type WatchdogPolicy = Pick<Policy, 'graceFrames' | 'hangMs' | 'startupMs'>;

export interface Liveness {
  /** When the current worker was spawned. */
  spawnedAt: number;
  /** Last message of any kind from the guest runtime (frame, heartbeat, error). */
  lastLifeAt: number;
  /** When the current worker's first frame arrived; null before. */
  firstFrameAt: number | null;
}

export type LivenessVerdict = 'ok' | 'hang' | 'startup';

export function livenessVerdict(l: Liveness, now: number, policy: WatchdogPolicy): LivenessVerdict {
  if (l.firstFrameAt === null) return now - l.spawnedAt > policy.startupMs ? 'startup' : 'ok';
  return now - l.lastLifeAt > policy.hangMs ? 'hang' : 'ok';
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
