// Watchdog rules over a fake clock: deadlines, grace, hang, start-up.
import { describe, expect, it } from 'vitest';
import { abandoned, COMPILE_HANG_MS, graceExpired, hangLimitMs, livenessVerdict, newLiveness, newlyMissed, noteLife, scheduleRequest, SETUP_HANG_MS, startPastCostlyPart, START_SLOT_HOLD_MS, type LifeSign, type Liveness } from '../../compositor/policy/watchdog';
import { DEFAULT_POLICY } from '../../shared/limits';

const policy = DEFAULT_POLICY; // grace 10 frames, hang 250 ms, start-up 4 s

/** The same liveness, its latest heartbeat 10 ms before `now`. */
const beating = (l: Liveness, now: number): Liveness => ({ ...l, lastLifeAt: now - 10 });

describe('frame deadlines', () => {
  it('a request is due by the next compositor frame at full pace, by the 3rd at every-3rd pace', () => {
    const r = scheduleRequest(7, 1000, 50, 16.7, 1);
    expect(r.deadlineFrame).toBe(51);
    expect(r.deadline).toBeCloseTo(1016.7);
    expect(scheduleRequest(8, 1000, 50, 16.7, 3).deadlineFrame).toBe(53);
  });

  it('counts a miss exactly once, at the first frame at or past the deadline', () => {
    const r = scheduleRequest(1, 0, 10, 16.7, 1);
    expect(newlyMissed(r, 10)).toBe(false);
    expect(newlyMissed(r, 11)).toBe(true);
    r.missed = true;
    expect(newlyMissed(r, 12)).toBe(false);
    expect(newlyMissed(null, 99)).toBe(false);
  });

  it('keeps a stale layer for its grace frames, then drops it', () => {
    expect(graceExpired(10, policy)).toBe(false);
    expect(graceExpired(11, policy)).toBe(true);
  });
});

describe('liveness', () => {
  const started = { spawnedAt: 0, lastLifeAt: 0, firstLifeAt: 50, firstFrameAt: 100, compiling: false, steadySince: 50 };

  it('is fine while signs of life keep coming', () => {
    expect(livenessVerdict({ ...started, lastLifeAt: 900 }, 1000, policy)).toBe('ok');
  });

  it('calls a started guest hung after 250 ms without a sign of life (frame, heartbeat or error)', () => {
    expect(livenessVerdict({ ...started, lastLifeAt: 1000 }, 1250, policy)).toBe('ok');
    expect(livenessVerdict({ ...started, lastLifeAt: 1000 }, 1251, policy)).toBe('hang');
  });

  it('gives a guest that said it was about to compile shaders COMPILE_HANG_MS before calling it hung, until it is heard from again', () => {
    const compiling = { ...started, lastLifeAt: 1000, compiling: true };
    expect(livenessVerdict(compiling, 1000 + COMPILE_HANG_MS, policy)).toBe('ok');
    expect(livenessVerdict(compiling, 1001 + COMPILE_HANG_MS, policy)).toBe('hang');
    const l = { ...compiling };
    noteLife(l, 1100); // a plain heartbeat (or a frame): the plain limit again
    expect(livenessVerdict(l, 1351, policy)).toBe('hang');
    noteLife(l, 1400, 'compiling');
    expect(livenessVerdict(l, 1900, policy)).toBe('ok');
  });

  it('takes a guest silent while every other guest is silent too for starved, not hung; a guest silent alone for hung', () => {
    const quiet = { ...started, lastLifeAt: 1000 };
    // The best-heard sibling was last heard 200 ms ago: the machine starves everyone; 600 ms allowed.
    expect(livenessVerdict(quiet, 1500, policy, false, 200)).toBe('ok');
    expect(livenessVerdict(quiet, 1601, policy, false, 200)).toBe('hang');
    // A sibling heard 20 ms ago: this one alone is silent; the plain 250 ms limit.
    expect(livenessVerdict(quiet, 1251, policy, false, 20)).toBe('hang');
    // However starved, never more than 8 × hangMs.
    expect(hangLimitMs(policy, false, 60_000)).toBe(8 * policy.hangMs);
  });

  it('gives a starting guest (load, setup, first frame) the 4 s start-up limit instead', () => {
    const starting = { spawnedAt: 0, lastLifeAt: 0, firstLifeAt: 0, firstFrameAt: null, compiling: false, steadySince: 0 };
    // Its heartbeats keep coming (beating 10 ms before each judgement): only the start-up limit applies.
    expect(livenessVerdict(beating(starting, 3_999), 3_999, policy)).toBe('ok');
    expect(livenessVerdict(beating(starting, 4_001), 4_001, policy)).toBe('startup');
  });

  it('calls a starting guest hung once its heartbeat stops for SETUP_HANG_MS (a busy loop in setup), widened by contention', () => {
    const busy = { spawnedAt: 0, lastLifeAt: 500, firstLifeAt: 100, firstFrameAt: null, compiling: false, steadySince: 100 };
    expect(livenessVerdict(busy, 500 + SETUP_HANG_MS, policy)).toBe('ok');
    expect(livenessVerdict(busy, 501 + SETUP_HANG_MS, policy)).toBe('setup-hang');
    // Every other guest silent for 1 s too: the machine is starved, not this guest hung.
    expect(livenessVerdict(busy, 501 + SETUP_HANG_MS, policy, false, 1_000)).toBe('ok');
  });

  it('counts the start-up limit from the runtime\'s first sign of life, not from the spawn (a slow process start is the platform\'s)', () => {
    const spawnedLate = { spawnedAt: 0, lastLifeAt: 3_000, firstLifeAt: 3_000, firstFrameAt: null, compiling: false, steadySince: 3_000 };
    expect(livenessVerdict(beating(spawnedLate, 6_999), 6_999, policy)).toBe('ok');
    expect(livenessVerdict(beating(spawnedLate, 7_001), 7_001, policy)).toBe('startup');
  });

  it('never gives a guest more than twice the start-up limit from its spawn (before its init call would fail it for good)', () => {
    const answeredLate = { spawnedAt: 0, lastLifeAt: 6_000, firstLifeAt: 6_000, firstFrameAt: null, compiling: false, steadySince: 6_000 };
    expect(livenessVerdict(beating(answeredLate, 7_999), 7_999, policy)).toBe('ok');
    expect(livenessVerdict(beating(answeredLate, 8_001), 8_001, policy)).toBe('startup');
  });

  it('fails a runtime that never says anything after twice the start-up limit', () => {
    const silent = { spawnedAt: 0, lastLifeAt: 0, firstLifeAt: null, firstFrameAt: null, compiling: false, steadySince: null };
    expect(livenessVerdict(silent, 4_001, policy)).toBe('ok');
    expect(livenessVerdict(silent, 7_999, policy)).toBe('ok');
    expect(livenessVerdict(silent, 8_001, policy)).toBe('silent');
  });

  it('gives a running guest at least 1 s while other guests are starting (their spawns starve every thread)', () => {
    expect(livenessVerdict({ ...started, lastLifeAt: 1000 }, 1251, policy, true)).toBe('ok');
    expect(livenessVerdict({ ...started, lastLifeAt: 1000 }, 1999, policy, true)).toBe('ok');
    expect(livenessVerdict({ ...started, lastLifeAt: 1000 }, 2001, policy, true)).toBe('hang');
    // A longer limit than 1 s is kept as it is.
    expect(livenessVerdict({ ...started, lastLifeAt: 1000 }, 2001, { ...policy, hangMs: 1500 }, true)).toBe('ok');
  });
});

