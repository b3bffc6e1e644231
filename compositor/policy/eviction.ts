// When a guest is too costly to keep: the eviction rule, pure over plain numbers. The pacer
// (pacer.ts) first makes a costly guest's frames smaller, then slower; a guest it marks at the
// bottom of its ladder (late against its own budget there, or a second runaway frame) is evicted
// only if all of these hold:
//   - for plain slowness and a refusal by latency, no other guest is loading or restarting
//     (starting one loads the whole machine for a moment); runaway frames, far past any budget,
//     need no such wait (a gallery of guests restarting one after another would otherwise shield
//     a hog for good), unless even their fastest is no runaway (a starved machine: they wait);
//     nor does a refusal by its GPU or frame() time (costRefusalReason);
//   - no guest was evicted in the last `evictionCooldownMs` (a hog's queued GPU work is not its
//     siblings' fault, and the machine needs a moment to recover from the last eviction);
//   - for plain slowness, it has never fit, or has been late at the bottom for PROVEN_PATIENCE_MS
//     (a guest that has fit, proven, is slow for the machine's sake for a while); runaway frames
//     of a proven guest count only when even its fastest is one;
//   - it stands out from the others (standsOut): when every guest is late together, evicting them
//     one by one would empty the scene for nothing; for slowness, even its fastest recent frame
//     misses the bottom's budget; for runaway frames, the same, judged against other guests only;
//     for a refusal at admission, every other guest has frames to compare with, and its admission
//     frames are compared with the others' frames of the same moments.
import type { Policy } from '../../shared/limits';
import { bestLatency, RUNAWAY_INTERVALS, standsOut, type PacerState } from './pacer';

export interface EvictionCase {
  /** The guest's pacer after its latest frame. */
  pacer: PacerState;
  /** The display's nominal frame interval, ms. */
  intervalMs: number;
  now: number;
  /** When a guest was last evicted as too slow (-Infinity: never). */
  lastEvictionAt: number;
  /** Whether any other guest is loading or restarting. */
  othersStarting: boolean;
  /** The fastest recent frame-return latency of each other guest delivering frames, ms. */
  othersBestMs: readonly number[];
  /** How long the guest has been marked late at the bottom without a break, ms (0: it is not). */
  lateForMs?: number;
  /** Whether another guest has started but has too few frames to compare with (both in admission). */
  othersUnmeasured?: boolean;
  /**
   * For a refusal at admission: each other guest's fastest frame delivered since this guest's
   * first frame, i.e. in the same moments as its admission frames (default: othersBestMs).
   */
  othersBestDuringAdmissionMs?: readonly number[];
}

/**
 * How long a guest that has fit (proven) may stay late at the bottom of its ladder before plain
 * slowness is judged, ms: longer than a gallery's starts and crashes take to pass here (the HUD's
 * chaos, about 25 s on two cores), short enough that a scene grown past the machine does not hold
 * the compositor back for good.
 */
export const PROVEN_PATIENCE_MS = 30_000;

