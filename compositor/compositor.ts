// The compositor: its public API and its layer registry. Read this file as a table of contents;
// the work is in the rooms it wires together:
//   guests/       supervision: starting guest runs, their reports and failures (policy/ decides)
//   frame-loop.ts one frame, top to bottom: feed, watch and ask the runs, then composite
//   live-edit/    new versions: vetting, the swap, the history (undo, redo, revert)
//   pointer/      rays, hit tests, the beam, the session's controller
//   input/        focus, and the controllers and their events for the focused guest
//   gl/           the GL passes and textures        stats.ts  stats(), a pure projection
import { DEFAULT_POLICY, MAX_LAYERS, type Policy } from '../shared/limits';
import { parseGuestUrl } from '../shared/protocol';
import { CaptureQueue, type Capture, type CaptureRegion } from './capture';
import { FrameClock } from './frame-clock';
import { FrameLoop } from './frame-loop';
import { Graphics } from './gl/graphics';
import { GpuTimer } from './gl/gpu-timer';
import { prepareGuest, spawnGuest, type Isolation, type Surface } from './guest-host';
import { Supervisor } from './guests/supervisor';
import type { HudPanel } from './hud-panel/hud-panel';
import { describeError, Layer } from './layer';
import { holdsFocus, isComposited } from './layer-state';
import { GuestInput } from './input/input';
import { visibilityOf } from './policy/focus';
import { LiveEditor } from './live-edit/editor';
import { fetchSource } from './live-edit/sources';
import { Pointing, type PanelTarget } from './pointer/pointing';
import type { PointerSource, Ray } from './pointer/ray';
import { projectStats, type CompositorStats, type SessionMode } from './stats';
import { DEFAULT_TIMEWARP, type TimewarpSettings } from './timewarp/settings';
import { TraceRecorder, toChromeTrace } from './trace';

export interface CompositorOptions {
  surface: Surface;
  /** Where guests run: sandboxed iframes (default) or plain workers on the compositor's origin. */
  isolation?: Isolation;
  policy?: Partial<Policy>;
  /** The clock every policy reads (injected for tests); performance.now by default. */
  now?: () => number;
  timewarp?: Partial<TimewarpSettings>;
  /** Poll guest URLs for new versions (every 250 ms). */
  watch?: boolean;
  /** Frames a new version must deliver, after its preview frame, to pass vetting (default 30). */
  vetFrames?: number;
  /**
   * Adapt to the machine (default true): guests render at a scale of their surface chosen by
   * their measured cost, and the compositor's own output scale drops when its composite does not
   * fit. false (page URL adapt=0): full-size guests and output, pacing only.
   */
  adapt?: boolean;
  /**
   * Composite layers into a buffer at their own resolution when they were all rendered far below
   * the output's, resolved over it once (default true; page URL compose=direct: false).
   */
  bufferLayers?: boolean;
  /** The import map for guests' bare specifiers (page URL imports), absolute. */
  importMap?: string | undefined;
}

export const DEFAULT_ISOLATION: Isolation = 'sandbox';

export class Compositor {
  session: SessionMode = 'none';
  readonly clock = new FrameClock();
  readonly policy: Policy;
  readonly isolation: Isolation;
  readonly now: () => number;
  readonly timewarp: TimewarpSettings;
  readonly graphics: Graphics;
  /** The GPU time of each composite (a fence). */
  readonly gpu: GpuTimer;
  /** main.ts resizes the output when the compositor's own output scale changes. */
  onOutputScale: ((scale: number) => void) | null = null;
  /** Frame timing of the last seconds, for exportTrace(). */
  readonly trace = new TraceRecorder();
  readonly supervisor: Supervisor;
  /** Hot reload, vetting, version history (live-edit/editor.ts). */
  readonly editor: LiveEditor;
  readonly frameLoop: FrameLoop;
  readonly pointing = new Pointing();
  /** The user's input for guests: focus, routing, the controllers (input/). */
  readonly input = new GuestInput();
  private readonly captures = new CaptureQueue();
  /** The in-headset HUD panel, when shown (immersive sessions, or `hud=panel`). */
  hudPanel: HudPanel | null = null;
  /** Where the controller points this frame (main.ts sets the source: an XR input source, or the emulator's mouse). */
  pointer: PointerSource | null = null;
  /**
   * The time a frame's pose holds, ms: the emulator says exactly (main.ts sets this); a headset's
   * predicted display time where the browser gives it; else the frame's time.
   */
  poseTimeOf: (frame: XRFrame, time: number) => number = (frame, time) => (frame as { predictedDisplayTime?: number }).predictedDisplayTime ?? time;

