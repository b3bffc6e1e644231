// The watchdog's rules, pure over an injected clock reading.
//   - A frame request carries a deadline; passing it without a delivery is one `missed`.
//   - A layer that missed is `stale` and still shown with its last frame, for `graceFrames`
//     compositor frames; then it is `dropped` until it delivers again.
//   - A started guest with no frame and no sign of life for `hangMs` is hung. While other guests
//     are starting (a burst of spawns: processes, runtimes to compile, on few cores), a guest's
//     thread can be starved of the CPU for longer without being hung: then the limit is at least
//     STARTING_HANG_MS. And a guest is judged against its siblings: while even the most recently
//     heard of the other guests has been silent for a while, the machine is starving every
//     guest's thread (a slow machine, a burst of work), not hanging this one: the limit is at
//     least CONTENTION_FACTOR times that silence (at most MAX_HANG_FACTOR × hangMs).
//   - A guest whose last sign of life said it was about to compile shaders (a GL call that blocks
//     its thread while a software GL compiles them: hundreds of ms for a three.js material here)
//     is busy, not hung: its limit is at least COMPILE_HANG_MS until it is heard from again.
//   - Before its first frame, a runtime silent for SETUP_HANG_MS after it said it was alive (a
//     busy loop in the guest's module or setup()) is hung in its start-up.
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
  /** Its last sign of life said it was about to compile shaders (and nothing since). */
  compiling: boolean;
  /** Since when its timer heartbeats have come without a gap over STEADY_GAP_MS and with no GL-call notice between (its thread free); null: not now. */
  steadySince: number | null;
}

export function newLiveness(spawnedAt: number): Liveness {
  return { spawnedAt, lastLifeAt: spawnedAt, firstLifeAt: null, firstFrameAt: null, compiling: false, steadySince: null };
}

/** The runtime beats every HEARTBEAT_MS (50 ms) while its thread is free: a gap over this means it was busy. */
export const STEADY_GAP_MS = 150;

/**
 * What a sign of life was: the runtime's timer heartbeat (its thread is free), a notice just before
 * a GL call that may block while shaders compile, a notice just before another GL call that waits
 * for the GPU process (shared/protocol.ts), or any other message (a frame, an error report).
 */
export type LifeSign = 'beat' | 'compiling' | 'waiting' | 'message';

/** A sign of life from the guest at `now`. A notice before a GL call breaks the steady run (the thread is working); any other sign keeps it, or starts one after a gap. */
export function noteLife(l: Liveness, now: number, sign: LifeSign = 'beat'): void {
  if (sign === 'compiling' || sign === 'waiting') l.steadySince = null;
  else if (l.steadySince === null || now - l.lastLifeAt > STEADY_GAP_MS) l.steadySince = now;
  l.lastLifeAt = now;
  l.firstLifeAt ??= now;
  l.compiling = sign === 'compiling';
}

/** How long after its runtime's first heartbeat a start without a first frame holds its start slot, ms. */
export const START_SLOT_HOLD_MS = 1_500;
/** A start heard from steadily this long with no notice before a GL call is waiting, not working, ms. */
export const START_IDLE_MS = 400;

/**
 * Whether a start (no first frame yet) is past its costly part and may give its start slot to the
 * next guest waiting: its runtime has been up for START_SLOT_HOLD_MS (a process and the runtime
 * are behind it; what remains is the guest's own load and setup), or, sooner, only its timer has
 * beaten, steadily, for START_IDLE_MS and it is heard from now: it waits on its network or on a
 * promise that never settles, and costs the machine nothing (in the HUD's chaos a setup that never
 * settles held a slot for 1.5 s at every try, with a dozen cold starts queued behind it). A start
 * busy in its load or setup beats in gaps, and one making GL calls (a context, shaders, three.js's
 * renderer) sends notices before them: either keeps its slot. One whose module graph is fetched
 * over a slow network gives it up before its GL work, as it did after 1.5 s before.
 */
export function startPastCostlyPart(l: Liveness, now: number): boolean {
  if (l.firstLifeAt === null) return false;
  if (now - l.firstLifeAt > START_SLOT_HOLD_MS) return true;
  return !l.compiling && l.steadySince !== null && now - l.steadySince >= START_IDLE_MS && now - l.lastLifeAt <= STEADY_GAP_MS;
}