/** Why the guest must be evicted, or null to keep it. */
export function evictionReason(c: EvictionCase, policy: Pick<Policy, 'evictionCooldownMs'>): string | null {
  if (!c.pacer.evict) return null;
  // Just after an eviction, the evicted guest's queued GPU work still slows everyone: nobody else is judged yet.
  if (c.now - c.lastEvictionAt < policy.evictionCooldownMs) return null;
  const reason = c.pacer.evictReason ?? 'too slow';
  // Refused at admission, or a second runaway frame: its own cost, unless every guest is that
  // slow (a starved machine).
  // Both judged against other guests' frames only: alone, a starved machine looks the same.
  // A refusal compares like with like: its admission frames against its neighbours' frames of the
  // same moments (a burst of starts on few cores slows everyone's frames at once).
  // Refused by its frames' latency alone, it waits while other guests start: in a burst of starts
  // every guest's frames are slow together, and the first of 16 three.js guests loaded at once
  // was refused by its frames of 135 ms at 1/8 (1 run in 5, probe). A hog is still refused
  // meanwhile by its GPU or frame() time (costRefusalReason, never deferred); a guest slow for no
  // cost of its own is judged by the runaway and slowness rules below.
  if (c.pacer.refused) {
    if (c.othersStarting) return null;
    const others = c.othersBestDuringAdmissionMs ?? c.othersBestMs;
    return !c.othersUnmeasured && others.length > 0 && standsOut(bestLatency({ samples: c.pacer.samples.slice(1) }), others) ? reason : null;
  }
  // A guest that has fit (proven), slow or with runaway frames: the machine is loaded (under the
  // HUD's chaos the default demos' threads were starved until they were evicted, for slowness and
  // for runaway frames). It stays at the bottom of its ladder, small and slow, until the load
  // passes; only if it stays marked there for PROVEN_PATIENCE_MS is it judged (its scene grew
  // past the machine).
  if (c.pacer.proven && (c.lateForMs ?? 0) < PROVEN_PATIENCE_MS) return null;
  const best = bestLatency(c.pacer);
  // Runaway frames: judged like slowness, by its fastest frames at the bottom. A guest queued
  // behind a neighbour's GPU work has runaway frames too, but fast ones between them. A proven
  // guest must have runaway frames only, even its fastest.
  if (c.pacer.strikes >= 2) {
    const bar = c.pacer.proven ? RUNAWAY_INTERVALS * c.intervalMs : c.pacer.divisor * c.intervalMs;
    // A starved machine, not its own cost: while another guest starts, runaway frames that are not
    // all runaways wait (as a proven guest's always do). Seen in the bench (all hostile fixtures at
    // once): the healthy guest, still unproven as the gallery started, was quarantined for frames
    // of 154 ms whose fastest took 65 ms with the compositor itself at 6 fps, and, once that was
    // deferred only while the compositor was no faster than its fastest frame, in 1 run of 10 on
    // 3 December for a latest of 188 ms and a fastest of 70 ms. A hog's own cost is judged exactly
    // at admission (its GPU time, its frame() time: pacer.ts pacerCostRecord), a hog whose fastest
    // frame is a runaway even now, and any other's slowness once nobody starts.
    if (c.othersStarting && best <= RUNAWAY_INTERVALS * c.intervalMs) return null;
    return c.othersBestMs.length > 0 && best > bar && standsOut(best, c.othersBestMs) ? reason : null;
  }
  // Plain slowness, only while nobody starts: a start loads the whole machine for a moment.
  if (c.othersStarting) return null;
  if (best <= c.pacer.divisor * c.intervalMs) return null;
  if (!standsOut(best, c.othersBestMs)) return null;
  return reason;
}

export interface CostRefusalCase {
  /** The guest's pacer after its latest frame's costs (pacerCostRecord). */
  pacer: PacerState;
  /**
   * For a refusal by GPU time: the fastest GPU time since its first frame (the same moments as
   * its admission frames) of each other guest measured then, and of the compositor's own
   * composite; by CPU time: each other guest's fastest frame() time then.
   */
  othersBestMs: readonly number[];
}

/**
 * Why a guest refused at admission by its costs (pacer.ts pacerCostRecord) must be evicted, or
 * null to keep it for now. Its figure must stand out from everyone else's of the same moments:
 * when the machine is starved, every context's work waits alike (the GPU process's queue, the
 * cores), and nobody is refused for it. By GPU time, with nobody to compare with it waits; by
 * CPU time, alone, its frame()'s own time is its own. Unlike the latency rules, not deferred
 * while other guests start, nor after another eviction: a start or an evicted guest's leftovers
 * lengthen everyone's waits for a moment, but a GPU time that grew with the guest's own pixels, or
 * the fastest of its own frame() calls, is its own work. (Measured: under the HUD's chaos and with
 * the whole gallery loaded at once, only the gallery's shader was ever marked for GPU time, and
 * only its slow-frames and memory-growth fixtures for CPU time: the demos' fastest frame() then
 * took 0–1 ms.)
 */
export function costRefusalReason(c: CostRefusalCase): string | null {
  if (!c.pacer.evict || !c.pacer.refused || c.pacer.refusedFor === undefined) return null;
  const own = c.pacer.refusedMs ?? Infinity;
  if (c.othersBestMs.length === 0) return c.pacer.refusedFor === 'cpu' ? (c.pacer.evictReason ?? 'refused at admission') : null;
  return standsOut(own, c.othersBestMs) ? (c.pacer.evictReason ?? 'refused at admission') : null;
}
