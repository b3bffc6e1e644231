// One guest worker's life: its host (the channel to the worker), its frame slots, the poses of
// its frames, its liveness, its pace and its counters. A layer's live version has a run; a
// version under vetting has a run; swapping a version in hands its run to the layer (a new
// `owner`); a restart is a new run. Nothing here outlives the worker, except that a layer keeps
// its last run, retired, for stats() until the next one starts.
//
// Slots follow Monado's multi-client compositor: `inFlight` is the request the guest is working
// on (scheduled), `delivered` the newest finished frame not yet shown. The render loop never
// waits on either; it takes whatever is in `delivered`, and a newer delivery replaces (and
// closes) an older one at once, so a run never holds more than one bitmap.
import { DEFAULT_LAYER, type FrameDelivery, type LayerDeclaration, type WireView } from '../../shared/protocol';
import type { GuestHost, PreparedGuest, Surface } from '../guest-host';
import { initialPacer, type PacerState } from '../policy/pacer';
import { newLiveness, type InFlight, type Liveness } from '../policy/watchdog';

/**
 * Who a run works for now, by id (the supervisor finds the object and checks it still holds this
 * run): a layer's live version, or a version under vetting for layer `layerId`. `id` is the one its
 * texture and trace events carry.
 */
export type RunOwner = { kind: 'layer'; id: number } | { kind: 'vetting'; id: number; layerId: number };

/** The pose a frame was asked for: when the pose it started from held, and how far ahead it was predicted. */
export interface RequestPose {
  poseTime: number;
  aheadMs: number;
}

/** What became of a delivered frame: taken (replacing an unshown one or not), or closed as answering no request. */
export type Delivery = 'taken' | 'superseded' | 'unasked';

/**
 * One delivery: when it arrived, its request → delivery latency (`ms`), its GPU time (the bitmap
 * transfer's wait, shared/protocol.ts), what was queued ahead of it, its own time in frame() (its
 * render time less that wait), and the scale it was asked at.
 */
export interface RecentDelivery {
  at: number;
  ms: number;
  gpuMs: number;
  /** The GPU work the plan knew was queued ahead of it when it was granted (policy/grants.ts), ms. */
  aheadMs: number;
  cpuMs: number;
  scale: number;
}

/** Deliveries a run remembers in `recent`. */
export const RECENT_DELIVERIES = 30;

export class GuestRun {
  /** Retired: its worker is ended (or about to be); nothing it sends counts any more. */
  retired = false;
  /** True once the guest has loaded and set up: from then on it is asked for frames. */
  started = false;
  /** What kind of layer the guest declared (known once it has started; projection until then). */
  declaration: LayerDeclaration = DEFAULT_LAYER;
  /** The guest has restore(): a version under vetting is handed the live state at the swap. */
  restores = false;
  /** How long its module's load and its setup() took, as its runtime measured them (null before it started, or if not said). */
  initTimings: { loadMs: number; setupMs: number } | null = null;
  /** Live editing is handing this run's state to the next version: it is asked for no frames. */
  handingOver = false;
  inFlight: InFlight | null = null;
  delivered: FrameDelivery | null = null;
  /** The views (pose) the frame now on screen was rendered for; null before the first frame. */
  shownViews: WireView[] | null = null;
  /** The bitmap size the request in flight was asked at (its scale of the surface). */
  requestSize: { width: number; height: number } | null = null;
  /** Pose of the request in flight, of the delivered frame, and of the frame on screen. */
  requestPose: RequestPose | null = null;
  deliveredPose: RequestPose | null = null;
  shownPose: RequestPose | null = null;
  /** The guest's own time for its last frame, ms. */
  lastRenderMs = 0;
  /** The scale the request in flight was asked at. */
  requestScale = 1;
  /** The GPU cost the request in flight was granted for, and the GPU work the plan knew was queued ahead of it, ms (policy/grants.ts). */
  requestCostMs = 0;
  requestAheadMs = 0;
  /** Request → delivery time of the last frame, ms (includes the guest's GPU time). */
  lastLatencyMs = 0;
  /** Since when its pacer has marked it late at the bottom of its ladder without a break (null: it is not). */
  lateSince: number | null = null;
  /** Since when its pacer has held it while other guests start (policy/admission-hold.ts; null: it is not held). */
  heldAt: number | null = null;
  /** When its start ended: its first frame, or its start slot given back (null: not yet). */
  startEndedAt: number | null = null;
  /** When it was last readmitted after a hold (null: never): its admission is measured afresh from then. */
  readmittedAt: number | null = null;
  /**
   * Its latest deliveries (when, their latency, GPU time, frame() time and scale), at most
   * RECENT_DELIVERIES, across the pacer's steps: the newest is what the admission judges
   * (policy/pacer.ts pacerCostRecord), all of them what a neighbour's admission is compared with
   * (guests/neighbours.ts).
   */
  readonly recent: RecentDelivery[] = [];
  liveness: Liveness;
  pacer: PacerState = initialPacer();
  /** Compositor frames since this run was last asked for a frame. */
  framesSinceRequest = Infinity;
  /** Consecutive compositor frames its layer has been stale. */
  staleFrames = 0;

