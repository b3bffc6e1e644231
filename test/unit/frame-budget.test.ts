// The compositor's own budget: output scale when its own composite does not fit, pressure on the
// guests when frames are late for other reasons, both back once frames are on time.
import { describe, expect, it } from 'vitest';
import { BUDGET_WINDOW, budgetRecord, freeGuestSlots, grantGuestFrames, guestFrameSlots, initialBudget, MIN_PRESSURE, OUTPUT_SCALES, type BudgetState } from '../../compositor/policy/frame-budget';

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

  it('limits the guest frames in flight to two only while the compositor is under pressure', () => {
    expect(guestFrameSlots(initialBudget())).toBe(Infinity);
    const late = run(initialBudget(), 2, () => ({ intervalMs: 40, ownMs: 4 }));
    expect(late.pressure).toBeLessThan(1);
    expect(guestFrameSlots(late)).toBe(2);
    expect(freeGuestSlots(late, [null, { missed: false }, { missed: false }])).toBe(0);
    expect(freeGuestSlots(late, [null, { missed: false }])).toBe(1);
    // A guest stuck in its frame past the deadline holds no slot: the others still get their turn.
    expect(freeGuestSlots(late, [{ missed: true }, { missed: false }, null])).toBe(1);
    expect(freeGuestSlots(initialBudget(), [{ missed: false }, { missed: false }])).toBe(Infinity);
  });

  it('grants free slots to the guests that waited longest, so none holds the gate', () => {
    const due = [
      { run: 'a', waited: 1 },
      { run: 'b', waited: 5 },
      { run: 'c', waited: 5 },
      { run: 'd', waited: 3 },
    ];
    expect(grantGuestFrames(due, 1)).toEqual(['b']);
    expect(grantGuestFrames(due, 3)).toEqual(['b', 'c', 'd']);
    expect(grantGuestFrames(due, Infinity)).toEqual(['b', 'c', 'd', 'a']);
    expect(grantGuestFrames(due, 0)).toEqual([]);
    expect(grantGuestFrames(due, -2)).toEqual([]); // more in flight than slots (pressure just came)
  });

  it('grants the focused guest with input waiting first, whatever the others waited', () => {
    const due = [
      { run: 'a', waited: 9 },
      { run: 'focused', waited: 1, urgent: true },
      { run: 'b', waited: 5 },
    ];
    expect(grantGuestFrames(due, 1)).toEqual(['focused']);
    expect(grantGuestFrames(due, 2)).toEqual(['focused', 'a']);
  });
});