  private readonly layerMap = new Map<number, Layer>();
  private nextLayerId = 1;
  /** The chain that starts new layers' first versions in declared order. */
  private firstStarts: Promise<void> = Promise.resolve();

  constructor(
    readonly gl: WebGL2RenderingContext,
    readonly options: CompositorOptions,
  ) {
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
    this.isolation = options.isolation ?? DEFAULT_ISOLATION;
    this.now = options.now ?? (() => performance.now());
    this.timewarp = { ...DEFAULT_TIMEWARP, ...options.timewarp };
    this.graphics = new Graphics(gl);
    this.gpu = new GpuTimer(gl, () => this.now());
    const adaptive = options.adapt ?? true;
    const registry = { layer: (id: number) => this.layerMap.get(id), layers: () => this.layerMap.values() };
    const shared = { now: () => this.now(), policy: this.policy, clock: this.clock, trace: this.trace };
    this.supervisor = new Supervisor({
      ...shared,
      ...registry,
      isolation: this.isolation,
      spawn: spawnGuest,
      importMap: options.importMap,
      adaptive,
      pressure: () => this.frameLoop.budget.pressure,
      compositorGpuBestSince: (since) => this.gpu.bestSince(since),
      frames: () => this.frameLoop.frames,
      releaseTexture: (id) => this.graphics.textures.release(id),
      versions: { staging: (id) => this.editor.staging(id), vettingStarted: (s) => this.editor.vettingStarted(s), vettingFrame: (s) => this.editor.vettingFrame(s), vettingFailed: (s, e, started) => this.editor.vettingFailed(s, e, started), vettingRefused: (s, m) => this.editor.vettingRefused(s, m), firstVersion: (l) => this.editor.firstVersion(l) },
    });
    this.editor = new LiveEditor({
      ...shared,
      ...registry,
      options,
      supervisor: this.supervisor,
      newId: () => this.nextLayerId++,
      renameTexture: (from, to) => this.graphics.textures.rename(from, to),
      prepareGuest: () => prepareGuest(this.isolation),
      busy: () => this.supervisor.anyStarting([]),
    });
    this.frameLoop = new FrameLoop({
      ...shared,
      ...registry,
      gl,
      graphics: this.graphics,
      timewarp: this.timewarp,
      supervisor: this.supervisor,
      pointing: this.pointing,
      captures: this.captures,
      editor: { beginFrame: (now) => this.editor.beginFrame(now), stagings: () => this.editor.stagingList(), previewLabel: (s) => this.editor.previewLabel(s), select: (id) => (this.editor.lastEdited = id) },
      hudPanel: () => this.hudPanel,
      gpu: this.gpu,
      outputScaleChanged: (scale, before) => {
        // A smaller output leaves the guests more of each interval: steps they proved late may fit now.
        if (scale < before) this.supervisor.loadChanged();
        this.onOutputScale?.(scale);
      },
      pointer: () => this.pointer,
      input: this.input,
      alphaAt: (id, x, y) => {
        const texture = this.graphics.textures.get(id);
        return texture ? (this.graphics.texels.read(texture, x, y)?.[3] ?? null) : null;
      },
      poseTimeOf: (frame, time) => this.poseTimeOf(frame, time),
      stats: () => this.stats(),
    }, adaptive, options.bufferLayers ?? true);
  }

  /** Starts presenting on an XR session (headset or emulator). */
  present(session: XRSession, space: XRReferenceSpace): void {
    this.input.attach(session, () => this.now());
    this.frameLoop.start(session, space);
  }

