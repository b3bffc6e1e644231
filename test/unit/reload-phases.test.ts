import { describe, expect, it } from 'vitest';
import { reloadPhases } from '../../compositor/live-edit/reload-phases';

describe('reload phases', () => {
  it('turns the steps of a passed reload into phase figures and the total from the save', () => {
    const phases = reloadPhases({ savedAt: 1000, detectedAt: 1030, fetchMs: 0, began: 1031, runtimeUp: 1041, warm: true, loadMs: 12, setupMs: 40.04, started: 1100, firstFrame: 1130, passed: 1230, handedOver: 1240, swapped: 1256 });
    expect(phases).toEqual({ detect: 30, fetch: 0, queue: 1, start: 10, load: 12, setup: 40, firstFrame: 30, vetting: 100, handover: 10, swap: 16, total: 256, warm: true });
  });

  it('leaves out what a path or a rejected version never reached; the total counts from detection when the save time is unknown', () => {
    expect(reloadPhases({ detectedAt: 500, fetchMs: 20, began: 520 })).toEqual({ fetch: 20, queue: 0 });
    expect(reloadPhases({ detectedAt: 500, fetchMs: 20, began: 520, handedOver: 900, swapped: 910 }).total).toBe(410);
  });

  it('a queued version counts its wait for the vetting before it', () => {
    expect(reloadPhases({ detectedAt: 0, fetchMs: 0, began: 2500 }).queue).toBe(2500);
  });
});

describe('reload phases, as the HUD says them', async () => {
  const { describePhases } = await import('../../compositor/live-edit/reload-phases');
  it('names the total, whether the worker was warm, and each phase of a millisecond or more', () => {
    expect(describePhases({ detect: 30, fetch: 0, queue: 0.4, start: 10, load: 12, setup: 40, firstFrame: 30, vetting: 100, handover: 10, swap: 16, total: 256, warm: true })).toBe(
      '256 ms, warm worker: detect 30 · start 10 · load 12 · setup 40 · firstFrame 30 · vetting 100 · handover 10 · swap 16',
    );
  });
});
