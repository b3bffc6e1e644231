// Input focus across guests (compositor/policy/focus.ts): one focused guest at a time, moved by
// a press on another layer (a press the guests never see), by the HUD or the API; every guest
// blurred while the compositor's own UI has the user.
import { describe, expect, it } from 'vitest';
import { focusStep, NO_FOCUS, receivesInput, visibilityOf, type FocusCandidate, type FocusState } from '../../compositor/policy/focus';

const layer = (id: number, running = true, live = true): FocusCandidate => ({ id, running, live });
const step = (state: FocusState, ...events: Parameters<typeof focusStep>[1][]) => events.reduce((s, e) => focusStep(s, e).state, state);

describe('focus', () => {
  it('focuses the first running guest when none is focused, and no one while none runs', () => {
    expect(step(NO_FOCUS, { type: 'layers', layers: [layer(1, false), layer(2, false)] }).focused).toBeNull();
    const s = step(NO_FOCUS, { type: 'layers', layers: [layer(1, false), layer(2), layer(3)] });
    expect(s.focused).toBe(2);
    expect(visibilityOf(s, 2)).toBe('visible');
    expect(visibilityOf(s, 1)).toBe('visible-blurred');
    expect(visibilityOf(s, 3)).toBe('visible-blurred');
  });

  it('keeps focus on a guest while it restarts, and moves it on when the guest is unloaded or has ended', () => {
    let s = step(NO_FOCUS, { type: 'layers', layers: [layer(1), layer(2)] });
    s = step(s, { type: 'layers', layers: [layer(1, false), layer(2)] }); // restarting: still live
    expect(s.focused).toBe(1);
    s = step(s, { type: 'layers', layers: [layer(1, false, false), layer(2)] }); // quarantined
    expect(s.focused).toBe(2);
    s = step(s, { type: 'layers', layers: [layer(1, false, false)] }); // 2 unloaded
    expect(s.focused).toBeNull();
  });

  it('moves focus with a press on another layer, and that press is the compositor’s', () => {
    const s = step(NO_FOCUS, { type: 'layers', layers: [layer(1), layer(2)] });
    const moved = focusStep(s, { type: 'press', picked: 2 });
    expect(moved.consumed).toBe(true);
    expect(moved.state.focused).toBe(2);
    expect(receivesInput(moved.state, 2)).toBe(true);
    expect(receivesInput(moved.state, 1)).toBe(false);
    // On the focused layer, or on nothing, a press is the focused guest's select.
    expect(focusStep(moved.state, { type: 'press', picked: 2 })).toEqual({ state: moved.state, consumed: false });
    expect(focusStep(moved.state, { type: 'press', picked: null })).toEqual({ state: moved.state, consumed: false });
  });

  it('blurs every guest while the user works the compositor’s own UI, and gives focus back after', () => {
    let s = step(NO_FOCUS, { type: 'layers', layers: [layer(1), layer(2)] }, { type: 'trusted-ui', active: true });
    expect([visibilityOf(s, 1), visibilityOf(s, 2)]).toEqual(['visible-blurred', 'visible-blurred']);
    expect(receivesInput(s, 1)).toBe(false);
    // A press meanwhile is the UI's: it moves nothing.
    expect(focusStep(s, { type: 'press', picked: 2 })).toEqual({ state: s, consumed: false });
    s = step(s, { type: 'trusted-ui', active: false });
    expect(visibilityOf(s, 1)).toBe('visible');
  });

  it('takes focus from the HUD or the API, for a layer that is not running yet too', () => {
    let s = step(NO_FOCUS, { type: 'layers', layers: [layer(1), layer(2, false)] }, { type: 'focus', id: 2 });
    expect(s.focused).toBe(2);
    s = step(s, { type: 'layers', layers: [layer(1), layer(2, false)] });
    expect(s.focused).toBe(2);
  });
});