  /** Layers in declared (load) order, which is compositing order. */
  layers(): IterableIterator<Layer> {
    return this.layerMap.values();
  }

  /** Starts a guest from `url` (absolute or relative to the page) and returns its layer id. */
  load(url: string): number {
    let live = 0;
    for (const layer of this.layerMap.values()) if (layer.state !== 'failed') live += 1;
    if (live >= MAX_LAYERS) throw new Error(`cannot load ${url}: the compositor holds at most ${MAX_LAYERS} layers (unload one first)`);
    const parsed = parseGuestUrl(url, document.baseURI);
    const layer = new Layer(this.nextLayerId++, parsed.ok ? parsed.value : String(url), { ...this.options.surface });
    this.layerMap.set(layer.id, layer);
    if (!parsed.ok) {
      this.supervisor.fail(layer, { phase: 'load', message: parsed.reason });
      return layer.id;
    }
    // Its source is fetched first, so what runs is exactly what the history records (and a crash
    // restarts that text, whatever the URL serves by then); if the fetch fails, the guest imports
    // the URL itself, and the runtime says why it cannot load. Fetches run side by side; guests
    // still start in declared order.
    const fetched = fetchSource(layer.url).catch(() => null);
    this.firstStarts = this.firstStarts.then(async () => {
      const source = await fetched;
      if (layer.state !== 'loading' || this.layerMap.get(layer.id) !== layer || layer.run) return;
      layer.source = source?.text ?? null;
      this.supervisor.startLayer(layer);
    });
    return layer.id;
  }

  /** Stops and removes a layer; its state becomes `closed`. Returns false for an unknown id. */
  unload(id: number): boolean {
    const layer = this.layerMap.get(id);
    if (!layer) return false;
    this.editor.forget(layer);
    this.supervisor.forget(layer);
    this.supervisor.teardown(layer.run);
    this.graphics.textures.release(layer.id);
    this.supervisor.applyTo(layer, { type: 'unloaded' });
    this.layerMap.delete(id);
    return true;
  }

  /**
   * Gives layer `id`'s guest input focus (the others are blurred), as pointing at it and pulling
   * the trigger does. Throws for an unknown layer or one that has ended (failed, quarantined, closed).
   */
  focus(id: number): void {
    const layer = this.layerMap.get(id);
    if (!layer) throw new Error(`no layer ${id}`);
    if (!holdsFocus(layer.state)) throw new Error(`layer ${id} is ${layer.state}: it cannot take focus`);
    this.input.routing.apply({ type: 'focus', id });
  }

  /** Gives a quarantined or failed layer a fresh start (restart history cleared). */
  retry(id: number): boolean {
    const layer = this.layerMap.get(id);
    if (!layer || (layer.state !== 'quarantined' && layer.state !== 'failed')) return false;
    layer.restartHistory = [];
    layer.silentStarts = 0;
    this.supervisor.applyTo(layer, { type: 'retried' });
    this.supervisor.startLayer(layer);
    return true;
  }

  /** The guest's snapshot() state; rejects with the reason (recorded on the layer) if it fails. */
  async snapshot(id: number): Promise<unknown> {
    const run = this.layerMap.get(id)?.liveRun;
    if (!run?.started) throw new Error(`layer ${id} has no running guest`);
    const result = await run.host.snapshot();
    if (result.ok) return result.state;
    const error = { phase: result.phase, message: result.message, stack: result.stack };
    this.supervisor.report(run, error);
    throw new Error(describeError(run.url, error));
  }

  /** Turns reprojection on or off (what `timewarp=0` does at load); returns the new setting. */
  setTimewarp(enabled: boolean): boolean {
    this.timewarp.enabled = enabled;
    return enabled;
  }

  /**
   * Stops (or resumes) asking a layer's guest for frames; its last frame stays on screen, reprojected
   * to every new pose. For showing what timewarp does, and for tests. False for an unknown id.
   */
  freeze(id: number, frozen = true): boolean {
    const layer = this.layerMap.get(id);
    if (!layer) return false;
    layer.frozen = frozen;
    return true;
  }

