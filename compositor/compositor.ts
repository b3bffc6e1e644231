// The compositor's layers and its public API (load, unload, retry, snapshot, stats, and live
// editing: reload, history, revert, undo, redo). The per-frame work is in frame-loop.ts; this file
// owns what happens between frames: starting guests, taking their messages, acting on failures
// (fail, restart, quarantine) as the pure policies in policy/ decide, and vetting new versions
// (live-edit/) before they replace live ones.
import { DEFAULT_POLICY, MAX_LAYERS, type Policy } from '../shared/limits';
import { DEFAULT_LAYER, parseGuestUrl, surfaceSize, type FrameDelivery, type GuestErrorReport } from '../shared/protocol';
import { spawnGuest, type GuestHost, type Isolation, type Surface } from './guest-host';
import { Layer, describeError, type LayerError } from './layer';
import type { LayerEvent } from './layer-state';
import { Passes } from './gl/passes';
import { LayerTextures } from './gl/layer-textures';
import { FrameClock } from './frame-clock';
import { failureAction } from './policy/failure';
import { onCrash } from './policy/supervisor';
import { bestLatency, median, pacerRecord, standsOut } from './policy/pacer';
import { ordinal, type CompositorStats, type LayerStats, type SessionMode } from './stats';
import type { PresentedFrame } from './frame-loop';
import { initialMotion, type HeadMotion } from './timewarp/prediction';
import { DEFAULT_TIMEWARP, type TimewarpSettings } from './timewarp/settings';
import { captureFrame, type Capture, type CaptureRegion } from './capture';
import { liveVersion } from './live-edit/history';
import { fetchSource } from './live-edit/sources';
import { LiveEditor } from './live-edit/editor';
import { TraceRecorder, toChromeTrace } from './trace';
import type { HudPanel, PointerFrame, PointerRay } from './hud-panel/hud-panel';
import { rayHitsPanel, type Ray } from './pointing';
import { nearestHit } from './pointer-beam';
import { PreviewLabels } from './live-edit/preview-label';
import { isComposited } from './layer-state';
import type { Viewport, WireView } from '../shared/protocol';

export interface CompositorOptions {
  surface: Surface;
  /** Where guests run: sandboxed iframes (default) or plain workers on the compositor's origin. */
  isolation?: Isolation;
  policy?: Partial<Policy>;
  /** The clock every policy reads (injected for tests); performance.now by default. */
  now?: () => number;
  timewarp?: Partial<TimewarpSettings>;
  /** Poll guest URLs for new versions (about once a second). */
  watch?: boolean;
  /** Frames a new version must deliver, after its preview frame, to pass vetting (default 30). */
  vetFrames?: number;
}


export const DEFAULT_ISOLATION: Isolation = 'sandbox';


export class Compositor {
  /** Compositor frames presented. */
  frames = 0;
  /** Frame ids handed to guests; one counter for all layers. */
  nextFrameId = 1;
  session: SessionMode = 'none';
  readonly clock = new FrameClock();
  readonly policy: Policy;
  readonly isolation: Isolation;
  readonly now: () => number;
  passes: Passes;
  readonly timewarp: TimewarpSettings;
  /** The head's recent motion, for predicting where it will be. */
  motion: HeadMotion = initialMotion();
  /**
   * The time a frame's pose holds, ms: the emulator says exactly (main.ts sets this); a headset's
   * predicted display time where the browser gives it; else the frame's time.
   */
  poseTimeOf: (frame: XRFrame, time: number) => number = (frame, time) => (frame as { predictedDisplayTime?: number }).predictedDisplayTime ?? time;
  /** Captures asked for, answered at the end of the next presented frame. */
  private captures: { region: CaptureRegion | undefined; resolve: (capture: Capture) => void; reject: (error: unknown) => void }[] = [];
  textures: LayerTextures;
  /** Errors the compositor caught in its own frame work, outside any layer (should stay 0). */
  internalErrors = 0;
  lastInternalError: string | undefined;
  /** Times the compositor's own GL context was lost and rebuilt. */
  contextRestores = 0;
  /** When the previous compositor frame started (the watchdog skips judging hangs after a stall). */
  lastFrameAt = -Infinity;
  /** Whether the previous frame skipped judging liveness (it never skips two in a row). */
  skippedLiveness = false;

