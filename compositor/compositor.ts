// The compositor's layers and its public API (load, unload, stats). The per-frame work
// is in frame-loop.ts; this file owns what happens between frames: starting guests,
// taking their messages, failing them, and tearing them down.
import { MAX_LAYERS } from '../shared/limits';
import { parseGuestUrl, type FrameDelivery, type GuestErrorReport } from '../shared/protocol';
import { spawnGuest, type Surface } from './guest-host';
import { Layer, describeError, type LayerError } from './layer';
import { Blitter } from './gl/blitter';
import { LayerTextures } from './gl/layer-textures';
import { FrameClock } from './frame-clock';
import type { CompositorStats, LayerStats, SessionMode } from './stats';

export interface CompositorOptions {
  surface: Surface;
}

export class Compositor {
  /** Compositor frames presented. */
  frames = 0;
  /** Frame ids handed to guests; one counter for all layers. */
  nextFrameId = 1;
  session: SessionMode = 'none';
  readonly clock = new FrameClock();
  readonly blitter: Blitter;
  readonly textures: LayerTextures;
  /** Errors the compositor caught in its own frame work, outside any layer (should stay 0). */
  internalErrors = 0;
  lastInternalError: string | undefined;

  private readonly layerMap = new Map<number, Layer>();
  private nextLayerId = 1;

  constructor(
    readonly gl: WebGL2RenderingContext,
    readonly options: CompositorOptions,
  ) {
    this.blitter = new Blitter(gl);
    this.textures = new LayerTextures(gl);
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
    layer.apply({ type: 'unloaded' });
    this.layerMap.delete(id);
    return true;
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
        surface: { ...layer.surface },
        renderMs: layer.lastRenderMs,
        superseded: layer.superseded,
        strayMessages: layer.host?.strayMessages ?? 0,
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
      layers,
    };
  }

  /** Fails a layer for good: records why, ends its guest, frees its frames. */
  fail(layer: Layer, error: LayerError): void {
    layer.setError(error);
    console.warn(`[steadfast] ${describeError(layer.url, error)}`);
    this.teardown(layer);
    layer.apply({ type: 'failed' });
  }

  private liveLayerCount(): number {
    let n = 0;
    for (const layer of this.layerMap.values()) if (layer.state !== 'failed') n += 1;
    return n;
  }

  private teardown(layer: Layer): void {
    layer.host?.terminate();
    layer.host = null;
    layer.started = false;
    layer.releaseFrames();
    this.textures.release(layer.id);
  }

  private startGuest(layer: Layer): void {
    const host = spawnGuest(layer.url, layer.surface, {
      // Runs when this guest delivers a validated frame.
      onFrame: (frame: FrameDelivery) => {
        if (layer.host !== host) return frame.bitmap.close();
        if (layer.deliver(frame)) layer.apply({ type: 'frame-delivered' });
      },
      // Runs when this guest reports an error it caught in one of its phases.
      onError: (report: GuestErrorReport) => {
        if (layer.host !== host) return;
        const error = { phase: report.phase, message: report.message, stack: report.stack };
        if (report.phase === 'runtime') layer.setError(error);
        else this.fail(layer, error);
      },
      // Runs when this guest breaks the protocol; it is ended after the current dispatch (libwayland's rule).
      onProtocolError: (reason: string) => {
        if (layer.host !== host) return;
        queueMicrotask(() => {
          if (layer.host === host) this.fail(layer, { phase: 'protocol', message: reason });
        });
      },
    });
    layer.host = host;
    host.start().then((result) => {
      if (layer.host !== host) return;
      if (result.ok) layer.started = true;
      else this.fail(layer, { phase: result.phase, message: result.message, stack: result.stack });
    });
  }
}