  /** How far along a ray the nearest panel is (a composited quad or cylinder layer, or the HUD panel), metres; null if none. */
  reach(ray: Ray): number | null {
    return Pointing.reach(ray, this.hudPanel?.hit(ray)?.t ?? null, this.panelTargets());
  }

  /** The pixels (all, or `region`) and poses of the next presented frame (diagnostics and tests). */
  capture(region?: CaptureRegion): Promise<Capture> {
    return this.captures.ask(region);
  }

  stats(): CompositorStats {
    return projectStats({
      frames: this.frameLoop.frames,
      fps: this.clock.fps(),
      frameMs: this.clock.meanWorkMs(),
      session: this.session,
      textures: this.graphics.textures.size,
      internalErrors: this.frameLoop.internalErrors,
      lastInternalError: this.frameLoop.lastInternalError,
      contextRestores: this.graphics.contextRestores,
      isolation: this.isolation,
      policy: this.policy,
      timewarp: this.timewarp,
      watching: this.editor.watching,
      warmStaging: { ready: this.editor.warm.ready, ...this.editor.warm.counts },
      lastEdited: this.editor.lastEdited,
      pointedLayer: this.pointing.pointedLayer,
      focused: this.input.routing.focus.focused,
      trustedUi: this.input.routing.focus.trustedUi,
      visibilityOf: (id) => visibilityOf(this.input.routing.focus, id),
      budget: {
        adaptive: this.frameLoop.budget.adaptive,
        outputScale: this.frameLoop.budget.outputScale,
        composeScale: this.frameLoop.composeScale,
        bufferedLayers: this.frameLoop.bufferedLayers,
        pressure: Math.round(this.frameLoop.budget.pressure * 100) / 100,
        ownMs: Math.round(this.frameLoop.ownMs * 10) / 10,
        gpuMs: Math.round(this.gpu.lastMs * 10) / 10,
        windows: this.frameLoop.budget.windows,
        lateWindows: this.frameLoop.budget.lateWindows,
        ownFloorMs: Math.round(this.frameLoop.budget.ownFloorMs * 10) / 10,
        surplusMs: Number.isFinite(this.frameLoop.surplusMs) ? Math.round(this.frameLoop.surplusMs * 10) / 10 : null,
        backlogMs: Math.round(this.frameLoop.backlogMs * 10) / 10,
        grantedMs: Math.round(this.frameLoop.grantedMs * 10) / 10,
        deferred: this.frameLoop.deferred,
      },
      layers: this.layerMap.values(),
      latestPoseTime: this.frameLoop.motion.latest?.t,
      reloadStats: (layer) => this.editor.reloadStats(layer),
    });
  }

  /**
   * The last `seconds` of frame timing as a Chrome trace-event object (JSON.stringify it to a
   * file; it opens in Perfetto): compositor frames, and per layer its frames from request to
   * delivery, composites, misses, state changes (restarts among them) and reloads.
   */
  exportTrace(seconds = 10): ReturnType<typeof toChromeTrace> {
    const events = this.trace.since(performance.now() - seconds * 1000);
    const names = new Map<number, string>();
    for (const layer of this.layerMap.values()) names.set(layer.id, layer.url);
    for (const staging of this.editor.stagingList()) names.set(staging.id, `new version of layer ${staging.layerId} (vetting): ${this.layerMap.get(staging.layerId)?.url ?? ''}`);
    for (const e of events) if (e.layer !== undefined && !names.has(e.layer)) names.set(e.layer, '(gone)');
    return toChromeTrace(events, names, performance.timeOrigin);
  }

  /** Rebuilds every GL resource after the compositor's context was restored; layers refill on their next frames. */
  rebuildGraphics(): void {
    this.graphics.rebuild();
    this.gpu.reset();
    this.hudPanel?.reset();
    for (const layer of this.layerMap.values()) if (layer.run) layer.run.shownViews = null;
  }

  private *panelTargets(): Iterable<PanelTarget> {
    for (const layer of this.layerMap.values()) if (layer.run && isComposited(layer.state)) yield { id: layer.id, declaration: layer.run.declaration };
  }
}