  private readonly layerMap = new Map<number, Layer>();
  private nextLayerId = 1;
  /** Which layer each guest host serves now (a vetted version's host moves to the live layer). */
  private readonly owners = new Map<GuestHost, Layer>();
  /** Hot reload, vetting, version history (live-edit/editor.ts). */
  readonly editor: LiveEditor;
  /** When a guest was last evicted as too slow (see Policy.evictionCooldownMs). */
  private lastEvictionAt = -Infinity;
  /** The quad or cylinder layer the controller points at, if any (stats().pointedLayer). */
  pointedLayer: number | null = null;
  /** How far along the controller's ray that layer is met (metres), or null. */
  pointedAt: number | null = null;
  /** Whether the controller's trigger was held last frame (a press is the frame it goes down). */
  private triggerWas = false;
  /** Frame timing of the last seconds, for exportTrace(). */
  readonly trace = new TraceRecorder();
  /** The labels over the preview panels of versions under vetting. */
  readonly previewLabels: PreviewLabels;
  /** The in-headset HUD panel, when shown (immersive sessions, or `hud=panel`). */
  hudPanel: HudPanel | null = null;
  /** Where the controller points this frame (main.ts sets the source: an XR input source, or the emulator's mouse). */
  pointer: ((frame: XRFrame, space: XRReferenceSpace, eyes: readonly { view: WireView; viewport: Viewport }[]) => PointerRay | null) | null = null;

  constructor(
    readonly gl: WebGL2RenderingContext,
    readonly options: CompositorOptions,
  ) {
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
    this.isolation = options.isolation ?? DEFAULT_ISOLATION;
    this.now = options.now ?? (() => performance.now());
    this.passes = new Passes(gl);
    this.previewLabels = new PreviewLabels(gl);
    this.textures = new LayerTextures(gl);
    this.timewarp = { ...DEFAULT_TIMEWARP, ...options.timewarp };
    this.editor = new LiveEditor({
      now: () => this.now(),
      policy: this.policy,
      clock: this.clock,
      trace: this.trace,
      renameTexture: (from, to) => this.textures.rename(from, to),
      options: this.options,
      layer: (id) => this.layerMap.get(id),
      layers: () => this.layerMap.values(),
      newLayerId: () => this.nextLayerId++,
      startGuest: (layer, state) => this.startGuest(layer, state),
      teardown: (layer) => this.teardown(layer),
      apply: (layer, event) => this.apply(layer, event),
      bindHost: (host, layer) => this.owners.set(host, layer),
      unbindHost: (host) => this.owners.delete(host),
    });
  }

  /** Layers in declared (load) order, which is compositing order. */
  layers(): IterableIterator<Layer> {
    return this.layerMap.values();
  }

  /** Starts a guest from `url` (absolute or relative to the page) and returns its layer id. */
  load(url: string): number {
    if (this.liveLayerCount() >= MAX_LAYERS) {
      throw new Error(`cannot load ${url}: the compositor holds at most ${MAX_LAYERS} layers (unload one first)`);
    }
    const parsed = parseGuestUrl(url, document.baseURI);
    const layer = new Layer(this.nextLayerId++, parsed.ok ? parsed.value : String(url), { ...this.options.surface });
    this.layerMap.set(layer.id, layer);
    if (!parsed.ok) {
      this.fail(layer, { phase: 'load', message: parsed.reason });
      return layer.id;
    }
    void this.firstStart(layer);
    return layer.id;
  }

  /**
   * Starts a new layer's first version. Its source is fetched first, so what runs is exactly what
   * the history records (and a crash restarts that text, whatever the URL serves by then); if the
   * fetch fails, the guest imports the URL itself, and the runtime says why it cannot load.
   */
  private firstStart(layer: Layer): Promise<void> {
    const fetched = fetchSource(layer.url).catch(() => null);
    // Fetches run side by side; guests still start in declared order.
    this.firstStarts = this.firstStarts.then(async () => {
      const source = await fetched;
      if (layer.state !== 'loading' || this.layerMap.get(layer.id) !== layer || layer.host) return;
      layer.source = source?.text ?? null;
      this.startGuest(layer);
    });
    return this.firstStarts;
  }