  /** The channel to its worker. */
  readonly host: GuestHost;

  constructor(
    public owner: RunOwner,
    readonly url: string,
    readonly surface: Surface,
    spawnedAt: number,
    /** Compositor frame count when its layer's guest last delivered a frame (carried from the run before). */
    public lastDeliveryFrame: number,
    /** Starts its worker, whose events report on this run. */
    spawn: (run: GuestRun) => GuestHost,
  ) {
    this.liveness = newLiveness(spawnedAt);
    this.host = spawn(this);
  }

  /** Running and not retired: it may be asked for frames and its messages count. */
  get active(): boolean {
    return !this.retired;
  }

  /** A frame arrived. Closes it (and says so) if it answers no request. */
  deliver(frame: FrameDelivery, now: number): Delivery {
    if (!this.inFlight || frame.frameId !== this.inFlight.frameId) {
      frame.bitmap.close();
      return 'unasked';
    }
    this.lastLatencyMs = now - this.inFlight.sentAt;
    this.recent.push({ at: now, ms: this.lastLatencyMs, gpuMs: frame.gpuMs, aheadMs: this.requestAheadMs, cpuMs: Math.max(0, frame.renderMs - frame.gpuMs), scale: this.requestScale });
    if (this.recent.length > RECENT_DELIVERIES) this.recent.shift();
    this.inFlight = null;
    this.requestSize = null;
    let outcome: Delivery = 'taken';
    if (this.delivered) {
      this.delivered.bitmap.close();
      outcome = 'superseded';
    }
    this.delivered = frame;
    this.deliveredPose = this.requestPose;
    this.requestPose = null;
    this.lastRenderMs = frame.renderMs;
    return outcome;
  }

  /** Takes the newest delivered frame, if any; the caller must close its bitmap. */
  takeDelivered(): FrameDelivery | null {
    const frame = this.delivered;
    this.delivered = null;
    return frame;
  }

  /** Drops every held frame and request. */
  releaseFrames(): void {
    this.delivered?.bitmap.close();
    this.delivered = null;
    this.inFlight = null;
    this.requestSize = null;
    this.shownViews = null;
    this.requestPose = this.deliveredPose = this.shownPose = null;
  }

  /**
   * Ends this run: no message of its counts from now on, its frames are freed now, and its worker
   * is terminated once the current dispatch is over (libwayland's rule: never destroy a client
   * inside its own callback). With `keep` (a restart), its container is kept with a fresh runtime
   * in it and handed to `keep`, where it can be (guest-host.ts recycle). Idempotent.
   */
  retire(keep?: (spare: PreparedGuest) => void): void {
    if (this.retired) return;
    this.retired = true;
    this.started = false;
    this.handingOver = false;
    this.releaseFrames();
    queueMicrotask(() => {
      const spare = keep ? this.host.recycle() : null;
      if (keep && spare) keep(spare);
      else this.host.terminate();
    });
  }
}
