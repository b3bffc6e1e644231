// The pacer over synthetic frame-return latencies: throttle to every 2nd, every 3rd frame, then evict; recover.
import { describe, expect, it } from 'vitest';
import { bestLatency, initialPacer, pacerDue, pacerRecord, standsOut, type PacerState } from '../../compositor/policy/pacer';
import { median } from '../../shared/median';
import { DEFAULT_POLICY } from '../../shared/limits';

const policy = DEFAULT_POLICY; // window 8, 75 % late means steadily slow, at most every 3rd frame
const frame = 1000 / 60;

function feed(state: PacerState, latency: number, n: number): PacerState {
  for (let i = 0; i < n; i++) state = pacerRecord(state, latency, frame, policy);
  return state;
}

describe('pacer', () => {
  it('leaves a guest that keeps up at every frame', () => {
    const s = feed(initialPacer(), 10, 100);
    expect(s.divisor).toBe(1);
    expect(s.evict).toBe(false);
  });

  it('throttles a steadily slow guest to every 2nd, then every 3rd frame, then evicts it', () => {
    let s = feed(initialPacer(), 60, 8);
    expect(s.divisor).toBe(2);
    s = feed(s, 60, 8);
    expect(s.divisor).toBe(3);
    expect(s.evict).toBe(false);
    s = feed(s, 60, 8);
    expect(s.evict).toBe(true);
  });

  it('settles a guest that fits every 2nd frame there', () => {
    const s = feed(initialPacer(), 25, 64);
    expect(s.divisor).toBe(2);
    expect(s.evict).toBe(false);
  });

  it('does not throttle for an occasional late frame', () => {
    let s = initialPacer();
    for (let i = 0; i < 80; i++) s = pacerRecord(s, i % 4 === 0 ? 40 : 8, frame, policy);
    expect(s.divisor).toBe(1);
  });

  it('speeds a throttled guest back up once it keeps up with headroom', () => {
    let s = feed(initialPacer(), 25, 8);
    expect(s.divisor).toBe(2);
    s = feed(s, 5, 8);
    expect(s.divisor).toBe(1);
  });

  it('asks only every divisor-th frame', () => {
    const s: PacerState = { divisor: 3, samples: [], evict: false };
    expect([1, 2, 3, 4].map((n) => pacerDue(s, n))).toEqual([false, false, true, true]);
  });

  it('judges a guest by its fastest recent frame', () => {
    const s: PacerState = { divisor: 3, samples: [220, 15, 230, 210], evict: true };
    expect(bestLatency(s)).toBe(15); // a victim of contention: fast whenever the queue clears
  });

  it('evicts only a guest that stands out: alone, or at least twice as slow as the others', () => {
    expect(standsOut(60, [])).toBe(true);
    expect(standsOut(60, [5, 6, 7])).toBe(true);
    expect(standsOut(60, [55, 58, 62])).toBe(false); // everyone is slow: the machine is loaded, keep them all throttled
    expect(standsOut(60, [30])).toBe(true);
    expect(standsOut(59, [30])).toBe(false);
  });

  it('median', () => {
    expect(median([])).toBe(0);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