/** The least hang limit after a guest said it was about to compile shaders, ms. */
export const COMPILE_HANG_MS = 2_000;

/** The least hang limit while other guests are starting, ms. */
export const STARTING_HANG_MS = 1_000;
/** While the best-heard other guest has been silent for s ms, a guest may be silent CONTENTION_FACTOR × s. */
export const CONTENTION_FACTOR = 3;
/** Contention never widens the hang limit past this many hangMs. */
export const MAX_HANG_FACTOR = 8;
/** A runtime that never says it is alive fails to start after this many start-up limits. */
export const NO_LIFE_FACTOR = 2;

/** 'startup': no first frame in time; 'silent': its runtime never said it was alive; 'hang': alive once, silent too long; 'setup-hang': silent too long before its first frame. */
export type LivenessVerdict = 'ok' | 'hang' | 'startup' | 'silent' | 'setup-hang';

/**
 * Before its first frame, a runtime that said it was alive and then fell silent this long (its
 * heartbeat stopped: a busy loop in the guest's module or setup()) is hung, ms; as for a hang,
 * contention may widen it (hangLimitMs). A busy loop in setup() used to burn a core for the whole
 * start-up limit, at each of its restarts (a quarter of this 2-core machine in the HUD's chaos).
 */
export const SETUP_HANG_MS = 2_000;

/**
 * The hang limit now, ms: hangMs, at least STARTING_HANG_MS while others start, and widened while
 * every other guest is silent too (`othersQuietMs`: the shortest silence among the other running
 * guests; 0 when there are none).
 */
export function hangLimitMs(policy: Pick<WatchdogPolicy, 'hangMs'>, othersStarting: boolean, othersQuietMs = 0): number {
  const base = othersStarting ? Math.max(policy.hangMs, STARTING_HANG_MS) : policy.hangMs;
  return Math.max(base, Math.min(MAX_HANG_FACTOR * policy.hangMs, CONTENTION_FACTOR * othersQuietMs));
}

/**
 * The silence limit before a first frame, ms: SETUP_HANG_MS, the hang limit if that is longer, and
 * widened like it while every other guest is silent too (up to the start-up limit).
 */
export function setupHangLimitMs(policy: Pick<WatchdogPolicy, 'hangMs' | 'startupMs'>, othersStarting: boolean, othersQuietMs = 0): number {
  return Math.max(SETUP_HANG_MS, hangLimitMs(policy, othersStarting, othersQuietMs), Math.min(policy.startupMs, CONTENTION_FACTOR * othersQuietMs));
}

/** Judges a guest's liveness at `now`; `othersStarting`: another guest is loading or restarting; `othersQuietMs`: see hangLimitMs. */
export function livenessVerdict(l: Liveness, now: number, policy: WatchdogPolicy, othersStarting = false, othersQuietMs = 0): LivenessVerdict {
  if (l.firstFrameAt === null) {
    // Never longer than NO_LIFE_FACTOR × startupMs from the spawn in all: the guest is crashed (and
    // restarted) before its init call's own deadline (CONTROL_CALL_TIMEOUT_MS) could fail it for good.
    if (now - l.spawnedAt > NO_LIFE_FACTOR * policy.startupMs) return l.firstLifeAt === null ? 'silent' : 'startup';
    if (l.firstLifeAt !== null && now - l.lastLifeAt > setupHangLimitMs(policy, othersStarting, othersQuietMs)) return 'setup-hang';
    return l.firstLifeAt !== null && now - l.firstLifeAt > policy.startupMs ? 'startup' : 'ok';
  }
  const limit = hangLimitMs(policy, othersStarting, othersQuietMs);
  return now - l.lastLifeAt > (l.compiling ? Math.max(limit, COMPILE_HANG_MS) : limit) ? 'hang' : 'ok';
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

/** A request unanswered this many hang limits after its deadline is given up (the guest is asked again). */
export const ABANDON_FACTOR = 4;

/** Whether a request still in flight at `now` is lost: ABANDON_FACTOR hang limits past its deadline. */
export function abandoned(request: InFlight, now: number, hangMs: number): boolean {
  return now - request.deadline > ABANDON_FACTOR * hangMs;
}

/** Whether a stale layer has used up its grace and must be dropped. */
export function graceExpired(staleFrames: number, policy: Pick<WatchdogPolicy, 'graceFrames'>): boolean {
  return staleFrames > policy.graceFrames;
}
