// The compositor's own budget: output scale when its own composite does not fit, pressure on the
// guests when frames are late for other reasons, both back once frames are on time.
import { describe, expect, it } from 'vitest';
import { BUDGET_WINDOW, budgetRecord, guestSurplusMs, initialBudget, MIN_PRESSURE, OUTPUT_SCALES, type BudgetState } from '../../compositor/policy/frame-budget';

const nominal = 1000 / 60;
function run(state: BudgetState, windows: number, sample: (s: BudgetState) => { intervalMs: number; ownMs: number }): BudgetState {
  for (let i = 0; i < windows * BUDGET_WINDOW; i++) state = budgetRecord(state, sample(state), nominal);
  return state;
}

describe('frame budget', () => {
  it('leaves an on-time compositor alone', () => {
    const s = run(initialBudget(), 10, () => ({ intervalMs: nominal, ownMs: 3 }));
    expect([s.pressure, s.outputScale]).toEqual([1, 1]);
  });

  it('shrinks its own output while its own composite makes it late, until it fits', () => {
    // Its composite costs 30 ms at full size, scaling with the pixels; late while over the interval.
    const own = (s: BudgetState) => 30 * s.outputScale ** 2;
    const s = run(initialBudget(), 20, (st) => ({ intervalMs: Math.max(nominal, own(st) + 2), ownMs: own(st) }));
    expect(s.outputScale).toBeLessThan(1);
    expect(own(s) + 2).toBeLessThanOrEqual(nominal * 1.3);
    expect(s.pressure).toBe(1); // guests were not blamed
  });

  it('goes down to its smallest output and no further while even that does not fit', () => {
    // A software GPU: a fixed cost plus 40 ms of pixels at full size, late at every step.
    const own = (s: BudgetState) => 6 + 40 * s.outputScale ** 2;
    const s = run(initialBudget(), 30, (st) => ({ intervalMs: Math.max(nominal * 1.2, own(st) + 2), ownMs: Math.max(own(st), 0.7 * nominal) }));
    expect(s.outputScale).toBe(OUTPUT_SCALES.at(-1));
    expect(s.outputLevel).toBe(OUTPUT_SCALES.length - 1);
  });

  it('presses the guests while frames are late and its own cost is small, and lets go after', () => {
    let s = run(initialBudget(), 5, () => ({ intervalMs: 40, ownMs: 3 }));
    expect(s.outputScale).toBe(1);
    expect(s.pressure).toBe(MIN_PRESSURE);
    s = run(s, 10, () => ({ intervalMs: nominal, ownMs: 3 }));
    expect(s.pressure).toBe(1);
  });

  it('raises its output again once a step up fits', () => {
    let s: BudgetState = { ...initialBudget(), outputLevel: OUTPUT_SCALES.length - 1, outputScale: OUTPUT_SCALES[OUTPUT_SCALES.length - 1]! };
    s = run(s, 20, () => ({ intervalMs: nominal, ownMs: 2 }));
    expect(s.outputScale).toBe(1);
  });

  it('with adaptation off, changes nothing', () => {
    const s = run(initialBudget(false), 10, () => ({ intervalMs: 40, ownMs: 30 }));
    expect([s.pressure, s.outputScale]).toEqual([1, 1]);
  });

  it("gives guests the interval less its own cost at its least contention, shrunk by the pressure", () => {
    // Before any window: the whole interval.
    expect(guestSurplusMs(initialBudget(), nominal)).toBeCloseTo(nominal);
    // Own costs of 5..34 ms over a window on time: the floor is the tenth percentile (7 ms), not the median.
    const costs = Array.from({ length: BUDGET_WINDOW }, (_, i) => 5 + i);
    let s = initialBudget();
    for (const ownMs of costs) s = budgetRecord(s, { intervalMs: nominal, ownMs }, nominal);
    expect(s.ownFloorMs).toBe(7);
    expect(guestSurplusMs(s, nominal)).toBeCloseTo(nominal - 7);
    expect(guestSurplusMs({ ...s, pressure: 0.5 }, nominal)).toBeCloseTo((nominal - 7) / 2);
    // Its own cost over the interval leaves nothing; adaptation off plans nothing.
    expect(guestSurplusMs({ ...s, ownFloorMs: 30 }, nominal)).toBe(0);
    expect(guestSurplusMs(initialBudget(false), nominal)).toBe(Infinity);
  });
});
