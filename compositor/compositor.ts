// The compositor's layers and its public API (load, unload, retry, snapshot, stats). The
// per-frame work is in frame-loop.ts; this file owns what happens between frames: starting
// guests, taking their messages, and acting on failures (fail, restart, quarantine) as the
// pure policies in policy/ decide.
import { DEFAULT_POLICY, MAX_LAYERS, type Policy } from '../shared/limits';
import { DEFAULT_LAYER, parseGuestUrl, surfaceSize, type FrameDelivery, type GuestErrorReport } from '../shared/protocol';
import { spawnGuest, type Isolation, type Surface } from './guest-host';
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

export interface CompositorOptions {
  surface: Surface;
  /** Where guests run: sandboxed iframes (default) or plain workers on the compositor's origin. */
  isolation?: Isolation;
  policy?: Partial<Policy>;
  /** The clock every policy reads (injected for tests); performance.now by default. */
  now?: () => number;
  timewarp?: Partial<TimewarpSettings>;
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

  constructor(
    readonly gl: WebGL2RenderingContext,
    readonly options: CompositorOptions,
  ) {
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
    this.isolation = options.isolation ?? DEFAULT_ISOLATION;
    this.now = options.now ?? (() => performance.now());
    this.passes = new Passes(gl);
    this.textures = new LayerTextures(gl);
    this.timewarp = { ...DEFAULT_TIMEWARP, ...options.timewarp };
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
    this.startGuest(layer);
    return layer.id;
  }

  /** Stops and removes a layer; its state becomes `closed`. Returns false for an unknown id. */
  unload(id: number): boolean {
    const layer = this.layerMap.get(id);
    if (!layer) return false;
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
      layers,
    };
  }

  /** Applies a lifecycle event, stamped with the clock and frame count. */
  apply(layer: Layer, event: LayerEvent): void {
    layer.apply(event, this.now(), this.frames);
  }

  /**
   * Acts on a guest failure as policy/failure.ts says: record it, fail the layer, or crash
   * it (the supervisor restarts it with backoff, or quarantines it past the restart limit).
   */
  report(layer: Layer, error: LayerError): void {
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
    layer.setError(error);
    console.warn(`[steadfast] ${describeError(layer.url, error)}`);
    this.teardown(layer);
    this.apply(layer, { type: 'failed' });
  }

  /** Ends a misbehaving guest and hands it to the supervisor. Never waits for its thread. */
  crash(layer: Layer, error: LayerError): void {
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
    // Runs after the backoff: spawn a fresh worker, unless the layer was unloaded or retried meanwhile.
    setTimeout(() => {
      if (layer.state !== 'restarting' || this.layerMap.get(layer.id) !== layer) return;
      this.apply(layer, { type: 'respawned' });
      this.startGuest(layer);
    }, decision.delayMs);
  }

  /** Evicts a guest the pacer found too slow even at the slowest pace: quarantined with the figures. */
  evict(layer: Layer, reason: string): void {
    layer.setError({ phase: 'frame', message: reason });
    this.teardown(layer);
    layer.stateReason = reason;
    this.apply(layer, { type: 'quarantined' });
  }

  /** Rebuilds every GL resource after the compositor's context was restored; layers refill on their next frames. */
  rebuildGraphics(): void {
    this.passes = new Passes(this.gl);
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
    layer.host?.terminate();
    layer.host = null;
    layer.started = false;
    layer.releaseFrames();
    this.textures.release(layer.id);
  }

  private startGuest(layer: Layer): void {
    layer.resetForSpawn(this.now());
    layer.declaration = DEFAULT_LAYER;
    const host = spawnGuest(layer.url, layer.surface, {
      // Runs for every valid message from this guest: its thread is alive.
      onLife: () => {
        if (layer.host === host) layer.liveness.lastLifeAt = this.now();
      },
      // Runs when this guest delivers a validated frame.
      onFrame: (frame: FrameDelivery) => {
        if (layer.host !== host) return frame.bitmap.close();
        const { width, height } = frame.bitmap;
        const expected = surfaceSize(layer.declaration, layer.surface);
        if (width !== expected.width || height !== expected.height) {
          frame.bitmap.close();
          this.violation(layer, host, `frame is ${width}×${height}, the layer's surface is ${expected.width}×${expected.height}`);
          return;
        }
        if (!layer.deliver(frame, this.now())) return;
        layer.liveness.firstFrameAt ??= this.now();
        layer.lastDeliveryFrame = this.frames;
        layer.staleFrames = 0;
        this.apply(layer, { type: 'frame-delivered' });
        this.pace(layer, host);
      },
      // Runs when this guest reports an error it caught in one of its phases.
      onError: (report: GuestErrorReport) => {
        if (layer.host !== host) return;
        this.report(layer, { phase: report.phase, message: report.message, stack: report.stack });
      },
      // Runs when this guest breaks the protocol or floods.
      onProtocolError: (reason: string) => this.violation(layer, host, reason),
    }, this.isolation);
    layer.host = host;
    host.start().then((result) => {
      if (layer.host !== host) return;
      if (result.ok) {
        layer.declaration = result.layer;
        layer.started = true;
      }
      else this.report(layer, { phase: result.phase, message: result.message, stack: result.stack });
    });
  }

  /** Feeds the frame's return latency to the pacer; a guest too slow even at the slowest pace is evicted. */
  private pace(layer: Layer, host: ReturnType<typeof spawnGuest>): void {
    const before = layer.pacer.divisor;
    layer.pacer = pacerRecord(layer.pacer, layer.lastLatencyMs, this.clock.nominalIntervalMs(), this.policy);
    if (layer.pacer.divisor !== before) {
      layer.stateReason = layer.pacer.divisor > 1 ? `throttled: asked every ${ordinal(layer.pacer.divisor)} frame (frames take ${Math.round(layer.lastLatencyMs)} ms)` : undefined;
      console.info(`[steadfast] layer ${layer.id} pace 1/${before} → 1/${layer.pacer.divisor} ${layer.url}`);
    }
    const budget = layer.pacer.divisor * this.clock.nominalIntervalMs();
    const best = bestLatency(layer.pacer);
    if (layer.pacer.evict && best > budget && !this.othersStarting(layer) && standsOut(best, this.otherBestLatencies(layer))) {
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
  private violation(layer: Layer, host: ReturnType<typeof spawnGuest>, reason: string): void {
    queueMicrotask(() => {
      if (layer.host === host) this.crash(layer, { phase: 'protocol', message: reason });
    });
  }
}
