// One layer: what the compositor knows about one guest, and its frame slots.
// Slots follow Monado's multi-client compositor: `inFlight` is the request the guest is
// working on (scheduled), `delivered` the newest finished frame not yet shown. The render
// loop never waits on either; it takes whatever is in `delivered`, and a newer delivery
// replaces (and closes) an older one at once, so a layer never holds more than one bitmap.
import { DEFAULT_LAYER, type FrameDelivery, type GuestPhase, type LayerDeclaration, type WireView } from '../shared/protocol';
import type { GuestHost, Surface } from './guest-host';
import { transition, type LayerEvent, type LayerState } from './layer-state';
import { initialPacer, type PacerState } from './policy/pacer';
import { emptyHistory, type History } from './live-edit/history';
import type { PendingVersion } from './live-edit/staging';
import type { InFlight, Liveness } from './policy/watchdog';

/** Where a layer's error came from: a guest phase, or what the compositor saw; 'reload': a new version was rejected. */
export type ErrorPhase = GuestPhase | 'composite' | 'protocol' | 'hang' | 'startup' | 'reload';

export interface LayerError {
  phase: ErrorPhase;
  message: string;
  stack?: string | undefined;
  /** The guest source line, where known (syntax errors). */
  line?: number | undefined;
}

/** How a vetting ended: the version (hash, what made it) and, if rejected, where and why. */
export interface LastVetting {
  outcome: 'passed' | 'rejected';
  hash: string;
  trigger: string;
  phase?: string | undefined;
  message?: string | undefined;
  line?: number | undefined;
  /** Passed: whether the new version's restore() took the live state at the swap. */
  restored?: boolean | undefined;
}

/** One remembered state change, for stats() and the bench's latency figures. */
export interface LayerHistoryEntry {
  /** performance.now() of the change. */
  t: number;
  /** Compositor frame count at the change. */
  frame: number;
  state: LayerState;
  event: LayerEvent['type'];
  /** Compositor frames since the layer's guest last delivered a frame. */
  framesSinceDelivery: number;
  /** ms since the guest's last sign of life (frame, heartbeat, error). */
  msSinceLife: number;
}

const HISTORY_LENGTH = 32;

/** The pose a frame was asked for: when the pose it started from held, and how far ahead it was predicted. */
export interface RequestPose {
  poseTime: number;
  aheadMs: number;
}

export class Layer {
  state: LayerState = 'loading';
  /** Why the layer is in its state, where that needs saying (quarantine, throttling). */
  stateReason: string | undefined;
  /** Compositor frames in which this layer showed fresh content. */
  presented = 0;
  /** Frame deadlines missed. */
  missed = 0;
  restarts = 0;
  /** Delivered frames replaced by a newer one before they were shown. */
  superseded = 0;
  /** Messages counted by earlier workers of this layer (stray, dropped over the cap). */
  pastStrayMessages = 0;
  pastDroppedMessages = 0;
  error: LayerError | undefined;
  host: GuestHost | null = null;
  /** True once the guest has loaded and set up: from then on it is asked for frames. */
  started = false;
  inFlight: InFlight | null = null;
  delivered: FrameDelivery | null = null;
  /** The views (pose) the frame now on screen was rendered for; null before the first frame. */
  shownViews: WireView[] | null = null;
  /** What kind of layer the guest declared (known once it has started; projection until then). */
  declaration: LayerDeclaration = DEFAULT_LAYER;
  /** Not asked for frames while frozen: its last frame stays up, reprojected to every new pose. */
  frozen = false;
  /** 'staging': a new version under vetting (see live-edit/), for the live layer `parentId`. */
  role: 'live' | 'staging' = 'live';
  parentId = 0;
  /** The source text the guest runs (its live version's); null: imported from the URL. */
  source: string | null = null;
  /** Every good version, and which is live. */
  versions: History = emptyHistory();
  /** Modules the live version imports directly (absolute, without query): a change to one reloads it. */
  dependencies: string[] = [];
  /** A newer version waiting while another is vetted (one at a time; a newer one replaces it). */
  queued: PendingVersion | null = null;
  /** How the last vetting of a new version ended (null while one is vetted, or before any). */
  lastVetting: LastVetting | null = null;
  /** The guest has restore(): a new version under vetting is handed the live state at the swap. */
  restores = false;
  /** Live editing is handing this layer's state to its next version: it is asked for no frames. */
  handingOver = false;
  /** Pose of the request in flight, of the delivered frame, and of the frame on screen. */
  requestPose: RequestPose | null = null;
  deliveredPose: RequestPose | null = null;
  shownPose: RequestPose | null = null;
  lastRenderMs = 0;
  /** Request → delivery time of the last frame, ms (includes the guest's GPU time). */
  lastLatencyMs = 0;
  /** Compositor frame count when the guest last delivered a frame. */
  lastDeliveryFrame = 0;
  liveness: Liveness = { spawnedAt: 0, lastLifeAt: 0, firstFrameAt: null };
  pacer: PacerState = initialPacer();
  /** Compositor frames since this layer was last asked for a frame. */
  framesSinceRequest = Infinity;
  /** Consecutive compositor frames this layer has been stale. */
  staleFrames = 0;
  /** Crash times inside the supervisor's window, newest first. */
  restartHistory: number[] = [];
  readonly history: LayerHistoryEntry[] = [];

