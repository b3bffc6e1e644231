import { describe, expect, it } from 'vitest';
import { admit, createBudget, newFrame } from '../../compositor/policy/message-budget';

describe('per-frame message budget', () => {
  it('takes up to the soft cap, drops and counts the excess, and calls a flood past the hard cap', () => {
    const b = createBudget(2, 5);
    expect([1, 2, 3, 4, 5, 6].map(() => admit(b))).toEqual(['take', 'take', 'drop', 'drop', 'drop', 'flood']);
    expect(b.dropped).toBe(3);
  });

  it('starts each frame afresh', () => {
    const b = createBudget(2, 5);
    for (let frame = 0; frame < 100; frame++) {
      newFrame(b);
      expect(admit(b)).toBe('take');
      expect(admit(b)).toBe('take');
    }
    expect(b.dropped).toBe(0);
  });

  it('allows a frame’s caps for each frame’s worth of time since the frame began (a stalled compositor is no flood)', () => {
    const b = createBudget(2, 5);
    newFrame(b, 1000);
    // 60 heartbeats queued over one second of a stalled compositor thread, all read at once.
    const burst = Array.from({ length: 60 }, () => admit(b, 2000));
    expect(burst.every((a) => a === 'take')).toBe(true);
    // A real flood within one frame's time is still one.
    newFrame(b, 3000);
    expect(Array.from({ length: 6 }, () => admit(b, 3005))).toEqual(['take', 'take', 'drop', 'drop', 'drop', 'flood']);
  });
});