describe('lost requests', () => {
  it('gives up a request unanswered four hang limits past its deadline, not before', () => {
    const request = scheduleRequest(1, 1000, 0, 1000 / 60, 1);
    expect(abandoned(request, request.deadline + 4 * 250, 250)).toBe(false);
    expect(abandoned(request, request.deadline + 4 * 250 + 1, 250)).toBe(true);
  });
});

describe('a start past its costly part (gives its start slot away)', () => {
  /** A runtime up at 0 that beats every 50 ms until `until`, skipping the beats in `busy` ([from, to) ms). */
  function beats(until: number, busy: [number, number][] = [], sign: LifeSign = 'beat'): Liveness {
    const l = newLiveness(-300);
    for (let t = 0; t <= until; t += 50) if (!busy.some(([a, b]) => t >= a && t < b)) noteLife(l, t, sign);
    return l;
  }

  it('an idle start (awaiting its network, or a promise that never settles) gives it after 400 ms of steady beats', () => {
    expect(startPastCostlyPart(beats(350), 350)).toBe(false);
    expect(startPastCostlyPart(beats(400), 400)).toBe(true);
  });

  it('a busy start (its thread beating in gaps) keeps it until its runtime has been up 1.5 s', () => {
    const busy: [number, number][] = [[100, 400], [500, 900], [1000, 1400]];
    expect(startPastCostlyPart(beats(1450, busy), 1450)).toBe(false);
    expect(startPastCostlyPart(beats(START_SLOT_HOLD_MS + 50, busy), START_SLOT_HOLD_MS + 50)).toBe(true);
  });

  it('a start making GL calls that wait for the GPU process (their notices as often as beats) keeps it', () => {
    expect(startPastCostlyPart(beats(1000, [], 'waiting'), 1000)).toBe(false);
    // Timer beats with a notice among them every 200 ms: never 400 ms of beats alone.
    const l = newLiveness(-300);
    for (let t = 0; t <= 1000; t += 50) noteLife(l, t, t % 200 === 0 ? 'waiting' : 'beat');
    expect(startPastCostlyPart(l, 1000)).toBe(false);
    // Then beats alone: idle 400 ms after the last notice.
    for (let t = 1050; t <= 1450; t += 50) noteLife(l, t);
    expect(startPastCostlyPart(l, 1400)).toBe(false);
    expect(startPastCostlyPart(l, 1450)).toBe(true);
  });

  it('nor gives it while about to compile shaders, silent now, or before its runtime said it was up', () => {
    expect(startPastCostlyPart(beats(600, [], 'compiling'), 600)).toBe(false);
    expect(startPastCostlyPart(beats(600), 800)).toBe(false); // steady until 600, then silent for 200 ms: busy now
    expect(startPastCostlyPart(newLiveness(0), 5_000)).toBe(false);
  });
});