  /** The chain that starts new layers' first versions in declared order. */
  private firstStarts: Promise<void> = Promise.resolve();

  /** Stops and removes a layer; its state becomes `closed`. Returns false for an unknown id. */
  unload(id: number): boolean {
    const layer = this.layerMap.get(id);
    if (!layer) return false;
    this.editor.forget(layer);
    this.teardown(layer);
    this.apply(layer, { type: 'unloaded' });
    this.layerMap.delete(id);
    return true;
  }

  /** Gives a quarantined or failed layer a fresh start (restart history cleared). */
  retry(id: number): boolean {
    const layer = this.layerMap.get(id);
    if (!layer || (layer.state !== 'quarantined' && layer.state !== 'failed')) return false;
    layer.restartHistory = [];
    this.apply(layer, { type: 'retried' });
    this.startGuest(layer);
    return true;
  }

  /** The guest's snapshot() state; rejects with the reason (recorded on the layer) if it fails. */
  async snapshot(id: number): Promise<unknown> {
    const layer = this.layerMap.get(id);
    if (!layer?.host || !layer.started) throw new Error(`layer ${id} has no running guest`);
    const result = await layer.host.snapshot();
    if (result.ok) return result.state;
    this.report(layer, { phase: result.phase, message: result.message, stack: result.stack });
    throw new Error(describeError(layer.url, { phase: result.phase, message: result.message }));
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

  /** This frame's pointer ray, and whether its trigger went down this frame (the one place that is decided). */
  readPointer(ray: PointerRay | null): PointerFrame {
    const pressed = ray?.pressed ?? false;
    const clicked = pressed && !this.triggerWas;
    this.triggerWas = pressed;
    return { ray, clicked };
  }

  /**
   * Per frame: which panel layer the controller points at; a trigger press on one selects it (the
   * layer the edit shortcuts act on). `onHud`: the ray is on the HUD panel, which takes the press.
   */
  pointAt(pointer: PointerFrame, onHud: boolean): void {
    const best = pointer.ray && !onHud ? this.nearestPanelLayer(pointer.ray) : null;
    this.pointedLayer = best?.id ?? null;
    this.pointedAt = best?.t ?? null;
    if (pointer.clicked && best) this.editor.lastEdited = best.id;
  }

  /** How far along a ray the nearest panel is (a composited quad or cylinder layer, or the HUD panel), metres; null if none. */
  reach(ray: Ray): number | null {
    return nearestHit(this.hudPanel?.hit(ray)?.t ?? null, this.nearestPanelLayer(ray)?.t ?? null);
  }

  /** The composited quad or cylinder layer a ray meets first, and how far along it. */
  private nearestPanelLayer(ray: Ray): { id: number; t: number } | null {
    let best: { id: number; t: number } | null = null;
    for (const layer of this.layerMap.values()) {
      if (!isComposited(layer.state)) continue;
      const hit = rayHitsPanel(layer.declaration, ray);
      if (hit && (!best || hit.t < best.t)) best = { id: layer.id, t: hit.t };
    }
    return best;
  }

  /** The pixels (all, or `region`) and poses of the next presented frame (diagnostics and tests). */
  capture(region?: CaptureRegion): Promise<Capture> {
    return new Promise((resolve, reject) => this.captures.push({ region, resolve, reject }));
  }

  /** Runs at the end of every presented frame, with the frame's pose and viewports still bound. */
  afterPresent(frame: PresentedFrame): void {
    if (this.captures.length === 0) return;
    const waiting = this.captures;
    this.captures = [];
    for (const { region, resolve, reject } of waiting) {
      try {
        resolve(captureFrame(this.gl, frame, [...this.layerMap.values()], region));
      } catch (e) {
        reject(e);
      }
    }
  }

  stats(): CompositorStats {
    const layers: LayerStats[] = [];
    for (const layer of this.layerMap.values()) {
      layers.push({
        id: layer.id,
        url: layer.url,
        state: layer.state,
        presented: layer.presented,
        missed: layer.missed,
        restarts: layer.restarts,
        error: layer.error ? describeError(layer.url, layer.error) : undefined,
        errorPhase: layer.error?.phase,
        errorStack: layer.error?.stack,
        stateReason: layer.stateReason,
        pacing: layer.pacer.divisor,
        latencyMs: layer.lastLatencyMs,
        medianLatencyMs: median(layer.pacer.samples),
        surface: { ...layer.surface },
        renderMs: layer.lastRenderMs,
        superseded: layer.superseded,
        strayMessages: layer.pastStrayMessages + (layer.host?.strayMessages ?? 0),
        droppedMessages: layer.pastDroppedMessages + (layer.host?.droppedMessages ?? 0),
        history: layer.history.map((h) => ({ ...h })),
        declaration: structuredClone(layer.declaration),
        frozen: layer.frozen,
        poseAgeMs: layer.shownPose && this.motion.latest ? this.motion.latest.t - layer.shownPose.poseTime : undefined,
        predictedMs: layer.shownPose?.aheadMs,
        version: liveVersion(layer.versions)?.number ?? 0,
        versions: layer.versions.versions.length,
        reload: this.editor.reloadStats(layer),
      });
    }
    return {
      frames: this.frames,
      fps: this.clock.fps(),
      frameMs: this.clock.meanWorkMs(),
      session: this.session,
      textures: this.textures.size,
      internalErrors: this.internalErrors,
      lastInternalError: this.lastInternalError,
      contextRestores: this.contextRestores,
      isolation: this.isolation,
      policy: { ...this.policy },
      timewarp: { ...this.timewarp },
      watching: this.editor.watching,
      lastEdited: this.editor.lastEdited,
      pointedLayer: this.pointedLayer,
      layers,
    };
  }

  /** Applies a lifecycle event, stamped with the clock and frame count. */
  apply(layer: Layer, event: LayerEvent): void {
    const before = layer.state;
    layer.apply(event, this.now(), this.frames);
    if (layer.state !== before) this.trace.record({ kind: 'state', t: performance.now(), layer: layer.id, args: { to: layer.state, event: event.type } });
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
    for (const staging of this.editor.stagingLayers()) names.set(staging.id, `new version of layer ${staging.parentId} (vetting): ${staging.url}`);
    for (const e of events) if (e.layer !== undefined && !names.has(e.layer)) names.set(e.layer, '(gone)');
    return toChromeTrace(events, names, performance.timeOrigin);
  }

  /**
   * Acts on a guest failure as policy/failure.ts says: record it, fail the layer, or crash
   * it (the supervisor restarts it with backoff, or quarantines it past the restart limit).
   */
  report(layer: Layer, error: LayerError): void {
    if (layer.role === 'staging') {
      if (failureAction(error.phase) !== 'record') this.editor.rejectVersion(layer, error);
      return;
    }
    layer.setError(error);
    const action = failureAction(error.phase);
    if (action === 'record') {
      console.warn(`[steadfast] ${describeError(layer.url, error)}`);
    } else if (action === 'fail') {
      this.fail(layer, error);
    } else {
      this.crash(layer, error);
    }
  }

  /** Fails a layer for good: records why, ends its guest, frees its frames. */
  fail(layer: Layer, error: LayerError): void {
    if (layer.role === 'staging') return this.editor.rejectVersion(layer, error);
    layer.setError(error);
    console.warn(`[steadfast] ${describeError(layer.url, error)}`);
    this.teardown(layer);
    this.apply(layer, { type: 'failed' });
  }

  /** Ends a misbehaving guest and hands it to the supervisor. Never waits for its thread. */
  crash(layer: Layer, error: LayerError): void {
    if (layer.role === 'staging') return this.editor.rejectVersion(layer, error);
    if (layer.state === 'restarting' || layer.state === 'quarantined' || layer.state === 'failed' || layer.state === 'closed') return;
    layer.setError(error);
    console.warn(`[steadfast] ${describeError(layer.url, error)}`);
    this.teardown(layer);
    const decision = onCrash(layer.restartHistory, this.now(), this.policy);
    layer.restartHistory = decision.history;
    if (decision.action === 'quarantine') {
      layer.stateReason = decision.reason;
      this.apply(layer, { type: 'quarantined' });
      return;
    }
    this.apply(layer, { type: 'crashed' });
    layer.restarts += 1;
    this.trace.record({ kind: 'restart', t: performance.now(), layer: layer.id, args: { phase: error.phase, reason: error.message.slice(0, 200), inMs: decision.delayMs } });
    // Runs after the backoff: spawn a fresh worker, unless the layer was unloaded or retried meanwhile.
    setTimeout(() => {
      if (layer.state !== 'restarting' || this.layerMap.get(layer.id) !== layer) return;
      this.apply(layer, { type: 'respawned' });
      this.startGuest(layer);
    }, decision.delayMs);
  }

  /** Evicts a guest the pacer found too slow even at the slowest pace: quarantined with the figures. */
  evict(layer: Layer, reason: string): void {
    if (layer.role === 'staging') return this.editor.rejectVersion(layer, { phase: 'frame', message: reason });
    this.lastEvictionAt = this.now();
    layer.setError({ phase: 'frame', message: reason });
    this.teardown(layer);
    layer.stateReason = reason;
    this.apply(layer, { type: 'quarantined' });
  }

  /** Rebuilds every GL resource after the compositor's context was restored; layers refill on their next frames. */
  rebuildGraphics(): void {
    this.passes = new Passes(this.gl);
    this.hudPanel?.reset();
    this.previewLabels.reset();
    this.textures = new LayerTextures(this.gl);
    for (const layer of this.layerMap.values()) layer.shownViews = null;
    this.contextRestores += 1;
  }

  private liveLayerCount(): number {
    let n = 0;
    for (const layer of this.layerMap.values()) if (layer.state !== 'failed') n += 1;
    return n;
  }

  private teardown(layer: Layer): void {
    if (layer.host) {
      layer.pastStrayMessages += layer.host.strayMessages;
      layer.pastDroppedMessages += layer.host.droppedMessages;
    }
    if (layer.host) this.owners.delete(layer.host);
    layer.host?.terminate();
    layer.host = null;
    layer.started = false;
    layer.releaseFrames();
    this.textures.release(layer.id);
  }

  /** Spawns a worker for a layer: its live version's source (or URL), and `state` for setup. */
  private startGuest(layer: Layer, state?: unknown): void {
    layer.resetForSpawn(this.now());
    layer.declaration = DEFAULT_LAYER;
    // Each callback finds the layer its host serves now: a vetted version's host moves to the live layer.
    const owner = (host: GuestHost): Layer | null => {
      const current = this.owners.get(host);
      return current && current.host === host ? current : null;
    };
    const host: GuestHost = spawnGuest(layer.url, layer.surface, {
      // Runs for every valid message from this guest: its thread is alive.
      onLife: () => {
        const current = owner(host);
        if (current) current.liveness.lastLifeAt = this.now();
      },
      // Runs when this guest delivers a validated frame.
      onFrame: (frame: FrameDelivery) => {
        const current = owner(host);
        if (!current) return frame.bitmap.close();
        const { width, height } = frame.bitmap;
        const expected = surfaceSize(current.declaration, current.surface);
        if (width !== expected.width || height !== expected.height) {
          frame.bitmap.close();
          this.violation(current, host, `frame is ${width}×${height}, the layer's surface is ${expected.width}×${expected.height}`);
          return;
        }
        if (!current.deliver(frame, this.now())) return;
        this.trace.record({ kind: 'deliver', t: performance.now() - current.lastLatencyMs, dur: current.lastLatencyMs, layer: current.id, args: { frameId: frame.frameId, renderMs: Math.round(frame.renderMs * 100) / 100 } });
        current.liveness.firstFrameAt ??= this.now();
        current.lastDeliveryFrame = this.frames;
        current.staleFrames = 0;
        this.apply(current, { type: 'frame-delivered' });
        this.pace(current, host);
        if (current.role === 'staging') this.editor.vettingFrame(current);
      },
      // Runs when this guest reports an error it caught in one of its phases.
      onError: (report: GuestErrorReport) => {
        const current = owner(host);
        if (current) this.report(current, { phase: report.phase, message: report.message, stack: report.stack });
      },
      // Runs when this guest breaks the protocol or floods.
      onProtocolError: (reason: string) => {
        const current = owner(host);
        if (current) this.violation(current, host, reason);
      },
    }, this.isolation, { source: layer.source ?? undefined, state });
    layer.host = host;
    this.owners.set(host, layer);
    // Runs when the guest has loaded and set up (or failed to).
    void host.start().then((result) => {
      const current = owner(host);
      if (!current) return;
      if (!result.ok) {
        this.report(current, { phase: result.phase, message: result.message, stack: result.stack, line: result.line });
        return;
      }
      current.declaration = result.layer;
      current.restores = result.restores ?? false;
      current.started = true;
      if (current.role === 'staging') this.editor.vetEvent(current, { type: 'started', at: this.now() });
      else if (current.versions.live < 0) this.editor.recordFirstVersion(current);
    });
  }

  /** Feeds the frame's return latency to the pacer; a guest too slow even at the slowest pace is evicted. */
  private pace(layer: Layer, host: GuestHost): void {
    const before = layer.pacer.divisor;
    layer.pacer = pacerRecord(layer.pacer, layer.lastLatencyMs, this.clock.nominalIntervalMs(), this.policy);
    if (layer.pacer.divisor !== before) {
      layer.stateReason = layer.pacer.divisor > 1 ? `throttled: asked every ${ordinal(layer.pacer.divisor)} frame (frames take ${Math.round(layer.lastLatencyMs)} ms)` : undefined;
      console.info(`[steadfast] layer ${layer.id} pace 1/${before} → 1/${layer.pacer.divisor} ${layer.url}`);
    }
    if (layer.role === 'staging') return; // a new version is judged by its vetting, not evicted
    const budget = layer.pacer.divisor * this.clock.nominalIntervalMs();
    const best = bestLatency(layer.pacer);
    const coolingDown = this.now() - this.lastEvictionAt < this.policy.evictionCooldownMs;
    if (layer.pacer.evict && best > budget && !coolingDown && !this.othersStarting(layer) && standsOut(best, this.otherBestLatencies(layer))) {
      const reason = `too slow: even its fastest recent frame took ${Math.round(best)} ms (median ${Math.round(median(layer.pacer.samples))} ms), more than every ${ordinal(layer.pacer.divisor)} frame allows (${Math.round(budget)} ms)`;
      queueMicrotask(() => {
        if (layer.host === host) this.evict(layer, reason);
      });
    }
  }

  /**
   * Whether another guest is loading or restarting. Starting a guest (a process, a 1 MB runtime
   * to parse, a module to fetch) loads the whole machine for a moment and makes every guest look
   * slow; nobody is evicted for slowness until that has passed.
   */
  private othersStarting(except: Layer): boolean {
    for (const layer of this.layerMap.values()) {
      if (layer !== except && (layer.state === 'loading' || layer.state === 'restarting')) return true;
    }
    return false;
  }

  /** Fastest recent frame-return latencies of the other layers whose guests are delivering frames. */
  private otherBestLatencies(except: Layer): number[] {
    const out: number[] = [];
    for (const layer of this.layerMap.values()) {
      if (layer !== except && layer.host && layer.pacer.samples.length > 0) out.push(bestLatency(layer.pacer));
    }
    return out;
  }

  /** A protocol violation ends the guest after the current dispatch (libwayland's rule), as a crash. */
  private violation(layer: Layer, host: GuestHost, reason: string): void {
    queueMicrotask(() => {
      const current = this.owners.get(host);
      if (current && current.host === host) this.crash(current, { phase: 'protocol', message: reason });
    });
  }
}
