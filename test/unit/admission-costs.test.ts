// Admission by cost: a new worker's probe at 1/32, then two frames at 1/16, then its first frames
// at 1/8, those at 1/16 and 1/8 judged by their GPU time (the bitmap transfer's wait) against the
// scale's before and against its neighbours', and all by its own frame() time. A GPU hog's cost grows with its pixels; a queue's contention does not, and a
// starved machine slows everyone.
import { describe, expect, it } from 'vitest';
import { costRefusalReason } from '../../compositor/policy/eviction';
import { ADMISSION_FRAMES, ADMISSION_SCALE, admissionBest, CONFIRM_FRAMES, CONFIRM_SCALE, initialPacer, MIN_SCALE, pacerCostRecord, pacerRecord, PROBE_FRAMES, RUNAWAY_INTERVALS, type PacerState } from '../../compositor/policy/pacer';
import { DEFAULT_POLICY } from '../../shared/limits';
import { admissionStart, judgedSince } from '../../compositor/guests/neighbours';
import type { GuestRun } from '../../compositor/guests/guest-run';

const policy = DEFAULT_POLICY; // every 3rd frame at the slowest: 50 ms at 60 Hz
const frame = 1000 / 60;

/**
 * A new worker delivering frames whose GPU time is `gpu(scale)` at the scale each was asked at,
 * and whose frame() takes `cpu` ms, as the supervisor feeds them: the latency first, then the costs.
 */
function deliver(gpu: number[] | ((scale: number, i: number) => number), n = Array.isArray(gpu) ? gpu.length : 10, from: PacerState = initialPacer(policy), cpu: (i: number) => number = () => 1): PacerState {
  let s = from;
  for (let i = 0; i < n; i++) {
    const scale = s.scale;
    const gpuMs = Array.isArray(gpu) ? gpu[i]! : gpu(scale, i);
    s = pacerRecord(s, gpuMs + cpu(i) + 5, frame, policy);
    s = pacerCostRecord(s, { gpuMs, cpuMs: cpu(i), scale }, frame, policy);
    if (s.refused) return s;
  }
  return s;
}

/** The expensive shader here: its own work scales with its pixels (about 21 ms at 1/16), plus the queue's ~10 ms. */
const shader = (scale: number) => 10 + 21 * (scale / CONFIRM_SCALE) ** 2;
/** A hog 24 times as costly (the shader drawn 24 times a frame): about 500 ms of its own at 1/16. */
const hog = (scale: number) => 10 + 500 * (scale / CONFIRM_SCALE) ** 2;

