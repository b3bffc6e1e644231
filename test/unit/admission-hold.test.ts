// The hold: a guest marked for eviction by figures a burst of starts inflates (GPU time at
// admission, runaway frames before it is proven) is held at its probe's scale while others start,
// then readmitted and measured afresh; a hog is refused then, a healthy guest climbs.
import { describe, expect, it } from 'vitest';
import { holdEnds, HOLD_MAX_MS, pacerHold, pacerReadmit, shouldHold, START_SETTLE_MS, startsUnderWay } from '../../compositor/policy/admission-hold';
import { ADMISSION_SCALE, CONFIRM_SCALE, initialPacer, MIN_SCALE, pacerCostRecord, pacerRecord, RUNAWAY_INTERVALS, type PacerState } from '../../compositor/policy/pacer';
import { DEFAULT_POLICY } from '../../shared/limits';

const policy = DEFAULT_POLICY; // every 3rd frame at the slowest: 50 ms at 60 Hz
const frame = 1000 / 60;

/** Frames delivered as the supervisor feeds them (latency, then costs); `gpu` by scale and index. */
function deliver(from: PacerState, n: number, gpu: (scale: number, i: number) => number, cpu = 1): PacerState {
  let s = from;
  for (let i = 0; i < n; i++) {
    const scale = s.scale;
    const gpuMs = gpu(scale, i);
    s = pacerRecord(s, gpuMs + cpu + 5, frame, policy);
    s = pacerCostRecord(s, { gpuMs, cpuMs: cpu, scale }, frame, policy);
    if (s.evict) return s;
  }
  return s;
}

/** A healthy guest in a burst of starts: cheap probe frames, then the queue ahead of its frames at 1/8 (74 ms, as measured). */
const burst = (scale: number) => (scale === MIN_SCALE ? 74 : scale === CONFIRM_SCALE ? 21 : 6);
/** The same guest once the starts are over. */
const calm = (scale: number) => 2 + 4 * (scale / MIN_SCALE) ** 2;
/** The gallery's shader: its own work grows with its pixels, burst or not. */
const shader = (scale: number) => 10 + 21 * (scale / CONFIRM_SCALE) ** 2;

