// Per-guest pacing, as Monado's per-client pacer: a guest whose frames steadily come back
// late is asked for every 2nd, then every 3rd compositor frame; if it is still late at the
// slowest pace it is evicted. A guest that keeps up again is sped back up. Pure: samples in,
// state out. Frame-return latency (request → delivery) includes the guest's GPU time,
// since a frame cannot be transferred before its GPU work is done.
import type { Policy } from '../../shared/limits';
import { median } from '../../shared/median';

export type PacerPolicy = Pick<Policy, 'maxDivisor' | 'pacerWindow' | 'pacerLateFraction'>;

export interface PacerState {
  /** Ask every `divisor`-th compositor frame (1 = every frame). */
  divisor: number;
  /** Latency samples (ms) at the current divisor, oldest first, at most pacerWindow. */
  samples: number[];
  /** Set when the guest is late even at the slowest pace; the caller evicts it. */
  evict: boolean;
}

export function initialPacer(): PacerState {
  return { divisor: 1, samples: [], evict: false };
}

/** Records one frame-return latency and re-judges the pace. */
export function pacerRecord(state: PacerState, latencyMs: number, frameIntervalMs: number, policy: PacerPolicy): PacerState {
  const samples = [...state.samples, latencyMs].slice(-policy.pacerWindow);
  if (samples.length < policy.pacerWindow) return { ...state, samples };
  const budget = state.divisor * frameIntervalMs;
  const late = samples.filter((s) => s > budget).length / samples.length;
  if (late >= policy.pacerLateFraction) {
    if (state.divisor >= policy.maxDivisor) return { divisor: state.divisor, samples, evict: true };
    return { divisor: state.divisor + 1, samples: [], evict: false };
  }
  // Comfortably inside a faster pace (with 20 % headroom) for a whole window: speed up.
  const fasterBudget = (state.divisor - 1) * frameIntervalMs * 0.8;
  if (state.divisor > 1 && samples.every((s) => s <= fasterBudget)) return { divisor: state.divisor - 1, samples: [], evict: false };
  return { ...state, samples };
}

/** Whether to ask the guest for a frame, `framesSinceRequest` compositor frames after its last request. */
export function pacerDue(state: PacerState, framesSinceRequest: number): boolean {
  return framesSinceRequest >= state.divisor;
}

/** "2nd", "3rd", "4th" … for pacing text ("asked every 3rd frame"); '' for 1. */
export function ordinal(n: number): string {
  return n === 1 ? '' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}

/**
 * Eviction asks more than "late at the slowest pace": even the guest's fastest recent frame must
 * miss the slowest pace's budget (the caller checks), and the guest must stand out. When every
 * guest is late together (the machine is loaded, or one guest's GPU work holds the shared
 * queue), evicting them one by one would empty the scene for nothing. Each guest is judged by
 * its *fastest* recent frame, which contention inflates least: a guest whose own work is heavy
 * is never fast, a victim of someone else's is fast whenever the queue clears. A guest stands
 * out when it is alone, or its fastest frame is at least `factor` times the median of the
 * others' fastest frames.
 */
export function standsOut(candidateBestMs: number, othersBestMs: readonly number[], factor = 2): boolean {
  if (othersBestMs.length === 0) return true;
  return candidateBestMs >= factor * median(othersBestMs);
}

/** A guest's fastest recent frame-return latency, ms (its cost with the least contention in it). */
export function bestLatency(state: PacerState): number {
  return state.samples.length ? Math.min(...state.samples) : 0;
}
