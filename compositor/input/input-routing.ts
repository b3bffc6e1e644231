// Who gets the user's input each frame: focus (policy/focus.ts) applied to the frame's events.
// The focused guest's events wait for its next frame request and go with it, in order; a blurred
// guest gets none. A press whose start no guest got (it moved focus, or the compositor's own UI
// took it) is the compositor's to its end: its select and selectend go to no guest either, so no
// guest ever sees an end without its start.
import { MAX_INPUT_EVENTS } from '../../shared/limits';
import { BLURRED, type FrameInput, type InputEvent, type InputSourceState } from '../../shared/protocol';
import { focusStep, NO_FOCUS, receivesInput, type FocusEvent, type FocusState } from '../policy/focus';

const KIND = { selectstart: 'select', select: 'select', selectend: 'select', squeezestart: 'squeeze', squeeze: 'squeeze', squeezeend: 'squeeze' } as const;

export class InputRouting {
  focus: FocusState = NO_FOCUS;
  /** Events waiting for the focused guest's next frame request. */
  private pending: InputEvent[] = [];
  /** Each press under way (source id and kind): the layer its start went to, or null (the compositor's). */
  private owners = new Map<string, number | null>();

  /** Applies a focus event (the layers, the HUD, the API, the compositor's UI); a change of focus drops what waited for the old one. */
  apply(event: FocusEvent): boolean {
    const before = this.focus;
    const step = focusStep(this.focus, event);
    this.focus = step.state;
    if (before.focused !== this.focus.focused) this.pending = [];
    return step.consumed;
  }

  /**
   * This frame's events, in order. `taken`: the sources whose trigger press (selectstart) the
   * compositor took this frame (it moved focus, or worked the compositor's UI).
   */
  route(events: readonly InputEvent[], taken: ReadonlySet<number> = new Set()): void {
    for (const event of events) {
      const key = `${event.source}:${KIND[event.type]}`;
      const focused = this.focus.trustedUi ? null : this.focus.focused;
      if (event.type === 'selectstart' || event.type === 'squeezestart') {
        const owner = event.type === 'selectstart' && taken.has(event.source) ? null : focused;
        this.owners.set(key, owner);
        if (owner !== null) this.deliver(event);
        continue;
      }
      // The rest of a press goes where its start went, if that guest still has focus (the owner
      // stays until the source's next press, so a late event of an ended press follows it too).
      const owner = this.owners.has(key) ? this.owners.get(key)! : focused;
      if (owner !== null && owner === focused) this.deliver(event);
    }
  }

  private deliver(event: InputEvent): void {
    this.pending.push(event);
    if (this.pending.length > MAX_INPUT_EVENTS) this.pending.shift();
  }

  /** Whether layer `id` has focus and events waiting for its next frame request. */
  waiting(id: number): boolean {
    return this.pending.length > 0 && receivesInput(this.focus, id);
  }

  /** What layer `id`'s next frame request carries; takes its waiting events. */
  inputFor(id: number, sources: () => InputSourceState[]): FrameInput {
    if (!receivesInput(this.focus, id)) return BLURRED;
    const events = this.pending;
    this.pending = [];
    return { visibility: 'visible', sources: sources(), events };
  }
}

