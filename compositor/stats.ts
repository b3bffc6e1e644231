// window.compositor.stats(): its shape (plain data, a public contract: README "Diagnostics"), and
// projectStats, the pure projection of the compositor's state onto it.
import type { LayerState } from './layer-state';
import { describeError, type ErrorPhase, type LastVetting, type Layer, type LayerHistoryEntry } from './layer';
import { liveVersion } from './live-edit/history';
import { guestCostMs } from './policy/grants';
import { median } from '../shared/median';
import { DEFAULT_LAYER } from '../shared/protocol';
import type { VettingState } from './live-edit/vetting';
import type { ReloadPhases } from './live-edit/reload-phases';
import type { VersionTrigger } from './live-edit/history';
import type { Policy } from '../shared/limits';
import type { LayerDeclaration, Visibility } from '../shared/protocol';
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
  /** 'visible': it has input focus; 'visible-blurred': it renders but gets no input (WebXR's XRVisibilityState). */
  visibility: Visibility;
  /** Why the layer is in its state, where that needs saying (quarantine reason, throttling). */
  stateReason: string | undefined;
  /** The pacer's divisor: the guest is asked for every `pacing`-th compositor frame (1 = every frame). */
  pacing: number;
  /** The share of its surface, per side, the guest renders at now (dynamic resolution; 1 = full size, at least 1/8). */
  scale: number;
  /** Runaway frames so far (policy/pacer.ts: one puts it at the bottom, a second there evicts it). */
  strikes: number;
  /** Request → delivery time of the last frame, ms, and the median over the pacer's window. */
  latencyMs: number;
  medianLatencyMs: number;
  surface: { width: number; height: number };
  /** The guest's own time for its last frame, ms. */
  renderMs: number;
  /** Its last frame's GPU time, ms: the bitmap transfer's wait for the GPU process (its work and what was queued ahead; 0 before a frame). */
  gpuMs: number;
  /** The GPU cost per frame its grants are planned with, ms: the fastest of its last 8 frames' GPU times at the scale it is asked at (policy/grants.ts); 0 before a frame. */
  costMs: number;
  /** How long its running worker took to load its module graph and to run setup(), ms, as the runtime measured them (undefined before it started). */
  loadMs: number | undefined;
  setupMs: number | undefined;
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
    /** Its reload's time so far, phase by phase (live-edit/reload-phases.ts). */
    phases: ReloadPhases;
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
  /** Live editing's warm staging: whether a container is ready for the next save, how many were made, and how many saves took one. */
  warmStaging: { ready: boolean; made: number; taken: number };
  /** The layer most recently edited or selected with the controller (the edit shortcuts act on it), or null. */
  lastEdited: number | null;
  /** The quad or cylinder layer the controller points at, or null. */
  pointedLayer: number | null;
  /** The layer whose guest has input focus (gets the controllers and their events), or null. */
  focused: number | null;
  /** Every guest is blurred: the user works the compositor's own UI (the HUD panel, the URL box). */
  trustedUi: boolean;
  /** The compositor's own frame budget (policy/frame-budget.ts). */
  budget: BudgetStats;
  layers: LayerStats[];
}