  constructor(
    readonly id: number,
    readonly url: string,
    readonly surface: Surface,
  ) {}

  /** Applies a lifecycle event through the one transition function and remembers the change. */
  apply(event: LayerEvent, t: number, frame: number): void {
    const next = transition(this.state, event);
    if (next === this.state) return;
    console.debug(`[steadfast] layer ${this.id} ${this.state} → ${next} (${event.type}) ${this.url}`);
    this.state = next;
    this.history.push({
      t,
      frame,
      state: next,
      event: event.type,
      framesSinceDelivery: frame - this.lastDeliveryFrame,
      msSinceLife: Math.round(t - this.liveness.lastLifeAt),
    });
    if (this.history.length > HISTORY_LENGTH) this.history.shift();
  }

  setError(error: LayerError): void {
    this.error = error;
  }

  /** A frame arrived for this layer. Returns false (and closes it) if it answers no request. */
  deliver(frame: FrameDelivery, now: number): boolean {
    if (!this.inFlight || frame.frameId !== this.inFlight.frameId) {
      frame.bitmap.close();
      return false;
    }
    this.lastLatencyMs = now - this.inFlight.sentAt;
    this.inFlight = null;
    if (this.delivered) {
      this.delivered.bitmap.close();
      this.superseded += 1;
    }
    this.delivered = frame;
    this.deliveredPose = this.requestPose;
    this.requestPose = null;
    this.lastRenderMs = frame.renderMs;
    return true;
  }

  /** Takes the newest delivered frame, if any; the caller must close its bitmap. */
  takeDelivered(): FrameDelivery | null {
    const frame = this.delivered;
    this.delivered = null;
    return frame;
  }

  /** Drops every held frame and request (the host must already be terminated). */
  releaseFrames(): void {
    this.delivered?.bitmap.close();
    this.delivered = null;
    this.inFlight = null;
    this.shownViews = null;
    this.requestPose = this.deliveredPose = this.shownPose = null;
  }

  /** Resets what belongs to one worker's life, before a new worker is spawned. */
  resetForSpawn(now: number): void {
    this.liveness = { spawnedAt: now, lastLifeAt: now, firstFrameAt: null };
    this.pacer = initialPacer();
    this.framesSinceRequest = Infinity;
    this.staleFrames = 0;
    this.stateReason = undefined;
  }
}

/** The one-line error users see in the HUD and stats(): names the URL and the phase. */
export function describeError(url: string, error: LayerError): string {
  switch (error.phase) {
    case 'hang':
      return `hang detected in ${url}: ${error.message}`;
    case 'startup':
      return `start-up failed for ${url}: ${error.message}`;
    case 'reload':
      return `new version of ${url} rejected: ${error.message}`;
    default:
      return `${error.phase} failed for ${url}: ${error.message}`;
  }
}
