import { describe, expect, it } from 'vitest';
import { backlogMs, COST_SAMPLES, guestCostMs, planGrants } from '../../compositor/policy/grants';

const frame = 1000 / 60;

describe('a guest cost', () => {
  it('is the fastest of its last frames, brought to the scale it is asked at by the sides', () => {
    const recent = [
      { gpuMs: 12, aheadMs: 0, scale: 0.125 },
      { gpuMs: 3, aheadMs: 0, scale: 0.125 },
      { gpuMs: 9, aheadMs: 0, scale: 0.125 },
    ];
    expect(guestCostMs(recent, 0.125)).toBe(9);
    // Twice the side: twice the cost (the step up's prediction, policy/pacer.ts).
    expect(guestCostMs(recent, 0.25)).toBe(18);
    expect(guestCostMs([], 0.5)).toBe(0);
  });

  it('is its own GPU time: the wait less the queue the plan knew was ahead of it', () => {
    // Waits of 10–12 ms behind a composite of 9–10 ms: its own work is 1–2 ms, not 10.
    const recent = [
      { gpuMs: 10, aheadMs: 9, scale: 0.125 },
      { gpuMs: 12, aheadMs: 10, scale: 0.125 },
      { gpuMs: 11, aheadMs: 9.5, scale: 0.125 },
      // A wait shorter than the queue counted (the queue had moved on): no negative cost.
      { gpuMs: 4, aheadMs: 10, scale: 0.125 },
    ];
    expect(guestCostMs(recent, 0.125)).toBe(1.25);
    // A hog's wait is its own work whatever the queue: 75 ms behind 10 is 65.
    expect(guestCostMs([{ gpuMs: 75, aheadMs: 10, scale: 0.125 }], 0.125)).toBe(65);
  });

  it('forgets frames older than its last few (a guest that got costlier is not planned at its old cost)', () => {
    const recent = [...Array.from({ length: COST_SAMPLES }, () => ({ gpuMs: 1, aheadMs: 0, scale: 0.125 })), ...Array.from({ length: COST_SAMPLES }, () => ({ gpuMs: 20, aheadMs: 0, scale: 0.125 }))];
    expect(guestCostMs(recent, 0.125)).toBe(20);
  });
});

describe('the backlog', () => {
  it('is what granted frames still hold: each cost less the time since it was asked', () => {
    const inFlight = [{ costMs: 10, sentAt: 100 }, null, { costMs: 4, sentAt: 100 }];
    expect(backlogMs(inFlight, 100)).toBe(14);
    expect(backlogMs(inFlight, 103)).toBe(8);
    // A frame past its cost's time (a hung guest's too) holds nothing.
    expect(backlogMs(inFlight, 120)).toBe(0);
  });
});

describe('render grants', () => {
  const due = (costs: Record<string, number>, waited: Record<string, number> = {}) =>
    Object.entries(costs).map(([run, costMs]) => ({ run, costMs, waited: waited[run] ?? 1 }));

  it('grants guests, longest waiting first, while their summed costs fit the surplus', () => {
    const plan = planGrants(due({ a: 3, b: 3, c: 3, d: 3 }, { c: 4, d: 2 }), 0, 10);
    expect(plan.granted).toEqual(['c', 'd', 'a']);
    expect(plan.grantedMs).toBe(9);
    // What each was granted behind, among guests' frames.
    expect(plan.ahead).toEqual([0, 3, 6]);
  });

  it('counts what earlier grants still hold', () => {
    expect(planGrants(due({ a: 3, b: 3 }), 5, 10).granted).toEqual(['a']);
    expect(planGrants(due({ a: 3, b: 3 }), 9, 10).granted).toEqual([]);
  });

  it('grants the first, whatever its cost, once the backlog is clear: a costly guest is delayed, never starved', () => {
    expect(planGrants(due({ hog: 75, healthy: 2 }, { hog: 5, healthy: 5 }), 0, 10).granted).toEqual(['hog']);
    expect(planGrants(due({ hog: 75 }), 0.5, 10).granted).toEqual([]);
    // With nothing left for guests at all, still one frame at a time.
    expect(planGrants(due({ a: 3, b: 3 }, { b: 2 }), 0, 0).granted).toEqual(['b']);
  });

  it('lets a cheaper guest past one that does not fit', () => {
    expect(planGrants(due({ big: 8, small: 2 }, { big: 3 }), 4, 10).granted).toEqual(['small']);
  });

  it('grants the focused guest with input waiting first, whatever the others waited', () => {
    const candidates = [
      { run: 'a', waited: 9, costMs: 5 },
      { run: 'focused', waited: 1, urgent: true, costMs: 5 },
      { run: 'b', waited: 5, costMs: 5 },
    ];
    expect(planGrants(candidates, 0, 10).granted).toEqual(['focused', 'a']);
  });

  it('grants every guest due when there is no plan (adaptation off)', () => {
    expect(planGrants(due({ a: 300, b: 300 }), 500, Infinity).granted).toEqual(['a', 'b']);
  });

  it('over a second beside a costly guest, starves no one and holds the queue within the surplus but for a lone first frame', () => {
    // Fake time: frames every interval; a granted frame is delivered its cost plus 10 ms of hops later.
    const cost: Record<string, number> = { hog: 40, healthy: 2, sibling: 3 };
    const inFlight = new Map<string, { costMs: number; sentAt: number; doneAt: number }>();
    const since: Record<string, number> = { hog: 1, healthy: 1, sibling: 1 };
    const grants: Record<string, number> = { hog: 0, healthy: 0, sibling: 0 };
    const surplus = 10;
    for (let i = 0; i < 60; i++) {
      const now = i * frame;
      for (const [run, f] of inFlight) if (f.doneAt <= now) inFlight.delete(run);
      const candidates = Object.keys(cost)
        .filter((run) => !inFlight.has(run))
        .map((run) => ({ run, waited: since[run]!, costMs: cost[run]! }));
      const backlog = backlogMs(inFlight.values(), now);
      const plan = planGrants(candidates, backlog, surplus);
      if (plan.granted.length > 1 || (backlog > 0 && plan.granted.length > 0)) expect(backlog + plan.grantedMs).toBeLessThanOrEqual(surplus);
      for (const run of Object.keys(cost)) since[run] = since[run]! + 1;
      for (const run of plan.granted) {
        since[run] = 0;
        grants[run] = grants[run]! + 1;
        inFlight.set(run, { costMs: cost[run]!, sentAt: now, doneAt: now + cost[run]! + 10 });
      }
    }
    // Round-robin: the costly guest takes its turns (about one in four frames), and each cheap one
    // gets at least as many frames as it.
    expect(grants.hog).toBeGreaterThanOrEqual(10);
    expect(grants.healthy).toBeGreaterThanOrEqual(grants.hog!);
    expect(grants.sibling).toBeGreaterThanOrEqual(grants.hog!);
  });
});
