// One layer: what the compositor knows about one guest, and its frame slots.
// Slots follow Monado's multi-client compositor: `inFlight` is the request the guest is
// working on (scheduled), `delivered` the newest finished frame not yet shown. The render
// loop never waits on either; it takes whatever is in `delivered`, and a newer delivery
// replaces (and closes) an older one at once, so a layer never holds more than one bitmap.
import type { FrameDelivery, GuestPhase, WireView } from '../shared/protocol';
import type { GuestHost, Surface } from './guest-host';
import { transition, type LayerEvent, type LayerState } from './layer-state';

/** Where a layer's error came from: a guest phase, or the compositor's own work on the layer. */
export type ErrorPhase = GuestPhase | 'composite' | 'protocol';

export interface LayerError {
  phase: ErrorPhase;
  message: string;
  stack?: string | undefined;
}

export class Layer {
  state: LayerState = 'loading';
  /** Compositor frames in which this layer showed fresh content. */
  presented = 0;
  /** Frame deadlines missed. */
  missed = 0;
  restarts = 0;
  /** Delivered frames replaced by a newer one before they were shown. */
  superseded = 0;
  error: LayerError | undefined;
  host: GuestHost | null = null;
  /** True once the guest has loaded and set up: from then on it is asked for frames. */
  started = false;
  inFlight: number | null = null;
  delivered: FrameDelivery | null = null;
  /** The views (pose) the frame now on screen was rendered for; null before the first frame. */
  shownViews: WireView[] | null = null;
  lastRenderMs = 0;

  constructor(
    readonly id: number,
    readonly url: string,
    readonly surface: Surface,
  ) {}

  /** Applies a lifecycle event through the one transition function. */
  apply(event: LayerEvent): void {
    const next = transition(this.state, event);
    if (next !== this.state) console.debug(`[steadfast] layer ${this.id} ${this.state} → ${next} (${event.type}) ${this.url}`);
    this.state = next;
  }

  /** Records an error; `describeError` gives the one-line form shown to users. */
  setError(error: LayerError): void {
    this.error = error;
  }

  /** A frame arrived for this layer. Returns false (and closes it) if it answers no request. */
  deliver(frame: FrameDelivery): boolean {
    if (frame.frameId !== this.inFlight) {
      frame.bitmap.close();
      return false;
    }
    this.inFlight = null;
    if (this.delivered) {
      this.delivered.bitmap.close();
      this.superseded += 1;
    }
    this.delivered = frame;
    this.lastRenderMs = frame.renderMs;
    return true;
  }

  /** Takes the newest delivered frame, if any; the caller must close its bitmap. */
  takeDelivered(): FrameDelivery | null {
    const frame = this.delivered;
    this.delivered = null;
    return frame;
  }

  /** Drops every held frame and forgets the guest (its host must already be terminated). */
  releaseFrames(): void {
    this.delivered?.bitmap.close();
    this.delivered = null;
    this.inFlight = null;
  }
}

/** The one-line error users see in the HUD and stats(): names the URL and the phase. */
export function describeError(url: string, error: LayerError): string {
  return `${error.phase} failed for ${url}: ${error.message}`;
}
