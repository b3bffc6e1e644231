// The pacer over synthetic frame-return latencies: admission at the smallest scale, earning larger
// ones; smaller, then slower frames for a slow guest; eviction only at the bottom; runaway frames.
import { describe, expect, it } from 'vitest';
import { ADMISSION_FRAMES, ADMISSION_SCALE, bestLatency, CONFIRM_FRAMES, CONFIRM_SCALE, initialPacer, ladder, MIN_SCALE, PROBE_FRAMES, pacerDue, pacerRecord, RUNAWAY_INTERVALS, standsOut, type PacerState } from '../../compositor/policy/pacer';
import { median } from '../../shared/median';
import { DEFAULT_POLICY } from '../../shared/limits';

const policy = DEFAULT_POLICY; // window 8, 75 % late means steadily slow, at most every 3rd frame
const frame = 1000 / 60;

/** Feeds `n` frames whose latency is `cost(scale)` at the pacer's current scale. */
function feed(state: PacerState, cost: number | ((scale: number) => number), n: number, pressure = 1): PacerState {
  for (let i = 0; i < n; i++) state = pacerRecord(state, typeof cost === 'number' ? cost : cost(state.scale), frame, policy, pressure);
  return state;
}
/** A guest whose latency is a fixed 4 ms plus `full` ms at full size, scaling with its pixels. */
const guest = (full: number) => (scale: number) => 4 + full * scale * scale;

