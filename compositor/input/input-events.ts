// The session's select and squeeze events, in order, for the focused guest: queued as they
// arrive, taken once per compositor frame (input-routing.ts decides who gets them). In the
// WebXR spec's order: a completed press's select comes before its selectend (webxr-polyfill
// fires them the other way round; they are put right here).
import type { InputEvent, InputEventType } from '../../shared/protocol';
import type { InputSources } from './input-sources';

const TYPES: readonly InputEventType[] = ['selectstart', 'select', 'selectend', 'squeezestart', 'squeeze', 'squeezeend'];

export class InputEvents {
  private queue: InputEvent[] = [];

  constructor(session: XRSession, sources: InputSources, now: () => number) {
    for (const type of TYPES) {
      // Runs when the session reports a controller's trigger or grip going down, coming up, or completing a press.
      session.addEventListener(type, (xrEvent) => {
        const source = (xrEvent as XRInputSourceEvent).inputSource;
        if (!source) return;
        const event: InputEvent = { type, source: sources.idOf(source), time: now() };
        const last = this.queue[this.queue.length - 1];
        const endFirst = last && last.source === event.source && ((type === 'select' && last.type === 'selectend') || (type === 'squeeze' && last.type === 'squeezeend'));
        if (endFirst) this.queue.splice(this.queue.length - 1, 0, event);
        else this.queue.push(event);
      });
    }
  }

  /** The events since the last call, oldest first. */
  take(): InputEvent[] {
    const taken = this.queue;
    this.queue = [];
    return taken;
  }
}
