// When a guest is too costly to keep: the eviction rule, pure over plain numbers. The pacer
// (pacer.ts) first makes a costly guest's frames smaller, then slower; a guest it marks at the
// bottom of its ladder (late against its own budget there, or a second runaway frame) is evicted
// only if all of these hold:
//   - for plain slowness, no other guest is loading or restarting (starting one loads the whole
//     machine for a moment); refusal and runaway frames, far past any budget, need no such wait
//     (a gallery of guests restarting one after another would otherwise shield a hog for good);
//   - no guest was evicted in the last `evictionCooldownMs` (a hog's queued GPU work is not its
//     siblings' fault, and the machine needs a moment to recover from the last eviction);
//   - it stands out from the others (standsOut): when every guest is late together, evicting them
//     one by one would empty the scene for nothing; for slowness, even its fastest recent frame
//     misses the bottom's budget; for runaway frames, the same, judged against other guests only;
//     for a refusal at admission, every other guest has frames to compare with.
import type { Policy } from '../../shared/limits';
import { bestLatency, standsOut, type PacerState } from './pacer';

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
  /** Whether another guest has started but has too few frames to compare with (both in admission). */
  othersUnmeasured?: boolean;
}

/** Why the guest must be evicted, or null to keep it. */
export function evictionReason(c: EvictionCase, policy: Pick<Policy, 'evictionCooldownMs'>): string | null {
  if (!c.pacer.evict) return null;
  // Just after an eviction, the evicted guest's queued GPU work still slows everyone: nobody else is judged yet.
  if (c.now - c.lastEvictionAt < policy.evictionCooldownMs) return null;
  const reason = c.pacer.evictReason ?? 'too slow';
  // Refused at admission, or a second runaway frame: its own cost, unless every guest is that
  // slow (a starved machine).
  // Both judged against other guests' frames only: alone, a starved machine looks the same.
  if (c.pacer.refused) return !c.othersUnmeasured && c.othersBestMs.length > 0 && standsOut(bestLatency({ samples: c.pacer.samples.slice(1) }), c.othersBestMs) ? reason : null;
  const best = bestLatency(c.pacer);
  // Runaway frames: judged like slowness, by its fastest frames at the bottom. A guest queued
  // behind a neighbour's GPU work has runaway frames too, but fast ones between them.
  if (c.pacer.strikes >= 2) return c.othersBestMs.length > 0 && best > c.pacer.divisor * c.intervalMs && standsOut(best, c.othersBestMs) ? reason : null;
  // Plain slowness, only while nobody starts: a start loads the whole machine for a moment.
  if (c.othersStarting) return null;
  if (best <= c.pacer.divisor * c.intervalMs) return null;
  if (!standsOut(best, c.othersBestMs)) return null;
  return reason;
}
