// Supervisor transitions over a fake clock: restart intensity (OTP), backoff, quarantine.
import { describe, expect, it } from 'vitest';
import { addRestart, backoffMs, onCrash, SILENT_STARTS, STORM_YOUNG_FRAMES } from '../../compositor/policy/supervisor';
import { DEFAULT_POLICY } from '../../shared/limits';

const policy = DEFAULT_POLICY; // 3 restarts in 30 s, backoff 100 ms doubling to 2 s

describe('restart intensity', () => {
  it('keeps only crashes inside the window, newest first', () => {
    expect(addRestart([25_000, 10_000, 1_000], 40_000, 30_000)).toEqual([40_000, 25_000, 10_000]);
  });

  it('restarts the first three crashes in a window, with doubling backoff, and quarantines the fourth', () => {
    let history: number[] = [];
    const delays: number[] = [];
    for (const t of [1_000, 2_000, 3_000]) {
      const d = onCrash(history, t, policy);
      expect(d.action).toBe('restart');
      if (d.action === 'restart') delays.push(d.delayMs);
      history = d.history;
    }
    expect(delays).toEqual([100, 200, 400]);
    const fourth = onCrash(history, 4_000, policy);
    expect(fourth.action).toBe('quarantine');
    if (fourth.action === 'quarantine') expect(fourth.reason).toBe('crashed 4 times within 30 s (at most 3 restarts allowed)');
  });

  it('forgives crashes older than the window: one crash a minute restarts forever', () => {
    let history: number[] = [];
    for (let minute = 0; minute < 20; minute++) {
      const d = onCrash(history, minute * 60_000, policy);
      expect(d.action).toBe('restart');
      history = d.history;
      expect(history).toHaveLength(1);
    }
  });

  it('caps the backoff', () => {
    expect(backoffMs(1, policy)).toBe(100);
    expect(backoffMs(10, policy)).toBe(2_000);
  });

  it('honours a policy with more restarts allowed', () => {
    let history: number[] = [];
    for (let i = 0; i < 10; i++) {
      const d = onCrash(history, i, { ...policy, maxRestarts: 10 });
      expect(d.action).toBe('restart');
      history = d.history;
    }
    expect(onCrash(history, 11, { ...policy, maxRestarts: 10 }).action).toBe('quarantine');
  });
});

describe('restart storm (intensity over the whole page)', () => {
  const restarts = (layers: number[], at: number) => layers.map((layer) => ({ layer, at }));

  it('quarantines a young crasher at once while 3 other guests have restarted within 10 s', () => {
    const d = onCrash([], 20_000, policy, { restarts: restarts([2, 3, 4], 12_000), layer: 5, frames: 4 });
    expect(d.action).toBe('quarantine');
    if (d.action === 'quarantine') expect(d.reason).toBe('crashed in a restart storm (3 other guests restarted within 10 s) after 4 frames: not restarted, to let the others run (retry it from the HUD)');
  });

  it('restarts as usual: a guest that had been running, fewer other guests, its own restarts, or restarts out of the window', () => {
    expect(onCrash([], 20_000, policy, { restarts: restarts([2, 3, 4], 12_000), layer: 5, frames: STORM_YOUNG_FRAMES }).action).toBe('restart');
    expect(onCrash([], 20_000, policy, { restarts: restarts([2, 3], 12_000), layer: 5, frames: 4 }).action).toBe('restart');
    expect(onCrash([15_000, 16_000], 20_000, policy, { restarts: restarts([5, 5, 2, 3], 15_000), layer: 5, frames: 4 }).action).toBe('restart');
    expect(onCrash([], 20_000, policy, { restarts: restarts([2, 3, 4], 9_999), layer: 5, frames: 4 }).action).toBe('restart');
    expect(onCrash([], 20_000, { ...policy, stormGuests: 0 }, { restarts: restarts([2, 3, 4, 6, 7], 19_000), layer: 5, frames: 0 }).action).toBe('restart');
  });

  it('leaves out a crash the watchdog called (a starved machine can cause it): restarted, storm or not', () => {
    expect(onCrash([], 20_000, policy, { restarts: restarts([2, 3, 4], 12_000), layer: 5, frames: 4, ownDoing: false }).action).toBe('restart');
  });
});

describe('a guest silent before its first frame in starts in a row', () => {
  it('is restarted after its first silent start, and quarantined at its second, with the reason', () => {
    expect(SILENT_STARTS).toBe(2);
    const first = onCrash([], 10_000, policy, { restarts: [], layer: 1, frames: 0, ownDoing: false, silentStarts: 1 });
    expect(first.action).toBe('restart');
    const second = onCrash(first.history, 12_500, policy, { restarts: [{ layer: 1, at: 10_000 }], layer: 1, frames: 0, ownDoing: false, silentStarts: 2 });
    expect(second.action).toBe('quarantine');
    if (second.action === 'quarantine') {
      expect(second.reason).toBe('fell silent before its first frame in 2 starts in a row (a busy loop in its module or setup(), each try holding a core): not restarted again (retry it from the HUD)');
    }
  });

  it('keeps the usual restarts for other crashes (silentStarts 0), even after silent starts', () => {
    let history: number[] = [];
    for (const t of [1_000, 2_000, 3_000]) {
      const d = onCrash(history, t, policy, { restarts: [], layer: 1, frames: 0, ownDoing: false, silentStarts: 0 });
      expect(d.action).toBe('restart');
      history = d.history;
    }
  });
});