describe('holding a guest while others start', () => {
  it('holds a guest refused by GPU time in a burst at its probe\'s scale and slowest pace, judging nothing', () => {
    const refused = deliver(initialPacer(policy), 10, burst);
    expect([refused.refused, refused.refusedFor]).toEqual([true, 'gpu']);
    expect(shouldHold({ pacer: refused, startsUnderWay: true, intervalMs: frame }, policy)).toBe(true);
    // With nobody starting, its figures are its own: no hold.
    expect(shouldHold({ pacer: refused, startsUnderWay: false, intervalMs: frame }, policy)).toBe(false);
    const held = pacerHold(refused, policy);
    expect([held.scale, held.divisor, held.evict, held.refused]).toEqual([ADMISSION_SCALE, policy.maxDivisor, false, false]);
    // Runaway-long frames while held mark nothing and move nothing.
    const later = deliver(held, 12, () => RUNAWAY_INTERVALS * frame + 100);
    expect([later.scale, later.divisor, later.evict, later.strikes]).toEqual([ADMISSION_SCALE, policy.maxDivisor, false, held.strikes]);
  });

  it('readmits at 1/16 and measures again: the healthy guest climbs, the shader is refused', () => {
    const held = pacerHold(deliver(initialPacer(policy), 10, burst), policy);
    const back = pacerReadmit(deliver(held, 5, burst));
    expect([back.scale, back.divisor, back.readmitted]).toEqual([CONFIRM_SCALE, 1, true]);
    const healthy = deliver(back, 40, calm);
    expect(healthy.evict).toBe(false);
    expect(healthy.scale).toBeGreaterThan(MIN_SCALE);

    const shaderHeld = pacerHold(deliver(initialPacer(policy), 10, shader), policy);
    const shaderBack = deliver(pacerReadmit(shaderHeld), 10, shader);
    expect([shaderBack.refused, shaderBack.refusedFor]).toEqual([true, 'gpu']);
    expect(shaderBack.evictReason).toMatch(/^refused at admission: at 0.125 scale its frames' GPU work takes at least 94 ms \(the fastest of 2; at 0.0625 scale, 31 ms\)/);
    // Once readmitted, its next mark is final, whoever starts.
    expect(shouldHold({ pacer: shaderBack, startsUnderWay: true, intervalMs: frame }, policy)).toBe(false);
  });

  it('holds a guest whose probe frames a burst\'s queue put just over the slowest pace (60 ms at 1/32, 93 ms at 1/16, as measured)', () => {
    const queued = deliver(initialPacer(policy), 10, (scale) => (scale === ADMISSION_SCALE ? 60 : scale === CONFIRM_SCALE ? 93 : 200));
    expect([queued.refused, queued.refusedFor]).toEqual([true, 'gpu']);
    expect(shouldHold({ pacer: queued, startsUnderWay: true, intervalMs: frame }, policy)).toBe(true);
  });

  it('refuses at once a hog too costly even at its probe\'s scale (nothing cheap to hold it at)', () => {
    // The shader drawn 24 times a frame: 146 ms at 1/32, over the slowest pace's 50 ms.
    const hog = deliver(initialPacer(policy), 10, (scale) => 10 + 500 * (scale / CONFIRM_SCALE) ** 2 + (scale === ADMISSION_SCALE ? 10 : 0));
    expect(hog.refusedFor).toBe('gpu');
    expect(shouldHold({ pacer: hog, startsUnderWay: true, intervalMs: frame }, policy)).toBe(false);
  });

  it('holds an unproven guest marked for runaway frames in a burst, not a proven one nor a refusal by frame() time', () => {
    // Admission in a burst at cheap scales, then frames that never fit, then runaway frames at the bottom.
    let s = deliver(initialPacer(policy), 10, (scale) => (scale === MIN_SCALE ? 30 : 6));
    for (const ms of [...Array<number>(20).fill(61), 150, 150, 150, 150]) s = pacerRecord(s, ms, frame, policy);
    expect([s.evict, s.proven, s.strikes >= 2]).toEqual([true, false, true]);
    expect(shouldHold({ pacer: s, startsUnderWay: true, intervalMs: frame }, policy)).toBe(true);
    expect(shouldHold({ pacer: { ...s, proven: true }, startsUnderWay: true, intervalMs: frame }, policy)).toBe(false);
    // 60 ms of its own thread per frame(): its own work, whoever starts.
    const cpuHog = deliver(initialPacer(policy), 10, () => 5, 60);
    expect([cpuHog.refused, cpuHog.refusedFor]).toEqual([true, 'cpu']);
    expect(shouldHold({ pacer: cpuHog, startsUnderWay: true, intervalMs: frame }, policy)).toBe(false);
  });

  it('ends the hold once nobody starts, or after HOLD_MAX_MS whoever starts', () => {
    expect(holdEnds(100, false)).toBe(true);
    expect(holdEnds(100, true)).toBe(false);
    expect(holdEnds(HOLD_MAX_MS, true)).toBe(true);
  });
});

describe('whether starts are under way', () => {
  it('while a start slot is taken or a layer waits for one, whatever the others', () => {
    expect(startsUnderWay(true, [], 10_000)).toBe(true);
  });

  it('for a moment after a burst of other starts ended (its tail still loads the machine), then no longer', () => {
    expect(startsUnderWay(false, [null, 8_000, 9_000], 10_000)).toBe(true);
    expect(startsUnderWay(false, [9_000, 10_000 - START_SETTLE_MS], 10_000)).toBe(false);
    expect(startsUnderWay(false, [null, null], 10_000)).toBe(false);
  });

  it('not after one other start alone (a hog loaded beside one healthy guest is judged at once)', () => {
    expect(startsUnderWay(false, [9_500], 10_000)).toBe(false);
  });
});