describe('admission by GPU time', () => {
  it('refuses a guest whose GPU work at 1/8 is over the slowest pace and grew with its pixels, after two frames there', () => {
    const s = deliver(shader);
    expect(s.refused).toBe(true);
    expect(s.refusedFor).toBe('gpu');
    expect(s.evict).toBe(true);
    // Three probe frames at 1/32, two at 1/16, then two at 1/8: never a larger one.
    expect(s.frames).toBe(PROBE_FRAMES + CONFIRM_FRAMES + 2);
    expect(s.admissionCosts.map((c) => c.scale)).toEqual([ADMISSION_SCALE, ADMISSION_SCALE, ADMISSION_SCALE, CONFIRM_SCALE, CONFIRM_SCALE, MIN_SCALE, MIN_SCALE]);
    expect(s.evictReason).toBe("refused at admission: at 0.125 scale its frames' GPU work takes at least 94 ms (the fastest of 2; at 0.0625 scale, 31 ms), more than the 50 ms between its frames at the slowest pace, so no scale and pace can fit it");
  });

  it('refuses a guest too costly at 1/16 there, grown from its probe, before it is ever asked at 1/8', () => {
    const s = deliver(hog);
    expect([s.refused, s.refusedFor, s.frames]).toEqual([true, 'gpu', PROBE_FRAMES + CONFIRM_FRAMES]);
    expect(s.admissionCosts.some((c) => c.scale === MIN_SCALE)).toBe(false);
    expect(s.refusedMs).toBe(510);
    expect(s.evictReason).toBe("refused at admission: at 0.0625 scale its frames' GPU work takes at least 510 ms (the fastest of 2; at 0.03125 scale, 135 ms), more than the 50 ms between its frames at the slowest pace, so no scale and pace can fit it");
  });

  it('judges the probe by its fastest frame after the first (which compiles its shaders)', () => {
    // A first probe frame of 400 ms does not hide the growth: 31 → 94 ms.
    expect(deliver((scale, i) => (i === 0 ? 400 : shader(scale))).refused).toBe(true);
  });

  it('keeps a guest whose frames are slow for the queue, not for its pixels (no growth from its probe)', () => {
    // 60 ms at 1/16 and at 1/8: over the budget, but the same at a quarter of the pixels.
    const s = deliver(() => 60);
    expect(s.refused).toBe(false);
    expect(s.evict).toBe(false);
  });

  it('keeps a guest whose frames grew far past its pixels: queued behind another context\'s, not its own work', () => {
    // A healthy guest beside the shader drawn 24 times a frame (bench, 3 December): 13 ms at 1/32,
    // 528 ms at 1/16 behind the hog's 530 ms frames, 40× for 4× the pixels.
    const victim = deliver((scale) => (scale === ADMISSION_SCALE ? 13 : scale === CONFIRM_SCALE ? 528 : 12));
    expect([victim.refused, victim.evict]).toEqual([false, false]);
    // The hog itself grew with its pixels (146 ms → 530 ms) and is refused there.
    const hogged = deliver((scale) => (scale === ADMISSION_SCALE ? 146 : 530));
    expect([hogged.refused, hogged.refusedMs]).toEqual([true, 530]);
  });

  it('refuses a guest whose frames at 1/16 or at 1/8 are runaways, grown or not', () => {
    const runaway = RUNAWAY_INTERVALS * frame + 20;
    expect(deliver((scale) => (scale === ADMISSION_SCALE ? runaway - 30 : runaway)).refused).toBe(true);
    const at8 = deliver((scale) => (scale === MIN_SCALE ? runaway : 40));
    expect([at8.refused, at8.refusedMs]).toEqual([true, runaway]);
  });

  it('keeps a guest with one fast frame at 1/8 (judged by its fastest)', () => {
    const s = deliver((scale, i) => (scale === MIN_SCALE && i === PROBE_FRAMES + CONFIRM_FRAMES + 1 ? 20 : shader(scale)));
    expect(s.refused).toBe(false);
    expect(admissionBest(s).bottom).toEqual({ ms: 20, frames: 5 });
  });

  it('keeps a guest just over the slowest pace at 1/8, grown from 1/16 (a healthy three.js guest among 16 starting: 20 ms → 53 ms)', () => {
    expect(deliver((scale) => (scale === MIN_SCALE ? 53 : 20)).refused).toBe(false);
    // Over the budget by more than a quarter (63 ms against 50): refused, at either scale.
    expect(deliver((scale) => (scale === MIN_SCALE ? 63 : 20)).refused).toBe(true);
    expect(deliver((scale) => (scale === ADMISSION_SCALE ? 20 : 63)).frames).toBe(PROBE_FRAMES + CONFIRM_FRAMES);
  });

  it('keeps a guest whose GPU work fits the slowest pace', () => {
    expect(deliver((scale) => 4 + 40 * (scale / CONFIRM_SCALE) ** 2).refused).toBe(true); // 164 ms at 1/8: refused
    expect(deliver((scale) => 4 + 10 * (scale / CONFIRM_SCALE) ** 2).refused).toBe(false); // 44 ms at 1/8: kept
  });

  it('judges only its admission frames, and nothing with adaptation off', () => {
    // Cheap through admission, costly later (a scene that grew): not refused (the other rules see to it).
    const later = deliver((_scale, i) => (i < ADMISSION_FRAMES ? 5 : 200), 30);
    expect(later.scale).toBe(MIN_SCALE); // back at the bottom, where the 200 ms frames would have counted
    expect(later.refused).toBe(false);
    expect(later.admissionCosts.every((c) => c.gpuMs === 5)).toBe(true);
    expect(deliver(shader, 10, initialPacer(policy, false)).refused).toBe(false);
  });
});