export interface BudgetStats {
  /** Whether guests' scale and the output scale adapt (page URL adapt; default true). */
  adaptive: boolean;
  /** The compositor's own output scale (the XR layer's framebuffer, the emulator's canvas): below 1 when even its own composite did not fit. */
  outputScale: number;
  /**
   * The scale of the output the layers were composited at in the last frame: 1, straight into the
   * output; below 1, those in `bufferedLayers` went into a buffer at this scale (their own
   * resolution: they were rendered far below the output's), resolved over the output once per run
   * of them; a layer finer than the rest (a text panel) is still drawn straight between runs.
   */
  composeScale: number;
  /** How many of the last frame's layers went through that buffer. */
  bufferedLayers: number;
  /** Guests' budgets are multiplied by this while frames come late for their sake (1 = none). */
  pressure: number;
  /** The compositor's own cost of its last frame: main-thread work plus its composite's GPU time, ms. */
  ownMs: number;
  /** Its composite's GPU time (fence), ms. */
  gpuMs: number;
  /** Windows of 30 frames judged, and those with late frames. */
  windows: number;
  lateWindows: number;
  /** Render grants (policy/grants.ts), from the last frame: the compositor's own cost at its least contention (the last window's tenth percentile), ms. */
  ownFloorMs: number;
  /** The GPU time per interval guests' frames were granted against: the interval less ownFloorMs, times the pressure, ms; null with adaptation off (every guest due is asked). */
  surplusMs: number | null;
  /** What frames granted earlier still held of it (each one's cost less the time since it was asked), ms. */
  backlogMs: number;
  /** The summed costs of the frames granted, ms. */
  grantedMs: number;
  /** Guests due for a frame but not asked (the surplus was spent; they go first next frame). */
  deferred: number;
}

/** Everything stats() reports, as the compositor holds it. */
export interface StatsSource extends Omit<CompositorStats, 'layers' | 'policy' | 'timewarp'> {
  policy: Policy;
  timewarp: TimewarpSettings;
  layers: Iterable<Layer>;
  /** When the newest head pose held, ms (undefined before the first frame). */
  latestPoseTime: number | undefined;
  /** Live editing's figures for a layer. */
  reloadStats(layer: Layer): ReloadStats;
  /** What a layer is told about its visibility. */
  visibilityOf(id: number): Visibility;
}

/** The stats() object: copies only, so nothing a caller does to it reaches the compositor. */
export function projectStats(source: StatsSource): CompositorStats {
  const { layers, latestPoseTime, reloadStats, visibilityOf, policy, timewarp, ...figures } = source;
  return { ...figures, policy: { ...policy }, timewarp: { ...timewarp }, layers: [...layers].map((layer) => layerStats(layer, latestPoseTime, reloadStats(layer), visibilityOf(layer.id))) };
}

function layerStats(layer: Layer, latestPoseTime: number | undefined, reload: ReloadStats, visibility: Visibility): LayerStats {
  const run = layer.run;
  const live = layer.liveRun;
  const shownPose = run?.shownPose ?? null;
  return {
    id: layer.id,
    url: layer.url,
    state: layer.state,
    presented: layer.presented,
    missed: layer.missed,
    restarts: layer.restarts,
    error: layer.error ? describeError(layer.url, layer.error) : undefined,
    errorPhase: layer.error?.phase,
    errorStack: layer.error?.stack,
    visibility,
    stateReason: layer.stateReason,
    pacing: run?.pacer.divisor ?? 1,
    scale: run?.pacer.scale ?? 1,
    strikes: run?.pacer.strikes ?? 0,
    latencyMs: run?.lastLatencyMs ?? 0,
    medianLatencyMs: median(run?.pacer.samples ?? []),
    surface: { ...layer.surface },
    renderMs: run?.lastRenderMs ?? 0,
    gpuMs: run?.recent.at(-1)?.gpuMs ?? 0,
    costMs: run ? Math.round(guestCostMs(run.recent, run.pacer.scale) * 10) / 10 : 0,
    loadMs: run?.initTimings?.loadMs,
    setupMs: run?.initTimings?.setupMs,
    superseded: layer.superseded,
    strayMessages: layer.pastStrayMessages + (live?.host.strayMessages ?? 0),
    droppedMessages: layer.pastDroppedMessages + (live?.host.droppedMessages ?? 0),
    history: layer.history.map((h) => ({ ...h })),
    declaration: structuredClone(run?.declaration ?? DEFAULT_LAYER),
    frozen: layer.frozen,
    poseAgeMs: shownPose && latestPoseTime !== undefined ? latestPoseTime - shownPose.poseTime : undefined,
    predictedMs: shownPose?.aheadMs,
    version: liveVersion(layer.versions)?.number ?? 0,
    versions: layer.versions.versions.length,
    reload,
  };
}
