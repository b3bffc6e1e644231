// One layer: a guest URL's place in the compositor. What outlives any one worker lives here: its
// lifecycle state (layer-state.ts), its error, its counters, its versions and live-editing data.
// What belongs to one worker's life is its run (guests/guest-run.ts); the layer keeps its last run,
// retired, after a crash, so stats() still shows its figures until the next one starts.
import type { PreparedGuest, Surface } from './guest-host';
import type { GuestRun } from './guests/guest-run';
import { transition, type LayerEvent, type LayerState } from './layer-state';
import { emptyHistory, type History } from './live-edit/history';
import type { PendingVersion } from './live-edit/staging';
import type { ReloadPhases } from './live-edit/reload-phases';
import type { LayerError } from './policy/failure';

export type { ErrorPhase, LayerError } from './policy/failure';

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
  /** Its reload's time, phase by phase (live-edit/reload-phases.ts). */
  phases?: ReloadPhases | undefined;
  /** Frames the frame-rate judgement saw (after the preview frame) before it decided, or before the version failed. */
  frames?: number | undefined;
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

export class Layer {
  state: LayerState = 'loading';
  /** Why the layer is in its state, where that needs saying (quarantine, throttling). */
  stateReason: string | undefined;
  error: LayerError | undefined;
  /** The worker running its live version now, or the last one (retired). Null before the first. */
  run: GuestRun | null = null;
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
  /** Not asked for frames while frozen: its last frame stays up, reprojected to every new pose. */
  frozen = false;
  /** Crash times inside the supervisor's window, newest first. */
  restartHistory: number[] = [];
  /** Its last starts in a row whose runtime fell silent before a first frame (policy/supervisor.ts SILENT_STARTS). */
  silentStarts = 0;
  /** Its crashed guest's container, kept for the restart (guest-host.ts recycle); null when there is none. */
  spare: PreparedGuest | null = null;
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
  readonly history: LayerHistoryEntry[] = [];

  constructor(
    readonly id: number,
    readonly url: string,
    readonly surface: Surface,
  ) {}

  /** Its run, if that run is working (not retired). */
  get liveRun(): GuestRun | null {
    return this.run && !this.run.retired ? this.run : null;
  }

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
      framesSinceDelivery: frame - (this.run?.lastDeliveryFrame ?? 0),
      msSinceLife: Math.round(t - (this.run?.liveness.lastLifeAt ?? 0)),
    });
    if (this.history.length > HISTORY_LENGTH) this.history.shift();
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
