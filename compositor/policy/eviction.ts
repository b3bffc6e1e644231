// When a guest is too slow to keep: the eviction rule, pure over plain numbers. The pacer
// (pacer.ts) first slows a late guest down; a guest still late at the slowest pace is evicted
// only if all of these hold:
//   - even its fastest recent frame misses the slowest pace's budget (its own cost, not a
//     neighbour's: contention inflates the fastest frame least);
//   - no guest was evicted in the last `evictionCooldownMs` (a hog's queued GPU work is not its
//     siblings' fault, and the machine needs a moment to recover from the last eviction);
//   - no other guest is loading or restarting (starting one loads the whole machine for a moment);
//   - it stands out from the others (standsOut): when every guest is late together, evicting
//     them one by one would empty the scene for nothing.
import type { Policy } from '../../shared/limits';
import { median } from '../../shared/median';
import { bestLatency, ordinal, standsOut, type PacerState } from './pacer';

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
}

/** Why the guest must be evicted as too slow, or null to keep it. */
export function evictionReason(c: EvictionCase, policy: Pick<Policy, 'evictionCooldownMs'>): string | null {
  if (!c.pacer.evict) return null;
  const budget = c.pacer.divisor * c.intervalMs;
  const best = bestLatency(c.pacer);
  if (best <= budget) return null;
  if (c.now - c.lastEvictionAt < policy.evictionCooldownMs) return null;
  if (c.othersStarting || !standsOut(best, c.othersBestMs)) return null;
  return `too slow: even its fastest recent frame took ${Math.round(best)} ms (median ${Math.round(median(c.pacer.samples))} ms), more than every ${ordinal(c.pacer.divisor)} frame allows (${Math.round(budget)} ms)`;
}
