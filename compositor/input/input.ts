// The user's input for guests, in one place: the session's sources and events (attached when
// presenting starts), focus and routing, and the compositor's own UI state. The frame loop drives
// it once per frame (frame-loop.ts step 5) and asks it for each request's input (step 6).
import type { FrameInput, InputEvent } from '../../shared/protocol';
import type { FocusCandidate } from '../policy/focus';
import { InputEvents } from './input-events';
import { InputRouting } from './input-routing';
import { InputSources } from './input-sources';

export class GuestInput {
  readonly sources = new InputSources();
  readonly routing = new InputRouting();
  private events: InputEvents | null = null;
  /** The page's own UI (the desktop HUD's URL box) has the user's keys: every guest is blurred. */
  pageUiActive = false;

  /** Starts listening to a session's select and squeeze events. */
  attach(session: XRSession, now: () => number): void {
    this.events = new InputEvents(session, this.sources, now);
  }

  /** This frame's layers (draw order), and whether the compositor's own UI has the user. */
  beginFrame(layers: readonly FocusCandidate[], panelUiActive: boolean): void {
    this.routing.apply({ type: 'trusted-ui', active: panelUiActive || this.pageUiActive });
    this.routing.apply({ type: 'layers', layers });
  }

  /** The session's events since the last frame, oldest first (taken once per frame). */
  takeEvents(): InputEvent[] {
    return this.events?.take() ?? [];
  }

  /**
   * A trigger press this frame on layer `picked` (or none): moves focus if it is on another layer
   * (returns true: the press is the compositor's).
   */
  press(picked: number | null): boolean {
    return this.routing.apply({ type: 'press', picked });
  }

  /** Routes this frame's events; `taken`: the sources whose press (selectstart) the compositor took. */
  route(events: readonly InputEvent[], taken: ReadonlySet<number>): void {
    this.routing.route(events, taken);
  }

  /** Whether layer `id` is focused and has events waiting for its next frame request. */
  waiting(id: number): boolean {
    return this.routing.waiting(id);
  }

  /** What layer `id`'s request carries, its sources predicted `aheadMs` ahead. */
  inputFor(id: number, aheadMs: number): FrameInput {
    return this.routing.inputFor(id, () => this.sources.predicted(aheadMs));
  }
}
