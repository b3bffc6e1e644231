// Input focus across guests, as OpenXR and WebXR define it: exactly one guest is focused at a
// time; it gets input and is 'visible'. Every other guest keeps rendering as 'visible-blurred':
// no input poses, no events, no gamepad state ("input is not processed"). While the user works the
// compositor's own UI (the HUD panel, the URL box), every guest is blurred: head pose can leak
// typed keys (the WebXR spec's trusted-UI rule).
//
// Focus moves when the user points at a layer and pulls the trigger (the topmost layer with
// content under the ray: the caller picks it), from the HUD, and by compositor.focus(id). The
// press that moves focus is the compositor's: it is not delivered to any guest as a select. The
// first running guest is focused when no guest is. A guest cannot take focus for itself (no event
// here comes from a guest). Focus stays with a layer while it restarts; it leaves a layer that is
// unloaded or has ended (failed, quarantined).
//
// Pure: the caller says which layers exist and in what state, and what the user did.
import type { Visibility } from '../../shared/protocol';


export interface FocusState {
  /** The focused layer's id, or null. */
  focused: number | null;
  /** The user is working the compositor's own UI: every guest is blurred. */
  trustedUi: boolean;
}

/** A layer as focus sees it: whether it is running now, and whether it can hold focus at all. */
export interface FocusCandidate {
  id: number;
  /** Has a live worker or will again (loading, running, stale, dropped, restarting). */
  live: boolean;
  /** Running now (shows fresh frames). */
  running: boolean;
}

export type FocusEvent =
  /** Each frame: the layers in draw order (bottom first). */
  | { type: 'layers'; layers: readonly FocusCandidate[] }
  /** The trigger went down; `picked`: the topmost live layer with content under the ray, if any. */
  | { type: 'press'; picked: number | null }
  /** The HUD or compositor.focus(id) asked for this layer. */
  | { type: 'focus'; id: number }
  /** The user started or stopped working the compositor's own UI. */
  | { type: 'trusted-ui'; active: boolean };

export const NO_FOCUS: FocusState = { focused: null, trustedUi: false };

export interface FocusStep {
  state: FocusState;
  /** For a press: whether it moved focus (the compositor's press, not delivered as a select). */
  consumed: boolean;
}

/** The one transition function. */
export function focusStep(state: FocusState, event: FocusEvent): FocusStep {
  switch (event.type) {
    case 'layers': {
      const holds = state.focused !== null && event.layers.some((l) => l.id === state.focused && l.live);
      if (holds) return { state, consumed: false };
      const first = event.layers.find((l) => l.running);
      return { state: { ...state, focused: first ? first.id : null }, consumed: false };
    }
    case 'press':
      if (state.trustedUi || event.picked === null || event.picked === state.focused) return { state, consumed: false };
      return { state: { ...state, focused: event.picked }, consumed: true };
    case 'focus':
      return { state: { ...state, focused: event.id }, consumed: false };
    case 'trusted-ui':
      return { state: state.trustedUi === event.active ? state : { ...state, trustedUi: event.active }, consumed: false };
  }
}

/** What layer `id` is told about its visibility. */
export function visibilityOf(state: FocusState, id: number): Visibility {
  return state.focused === id && !state.trustedUi ? 'visible' : 'visible-blurred';
}

/** Whether layer `id` receives input this frame. */
export function receivesInput(state: FocusState, id: number): boolean {
  return visibilityOf(state, id) === 'visible';
}