describe('admission by its own frame() time', () => {
  it('refuses a guest whose frame() alone outlasts the slowest pace, from its 4th frame (its first builds its scene)', () => {
    // The gallery's slow-frames: 60 ms of its own thread a frame, whatever its scale.
    const s = deliver(() => 2, 10, initialPacer(policy), (i) => (i === 0 ? 200 : 60));
    expect([s.refused, s.refusedFor, s.frames]).toEqual([true, 'cpu', 4]);
    expect(s.evictReason).toBe('refused at admission: its frame() itself takes at least 60 ms of its thread\'s time (the fastest of 3), more than the 50 ms between its frames at the slowest pace, and no scale shortens it');
  });

  it('keeps a guest with one quick frame() among slow ones, or whose first frame() alone is slow', () => {
    expect(deliver(() => 2, 10, initialPacer(policy), (i) => (i === 2 ? 5 : 60)).refused).toBe(false);
    expect(deliver(() => 2, 10, initialPacer(policy), (i) => (i === 0 ? 400 : 3)).refused).toBe(false);
  });
});

describe('refusal by GPU time, against the neighbours', () => {
  const at8 = deliver(shader);
  const judge = (others: number[], pacer = at8) => costRefusalReason({ pacer, othersBestMs: others });

  it('refuses a guest whose GPU time stands out from every other context of the same moments', () => {
    expect(judge([2, 15])).toMatch(/^refused at admission: at 0\.125 scale its frames' GPU work/);
  });

  it('keeps it while the others are as slow (a starved GPU process), or when there is nobody to compare with', () => {
    expect(judge([60, 80])).toBeNull();
    expect(judge([])).toBeNull();
  });

  it('judges a refusal at 1/16 by its figure there (the hog never rendered at 1/8)', () => {
    const at16 = deliver(hog);
    expect(judge([20, 30], at16)).toMatch(/^refused at admission: at 0\.0625 scale/);
    // 510 ms against others' 300 and 400 ms (a GPU process starved for everyone): kept for now.
    expect(judge([300, 400], at16)).toBeNull();
  });

  it('does nothing for a guest the pacer did not mark', () => {
    expect(judge([2], deliver([5, 5, 5, 5, 5]))).toBeNull();
  });
});

describe('refusal by CPU time, against the neighbours', () => {
  const slow = deliver(() => 2, 10, initialPacer(policy), () => 60);
  const judge = (others: number[]) => costRefusalReason({ pacer: slow, othersBestMs: others });

  it('refuses it beside guests whose frame() is quick, and alone (its own thread is its own)', () => {
    expect(judge([0, 1])).toMatch(/^refused at admission: its frame\(\) itself/);
    expect(judge([])).toMatch(/^refused at admission/);
  });

  it('keeps it while the others\' frame() calls are as slow (every thread starved)', () => {
    expect(judge([45, 70])).toBeNull();
  });
});

describe('the moments a refusal is weighed in (guests/neighbours.ts)', () => {
  const delivery = (at: number, ms: number, scale: number) => ({ at, ms, gpuMs: ms, aheadMs: 0, cpuMs: 1, scale });
  // Its first frame at 1000; three probe frames at 1/32, two at 1/16, then two at 1/8 late in a burst.
  const recent = [delivery(1000, 40, 1 / 32), delivery(1100, 40, 1 / 32), delivery(1200, 40, 1 / 32), delivery(1300, 30, 1 / 16), delivery(1400, 30, 1 / 16), delivery(2600, 120, 1 / 8), delivery(2800, 110, 1 / 8)];

  it('starts at the request of its first frame at the scale judged, not at its first frame', () => {
    expect(judgedSince(recent, 1 / 8, 1000)).toBe(2480);
    expect(judgedSince(recent, 1 / 16, 1000)).toBe(1270);
  });

  it('never starts before its admission did (frames at that scale from before a hold are not weighed)', () => {
    expect(judgedSince(recent, 1 / 8, 2700)).toBe(2700);
    expect(judgedSince(recent, 1 / 8, 3000)).toBe(3000);
  });

  it('takes a readmission as its admission\'s start, else its first frame', () => {
    expect(admissionStart({ readmittedAt: 5000, liveness: { firstFrameAt: 1000 } as GuestRun['liveness'] }, 9000)).toBe(5000);
    expect(admissionStart({ readmittedAt: null, liveness: { firstFrameAt: 1000 } as GuestRun['liveness'] }, 9000)).toBe(1000);
    expect(admissionStart({ readmittedAt: null, liveness: { firstFrameAt: null } as GuestRun['liveness'] }, 9000)).toBe(9000);
  });
});