describe('pacer', () => {
  it('starts a new worker at its admission probe (a quarter of the smallest scale), every frame, then at half the smallest, then at the smallest', () => {
    let s = initialPacer(policy);
    expect([s.scale, s.divisor]).toEqual([ADMISSION_SCALE, 1]);
    expect(ADMISSION_SCALE).toBe(MIN_SCALE / 4);
    s = feed(s, 12, PROBE_FRAMES - 1);
    expect(s.scale).toBe(ADMISSION_SCALE);
    s = feed(s, 12, 1);
    expect([s.scale, s.divisor]).toEqual([CONFIRM_SCALE, 1]);
    s = feed(s, 12, CONFIRM_FRAMES - 1);
    expect(s.scale).toBe(CONFIRM_SCALE);
    s = feed(s, 12, 1);
    expect([s.scale, s.divisor]).toEqual([MIN_SCALE, 1]);
  });

  it('keeps scale 1 with adaptation off (no probe)', () => {
    expect(initialPacer(policy, false).scale).toBe(1);
  });

  it('lets a cheap guest earn its full surface at every frame', () => {
    const s = feed(initialPacer(policy), guest(6), 200);
    expect([s.scale, s.divisor, s.evict]).toEqual([1, 1, false]);
  });

  it('settles a costly guest at the largest scale whose frames fit the interval', () => {
    const s = feed(initialPacer(policy), guest(40), 400);
    expect(s.divisor).toBe(1);
    expect(guest(40)(s.scale)).toBeLessThanOrEqual(frame);
    const up = ladder(policy, true)[s.level - 1]!;
    expect(guest(40)(up.scale)).toBeGreaterThan(frame * 0.75); // the next size up would not fit
  });

  it('makes a slow guest smaller, then slower, and marks it for eviction only at the bottom', () => {
    let s = { ...initialPacer(policy), ...ladder(policy, true)[0]!, level: 0 };
    s = feed(s, 60, 8 * 9); // nine steps down: full size to 1/8, every frame
    expect([s.scale, s.divisor, s.evict]).toEqual([MIN_SCALE, 1, false]);
    s = feed(s, 60, 8);
    expect([s.scale, s.divisor]).toEqual([MIN_SCALE, 2]);
    s = feed(s, 60, 8);
    expect([s.scale, s.divisor, s.evict]).toEqual([MIN_SCALE, 3, false]);
    s = feed(s, 60, 8);
    expect(s.evict).toBe(true);
    expect(s.evictReason).toMatch(/even at 0\.125 scale, every 3rd frame its frames take 60 ms/);
  });

  it('never marks a guest that fits its own budget, however hard the compositor presses; pressure buys smaller frames, not slower ones', () => {
    const s = feed(initialPacer(policy), 30, 200, 0.25);
    expect([s.scale, s.divisor]).toEqual([MIN_SCALE, 2]); // 30 ms fits every 2nd frame
    expect(s.evict).toBe(false);
  });

  it('gives a guest smaller frames under pressure and its size back after', () => {
    let s = feed(initialPacer(policy), guest(6), 200);
    expect(s.scale).toBe(1);
    s = feed(s, guest(6), 100, 0.4);
    expect(s.scale).toBeLessThan(1);
    s = feed(s, guest(6), 200, 1);
    expect(s.scale).toBe(1);
  });

  it('does not step down for one late frame in a window', () => {
    let s = feed(initialPacer(policy), guest(6), 200);
    for (let i = 0; i < 80; i++) s = pacerRecord(s, i % 8 === 0 ? 40 : 8, frame, policy);
    expect([s.scale, s.divisor]).toEqual([1, 1]);
  });

  it('moves to a smaller scale when a quarter of its frames come late (each one a stale frame on screen), to a slower pace only when most do', () => {
    let s = feed(initialPacer(policy), guest(6), 200);
    // Two of every eight late (a quarter: SCALE_LATE_FRACTION), at every size (a fixed cost: the hops): down to 1/8, never slower.
    for (let i = 0; i < 200; i++) s = pacerRecord(s, i % 4 === 0 ? 20 : 8, frame, policy);
    expect([s.scale, s.divisor, s.evict]).toEqual([MIN_SCALE, 1, false]);
    // A page that asks for a stricter share (pacerLateFraction under a quarter) gets it for scales too.
    let strict = feed(initialPacer(policy), guest(6), 200);
    for (let i = 0; i < 200; i++) strict = pacerRecord(strict, i % 8 === 0 ? 20 : 8, frame, { ...policy, pacerLateFraction: 0.125 });
    expect(strict.scale).toBe(MIN_SCALE);
  });

  it('slows no new worker\'s pace for its slow first frames (its start), only for a window of frames after them', () => {
    // A start's frames (shaders compiling, a process warming up) come late; then it fits.
    let s = feed(initialPacer(policy), 25, ADMISSION_FRAMES);
    s = feed(s, 8, 2);
    expect([s.scale, s.divisor]).toEqual([MIN_SCALE, 1]);
    // One steadily late after its start is slowed once a window of later frames says so.
    let slow = feed(initialPacer(policy), 25, ADMISSION_FRAMES + policy.pacerWindow - 1);
    expect(slow.divisor).toBe(1);
    slow = feed(slow, 25, 1);
    expect(slow.divisor).toBe(2);
  });

  it('returns to a larger scale once its frames fit there again', () => {
    let s = feed(initialPacer(policy), guest(6), 200);
    for (let i = 0; i < 200; i++) s = pacerRecord(s, i % 4 === 0 ? 20 : 8, frame, policy);
    expect(s.scale).toBe(MIN_SCALE);
    s = feed(s, guest(6), 2000);
    expect([s.scale, s.divisor]).toEqual([1, 1]);
  });

  it('puts a guest at the bottom on one runaway frame, and marks it on a second once settled there', () => {
    let s = feed(initialPacer(policy), guest(6), 200);
    const runaway = RUNAWAY_INTERVALS * frame + 1;
    s = pacerRecord(s, runaway, frame, policy);
    expect([s.scale, s.divisor, s.strikes, s.evict]).toEqual([MIN_SCALE, 3, 1, false]);
    s = pacerRecord(s, runaway, frame, policy);
    s = pacerRecord(s, runaway, frame, policy);
    expect([s.strikes, s.evict]).toEqual([3, false]); // two frames at the bottom: not settled yet
    s = pacerRecord(s, runaway, frame, policy);
    expect(s.evict).toBe(true);
    expect(s.evictReason).toMatch(/^runaway frames at 0.125 scale, every 3rd frame: the latest took 134 ms and the fastest of its last 3 134 ms/);
  });

  it('strikes no guest for a runaway latency its own frame took little of (its request waited on threads not its own)', () => {
    let s = feed(initialPacer(policy), guest(6), 200);
    const scaleBefore = s.scale;
    const runaway = RUNAWAY_INTERVALS * frame + 50;
    // 16 three.js guests loaded at once: 183 ms to come back, 1 ms in frame() and 60 ms waiting for its transfer.
    for (let i = 0; i < 6; i++) s = pacerRecord(s, runaway, frame, policy, 1, 61);
    expect(s.strikes).toBe(0);
    expect(s.evict).toBe(false);
    expect(s.scale).toBeLessThan(scaleBefore); // still late, though: smaller frames, as for any slowness
    // Its own frame a runaway too (a slow frame(), or GPU work of its own that long): a strike.
    s = pacerRecord(s, runaway, frame, policy, 1, runaway - 10);
    expect([s.scale, s.divisor, s.strikes]).toEqual([MIN_SCALE, 3, 1]);
  });

  it('keeps the fast frames between a contended guest\'s runaway frames, for its fastest to judge it', () => {
    let s = feed(initialPacer(policy), guest(6), 200);
    const runaway = RUNAWAY_INTERVALS * frame + 50;
    s = pacerRecord(s, runaway, frame, policy);
    for (const ms of [10, runaway, 12, runaway]) s = pacerRecord(s, ms, frame, policy);
    expect(s.evict).toBe(true);
    expect(bestLatency(s)).toBe(10);
  });

  it('forgives a slow first frame (shader compilation)', () => {
    const s = pacerRecord(initialPacer(policy), 400, frame, policy);
    expect([s.strikes, s.level]).toEqual([0, initialPacer(policy).level]);
  });

  it('with adaptation off, keeps the full surface and only paces', () => {
    let s = initialPacer(policy, false);
    expect(s.scale).toBe(1);
    s = feed(s, 25, 64);
    expect([s.scale, s.divisor, s.evict]).toEqual([1, 2, false]);
  });

  it('asks only every divisor-th frame', () => {
    const s = { divisor: 3 };
    expect([1, 2, 3, 4].map((n) => pacerDue(s, n))).toEqual([false, false, true, true]);
  });

  it('judges a guest by its fastest recent frame', () => {
    expect(bestLatency({ samples: [220, 15, 230, 210] })).toBe(15); // a victim of contention: fast whenever the queue clears
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

describe('admission', () => {
  it('refuses a guest whose first small frames already cost more than the slowest pace allows', () => {
    let s = initialPacer(policy);
    for (const ms of [400, 160, 150, 170]) s = pacerRecord(s, ms, frame, policy);
    expect(s.evict).toBe(true);
    expect(s.refused).toBe(true);
    expect(s.evictReason).toMatch(/refused at admission: at 0\.125 scale its frames take at least 150 ms/);
  });

  it('admits a guest whose first frame is slow (shaders compiling) but the rest fit', () => {
    let s = initialPacer(policy);
    for (const ms of [400, 30, 12, 12, 12]) s = pacerRecord(s, ms, frame, policy);
    expect(s.evict).toBe(false);
  });
});

describe('admission by latency', () => {
  it('refuses no one for admission frames slow short of a runaway\'s length: that is everyone\'s waits as much as its own cost', () => {
    let s = initialPacer(policy);
    // A healthy guest that clears its surface, started first beside the whole hostile gallery: 84 ms and more, over 1.5× what every 3rd frame allows.
    for (const ms of [300, 95, 90, 101, 88, 97, 92, 84, 94, 90]) s = pacerRecord(s, ms, frame, policy);
    expect([s.refused, s.evict]).toEqual([false, false]);
    // Its costs are judged exactly instead (pacerCostRecord, admission-costs.test.ts); its slowness later, at the bottom.
    expect([s.scale, s.divisor]).toEqual([MIN_SCALE, 1]);
  });
});
