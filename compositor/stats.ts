// The shape of window.compositor.stats(): plain data, a public contract (README "Diagnostics").
import type { LayerState } from './layer-state';
import type { ErrorPhase, LastVetting, LayerHistoryEntry } from './layer';
import type { VettingState } from './live-edit/vetting';
import type { VersionTrigger } from './live-edit/history';
import type { Policy } from '../shared/limits';
import type { LayerDeclaration } from '../shared/protocol';
import type { TimewarpSettings } from './timewarp/settings';

/** How the compositor is presenting: not yet, on the desktop emulator, or in a headset's immersive session. */
export type SessionMode = 'none' | 'emulator' | 'immersive';

export interface LayerStats {
  id: number;
  url: string;
  state: LayerState;
  /** Compositor frames in which this layer showed fresh content. */
  presented: number;
  /** Frame deadlines missed. */
  missed: number;
  restarts: number;
  /** Last error, naming the URL and phase; undefined if none. */
  error: string | undefined;
  // Extensions beyond the contract's minimum:
  errorPhase: ErrorPhase | undefined;
  errorStack: string | undefined;
  /** Why the layer is in its state, where that needs saying (quarantine reason, throttling). */
  stateReason: string | undefined;
  /** The pacer's divisor: the guest is asked for every `pacing`-th compositor frame (1 = every frame). */
  pacing: number;
  /** Request → delivery time of the last frame, ms, and the median over the pacer's window. */
  latencyMs: number;
  medianLatencyMs: number;
  surface: { width: number; height: number };
  /** The guest's own time for its last frame, ms. */
  renderMs: number;
  /** Frames delivered but replaced by a newer one before being shown. */
  superseded: number;
  /** Messages the guest's code posted on its worker's public channel (ignored). */
  strayMessages: number;
  /** Frame-port messages over the per-frame cap (dropped). */
  droppedMessages: number;
  /** The last state changes, oldest first (time, compositor frame, new state, event). */
  history: LayerHistoryEntry[];
  /** What kind of layer the guest declared (projection until it has started). */
  declaration: LayerDeclaration;
  /** Not asked for frames (compositor.freeze); its last frame stays up, reprojected. */
  frozen: boolean;
  /** How old the pose of the frame on screen is (now minus the pose its request started from), ms. */
  poseAgeMs: number | undefined;
  /** How far ahead that frame's pose was predicted, ms (0 with prediction off). */
  predictedMs: number | undefined;
  /** The live version's number in the layer's history (1 = as first loaded; 0 before it started). */
  version: number;
  /** Good versions kept (compositor.history(id) lists them). */
  versions: number;
  /** Live editing: the version being vetted, whether another waits, and how the last vetting ended. */
  reload: ReloadStats;
}

export interface ReloadStats {
  vetting: {
    state: VettingState;
    /** Frames delivered in the vetting window so far, of windowFrames. */
    frames: number;
    windowFrames: number;
    /** The new version's measured frame rate. */
    fps: number;
    trigger: VersionTrigger;
    /** Set when returning to a version already in the history. */
    revertTo: number | undefined;
    /** Whether the live version's snapshot() state was handed to the new version's setup. */
    stateCarried: boolean;
    /** Whether the new version's restore() took the live version's state at the swap (handing-over, then passed). */
    stateRestored: boolean;
    /** The staging layer's id (its worker is not a layer of its own). */
    stagingId: number;
  } | null;
  queued: boolean;
  last: LastVetting | null;
}

export interface CompositorStats {
  /** Compositor frames presented. */
  frames: number;
  /** Presentation rate over the last ~2 s. */
  fps: number;
  /** Mean main-thread ms the compositor spent per frame over the last ~2 s. */
  frameMs: number;
  session: SessionMode;
  /** Layer textures alive on the compositor's GL context. */
  textures: number;
  internalErrors: number;
  lastInternalError: string | undefined;
  /** Times the compositor's GL context was lost and rebuilt. */
  contextRestores: number;
  /** Where guests run: 'sandbox' (opaque-origin iframe) or 'worker' (plain worker, no isolation). */
  isolation: 'sandbox' | 'worker';
  /** The supervision policy in force. */
  policy: Policy;
  /** Reprojection, its fallback, and pose prediction (URL timewarp/fallback/prediction; API setTimewarp). */
  timewarp: TimewarpSettings;
  /** Guest URLs polled for new versions. */
  watching: number;
  /** The layer most recently edited or selected with the controller (the edit shortcuts act on it), or null. */
  lastEdited: number | null;
  /** The quad or cylinder layer the controller points at, or null. */
  pointedLayer: number | null;
  layers: LayerStats[];
}

/** "2nd", "3rd", "4th" … for pacing text ("asked every 3rd frame"); '' for 1. */
export function ordinal(n: number): string {
  return n === 1 ? '' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}
