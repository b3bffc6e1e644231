/// <reference lib="webworker" />
// The guest runtime: one of these runs in each guest's worker. It owns the
// OffscreenCanvas and its WebGL2 context, loads the guest module by URL, calls it
// once per frame request and hands the frame back as a transferred ImageBitmap
// together with the views (the pose) it was rendered for.
//
// The compositor talks to it over two private MessagePorts received in the boot
// message, before any guest code runs; guest code never gets them, so anything it
// posts with self.postMessage lands on the worker's public channel, which the
// compositor treats as noise from the guest.
import * as Comlink from 'comlink';
import type * as THREE from 'three';
import type { GuestContext, GuestModule } from '../shared/guest-contract';
import type {
  BootMessage,
  FrameRequest,
  GuestControl,
  GuestErrorReport,
  GuestMessage,
  GuestPhase,
  InitParams,
  InitResult,
  HostMessage,
  PrewarmResult,
  RestoreResult,
  SnapshotResult,
} from '../shared/protocol';
import { HEARTBEAT_MS, MAX_SURFACE_SIDE, MIN_SURFACE_SIDE } from '../shared/limits';
import { GuestLoadError, describeThrown, importGuest, importGuestSource } from './guest-loader';
import { ModuleGraph } from './module-graph';
import { parseImportMap, type BareContext, type Imports } from '../shared/bare-specifiers';
import { BLURRED, parseFrameInput, parseLayerDeclaration, surfaceSize } from '../shared/protocol';
import { createStereoThreeRenderer } from './three-adapter';
import { installGpuCaps, resetGpuCaps } from './gpu-caps';
import { loadThree, provideThree, threeLoaded } from './three-loader';
import { GuestXRSession, installWebXR } from './xr/guest-session';

declare const self: DedicatedWorkerGlobalScope;

// Captured before guest code runs, so a guest patching prototypes cannot reroute our traffic.
const portPostMessage = MessagePort.prototype.postMessage;
const transferToImageBitmap = OffscreenCanvas.prototype.transferToImageBitmap;
const canvasWidth = Object.getOwnPropertyDescriptor(OffscreenCanvas.prototype, 'width')!.get!;
const canvasHeight = Object.getOwnPropertyDescriptor(OffscreenCanvas.prototype, 'height')!.get!;
const setCanvasWidth = Object.getOwnPropertyDescriptor(OffscreenCanvas.prototype, 'width')!.set!;
const setCanvasHeight = Object.getOwnPropertyDescriptor(OffscreenCanvas.prototype, 'height')!.set!;
const now = performance.now.bind(performance);
// Before any guest code exists: caps on the GPU work it may submit per frame.
installGpuCaps(compileNotice, waitNotice);
// Before any guest code exists too: the WebXR session WebXR-shaped guests drive themselves by.
const xrSession = new GuestXRSession();
installWebXR(xrSession);
const every = setInterval.bind(self);

/** The GL attributes of every guest surface. */
const GL_ATTRIBUTES: WebGLContextAttributes = {
  alpha: true,
  premultipliedAlpha: true,
  antialias: false,
  depth: true,
  preserveDrawingBuffer: false,
  powerPreference: 'high-performance',
};

let framePort: MessagePort | null = null;
/** A warm worker's surface, made by prewarm() before any guest: init sizes it and uses it. */
let warmSurface: { canvas: OffscreenCanvas; gl: WebGL2RenderingContext } | null = null;
let guest: GuestModule | null = null;
let ctx: GuestContext | null = null;
let lastTime: number | null = null;
/** Set once frame() has thrown: the guest is broken and renders no more. */
let broken = false;

function post(message: GuestMessage, transfer: Transferable[] = []): void {
  if (framePort) portPostMessage.call(framePort, message, { transfer });
}

/** Before a GL call that may block while shaders compile: a heartbeat saying so (at most one per heartbeat interval). */
let lastCompileNotice = -Infinity;
function compileNotice(): void {
  if (now() - lastCompileNotice < HEARTBEAT_MS) return;
  busyNotice();
}

/**
 * Before the runtime's own long, bounded work on the guest's thread after its first frame (running
 * three.js: 200-240 ms in a frame here, near the 250 ms hang limit; making its renderer): a notice
 * as before a shader compile, unthrottled, so the watchdog takes the guest for busy, not hung.
 */
function busyNotice(): void {
  lastCompileNotice = now();
  post({ type: 'alive', compiling: true });
}

/** three.js's namespace; the call that runs it says so first (busyNotice). */
function three(): typeof THREE {
  if (!threeLoaded()) busyNotice();
  return loadThree();
}

/**
 * Before any other GL call that waits for the GPU process, until the first frame is sent: a
 * heartbeat (at most one per interval). A start-up making such calls is working, however long a
 * busy GPU process keeps each waiting; a busy loop in guest code says nothing. Only before the
 * first frame, where the start-up limit still bounds the whole: later a frame() looping on such
 * calls must still fall silent for the hang limit.
 */
let firstFrameSent = false;
let lastWaitNotice = -Infinity;
function waitNotice(): void {
  if (firstFrameSent) return;
  const t = now();
  if (t - lastWaitNotice < HEARTBEAT_MS) return;
  lastWaitNotice = t;
  post({ type: 'alive', waiting: true });
}

/** A version run from source text runs from blob: URLs (its module and those it imports); errors name their own URLs instead. */
let graph: ModuleGraph | null = null;
const unalias = (text: string | undefined) => {
  if (!graph || !text) return text;
  let out = text;
  for (const [blob, url] of graph.aliases) out = out.split(blob).join(url);
  return out;
};

// 'three' inside a guest is this runtime's own three.js: the module it resolves to re-exports the
// instance ctx.THREE is (shared/bare-specifiers.ts). Made once per worker, when first imported;
// three.js itself runs then (three-loader.ts), not for a guest that never imports or reads it.
const THREE_KEY = Symbol.for('steadfast.three');
let threeModule: string | null = null;
function threeModuleUrl(): string {
  if (threeModule !== null) return threeModule;
  const THREE = three();
  (globalThis as Record<symbol, unknown>)[THREE_KEY] = THREE;
  const names = Object.keys(THREE).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
  threeModule = URL.createObjectURL(
    new Blob([`const THREE = globalThis[Symbol.for('steadfast.three')];\nexport const { ${names.join(', ')} } = THREE;\n`], { type: 'text/javascript' }),
  );
  return threeModule;
}

/** How bare specifiers resolve for this guest: three.js, its addons, and the page's import map (fetched once, when first needed). */
function bareContext(params: InitParams): () => Promise<BareContext> {
  let context: Promise<BareContext> | null = null;
  return () =>
    (context ??= (async () => {
      const imports = params.imports === undefined ? undefined : await loadImportMap(params.imports);
      // three.js runs only if a specifier resolves to it (or a message names its revision).
      return {
        get three() {
          return threeModuleUrl();
        },
        addonsBase: params.addonsBase,
        imports,
        get revision() {
          return three().REVISION;
        },
      };
    })());
}

async function loadImportMap(url: string): Promise<Imports> {
  let json: unknown;
  try {
    const response = await fetch(url, { mode: 'cors', credentials: 'omit' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    json = await response.json();
  } catch (e) {
    throw new GuestLoadError(`could not load the page's import map ${url}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return parseImportMap(json, url);
  } catch (e) {
    throw new GuestLoadError(e instanceof Error ? e.message : String(e));
  }
}

function reportError(phase: GuestPhase, thrown: unknown): GuestErrorReport {
  const { message, stack } = describeThrown(thrown);
  return { type: 'error', phase, message: unalias(message)!, stack: unalias(stack) };
}

function failInit(phase: GuestPhase, thrown: unknown): InitResult {
  const { message, stack } = reportError(phase, thrown);
  const line = thrown instanceof GuestLoadError ? thrown.line : undefined;
  return { ok: false, phase, message, stack, ...(line !== undefined ? { line } : {}) };
}

const control: GuestControl = {
  // Runs once, when the compositor starts this guest: build the surface, load, set up.
  async init(params: InitParams): Promise<InitResult> {
    const { url, width, height } = params;
    const sideOk = (n: number) => Number.isInteger(n) && n >= MIN_SURFACE_SIDE && n <= MAX_SURFACE_SIDE;
    if (!sideOk(width) || !sideOk(height)) return failInit('load', new Error(`bad surface size ${width}×${height}`));
    framePort = params.framePort;
    provideThree(params.three);
    // Listen and beat before any guest code runs, so none of it can sit between us and the port.
    // The first beat goes at once: it tells the compositor the runtime is up, and the start-up
    // limit counts from here (the time before is the platform's: a process, this script to compile).
    framePort.onmessage = onHostMessage;
    post({ type: 'alive' });
    every(() => post({ type: 'alive' }), HEARTBEAT_MS);

    const loadStarted = now();
    try {
      if (typeof params.source === 'string') {
        graph = new ModuleGraph(bareContext(params));
        const loaded = await importGuestSource(url, params.source, graph);
        guest = loaded.guest;
      } else {
        guest = await importGuest(url);
      }
    } catch (e) {
      return failInit('load', e);
    }
    // ctx.THREE is the very module a guest's `import * as THREE from 'three'` got (one namespace, one
    // three.js); for a guest that imported none, three.js runs when ctx.THREE is first read.
    const imported = threeModule === null ? null : ((await import(/* @vite-ignore */ threeModule)) as typeof THREE);
    const declared = parseLayerDeclaration(readDeclaration(guest));
    if (!declared.ok) return failInit('load', new Error(`the module's layer declaration is invalid: ${declared.reason}`));
    const layer = declared.value;
    const { width: surfaceWidth, height: surfaceHeight } = surfaceSize(layer, { width, height });
    if (surfaceHeight > MAX_SURFACE_SIDE) return failInit('load', new Error(`a depth layer needs a ${surfaceWidth}×${surfaceHeight} surface, over the ${MAX_SURFACE_SIDE} px limit`));

    const loadMs = now() - loadStarted;
    const warm = warmSurface;
    warmSurface = null;
    const canvas = warm?.canvas ?? new OffscreenCanvas(surfaceWidth, surfaceHeight);
    if (warm) {
      setCanvasWidth.call(canvas, surfaceWidth);
      setCanvasHeight.call(canvas, surfaceHeight);
    }
    fullSize = { width: surfaceWidth, height: surfaceHeight };
    fixSize(canvas);
    // Runs if the GPU context of this guest is lost: it cannot render again, so say so and stop.
    canvas.addEventListener('contextlost', (event) => {
      event.preventDefault();
      broken = true;
      post(reportError('frame', new Error('the guest\'s WebGL context was lost')));
    });
    const gl = warm?.gl ?? canvas.getContext('webgl2', GL_ATTRIBUTES);
    if (!gl) return failInit('load', new Error('WebGL2 is not available to this worker'));

    const context: GuestContext = {
      gl,
      canvas,
      width: surfaceWidth,
      height: surfaceHeight,
      scale: 1,
      time: now(),
      deadline: now(),
      dt: 0,
      frame: 0,
      views: [],
      input: { sources: [], events: [] },
      visibilityState: 'visible-blurred',
      session: xrSession,
      get THREE() {
        return imported ?? three();
      },
      state: undefined,
      layer,
      createThreeRenderer: () => {
        const THREE = context.THREE;
        busyNotice();
        return createStereoThreeRenderer(THREE, context);
      },
    };
    ctx = context;
    context.state = params.state;
    const setupStarted = now();
    try {
      await guest.setup?.(context);
    } catch (e) {
      return failInit('setup', e);
    }
    context.state = undefined;
    return { ok: true, layer, restores: typeof guest.restore === 'function', timings: { loadMs, setupMs: now() - setupStarted } };
  },

  // Runs once, in a warm worker made ahead of a save (live editing): the GL context init will use,
  // so the save's version finds its surface made, and three.js run.
  async prewarm(threeBundle: Blob | string): Promise<PrewarmResult> {
    if (guest || warmSurface) return { ok: true };
    // A version saved in live editing most likely uses three.js: it runs now, not at the save
    // (where there is none to run, a version that uses it fails at its load, saying why).
    provideThree(threeBundle);
    try {
      threeModuleUrl();
    } catch {
      // no three.js here: the worker is still warm for a version that does not use it
    }
    const canvas = new OffscreenCanvas(MIN_SURFACE_SIDE, MIN_SURFACE_SIDE);
    const gl = canvas.getContext('webgl2', GL_ATTRIBUTES);
    if (!gl) return { ok: false, message: 'WebGL2 is not available to this worker' };
    // One clear and a finish: the context's first use (the GPU process's side of it) is done now, not at the save.
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.finish();
    warmSurface = { canvas, gl };
    return { ok: true };
  },

  // Runs when the compositor asks for the guest's state (hot reload carries it to the next version).
  async snapshot(): Promise<SnapshotResult> {
    if (!guest) return { ok: false, phase: 'snapshot', message: 'the guest has not loaded' };
    try {
      const state: unknown = guest.snapshot ? await guest.snapshot() : undefined;
      structuredClone(state); // throws DataCloneError here, not inside comlink's reply
      return { ok: true, state };
    } catch (e) {
      const { message, stack } = describeThrown(e);
      return { ok: false, phase: 'snapshot', message, stack };
    }
  },

  // Runs when this version is about to take its layer over: the live version's latest state.
  async restore(state: unknown): Promise<RestoreResult> {
    if (!guest) return { ok: false, phase: 'restore', message: 'the guest has not loaded' };
    if (!guest.restore) return { ok: true, restored: false };
    try {
      await guest.restore(state);
      return { ok: true, restored: true };
    } catch (e) {
      const { message, stack } = describeThrown(e);
      return { ok: false, phase: 'restore', message, stack };
    }
  },
};

// Runs for each message from the compositor on the frame port (one per frame request).
function onHostMessage(event: MessageEvent<HostMessage>): void {
  const message = event.data;
  switch (message.type) {
    case 'frame-request':
      renderFrame(message);
      return;
    default: {
      const check: never = message.type;
      return check;
    }
  }
}

/** The guest's `layer` declaration, copied out of guest-owned objects (a getter may throw). */
function readDeclaration(module: GuestModule): unknown {
  try {
    const declared: unknown = module.layer;
    return declared === undefined ? undefined : structuredClone(declared);
  } catch (e) {
    return { invalid: describeThrown(e).message };
  }
}

/** The full surface, as set up; each frame renders at a scale of it the compositor chooses. */
let fullSize = { width: 0, height: 0 };
/** This frame's size (the canvas's), set only by the runtime. */
let frameSize = { width: 0, height: 0 };

/**
 * Makes the surface size the runtime's alone before guest code sees the canvas: setting the
 * current size is allowed (three.js does), any other size throws at once, before a huge drawing
 * buffer is ever allocated. (The compositor still checks every bitmap's size.)
 */
function fixSize(canvas: OffscreenCanvas): void {
  frameSize = { ...fullSize };
  for (const name of ['width', 'height'] as const) {
    Object.defineProperty(canvas, name, {
      configurable: false,
      enumerable: true,
      get: () => frameSize[name],
      set: (next: unknown) => {
        if (next !== frameSize[name]) throw new RangeError(`the surface is ${frameSize.width}×${frameSize.height}; its ${name} cannot be set to ${String(next)}`);
      },
    });
  }
}

/** Resizes the canvas to the size this frame is asked at (never larger than the full surface). */
function resizeFor(context: GuestContext, request: FrameRequest): void {
  const width = Math.min(fullSize.width, Math.max(1, Math.round(request.width)));
  const height = Math.min(fullSize.height, Math.max(1, Math.round(request.height)));
  if (width === frameSize.width && height === frameSize.height) return;
  setCanvasWidth.call(context.canvas, width);
  setCanvasHeight.call(context.canvas, height);
  frameSize = { width, height };
  context.width = width;
  context.height = height;
}

function renderFrame(request: FrameRequest): void {
  if (!guest || !ctx || broken) return;
  const started = now();
  ctx.dt = lastTime === null ? 0 : Math.max(0, request.time - lastTime);
  ctx.time = request.time;
  ctx.deadline = request.deadline;
  lastTime = request.time;
  ctx.views = request.views;
  ctx.scale = request.scale;
  // The input is parsed like every message (a bad one is no input: blurred).
  const parsed = parseFrameInput(request.input);
  const input = parsed.ok ? parsed.value : BLURRED;
  const visibilityChanged = input.visibility !== ctx.visibilityState;
  ctx.visibilityState = input.visibility;
  ctx.input = { sources: input.sources, events: input.events };
  resizeFor(ctx, request);
  resetGpuCaps();
  try {
    if (visibilityChanged) guest.visibilitychange?.(ctx);
    guest.frame?.(ctx);
    xrSession.runFrame(request.time, request.views, input);
  } catch (e) {
    broken = true;
    post(reportError('frame', e));
    return;
  }
  ctx.frame += 1;
  let bitmap: ImageBitmap;
  let gpuMs: number;
  try {
    const w = canvasWidth.call(ctx.canvas);
    const h = canvasHeight.call(ctx.canvas);
    if (w !== frameSize.width || h !== frameSize.height) {
      throw new Error(`the guest resized its surface to ${w}×${h}; it is ${frameSize.width}×${frameSize.height} this frame`);
    }
    // Taking the bitmap waits for the GPU process to finish the frame's work (and whatever was
    // queued ahead of it): its GPU time, as far as a worker can see it (no timer queries here).
    const transferStarted = now();
    bitmap = transferToImageBitmap.call(ctx.canvas);
    gpuMs = now() - transferStarted;
  } catch (e) {
    broken = true;
    post(reportError('frame', e));
    return;
  }
  post({ type: 'frame', frameId: request.frameId, bitmap, views: request.views, renderMs: now() - started, gpuMs }, [bitmap]);
  firstFrameSent = true;
}

// Runs for errors guest code throws outside our calls (timers, promises, event handlers).
self.addEventListener('error', (event) => {
  post(reportError('runtime', event.error ?? new Error(event.message)));
});
self.addEventListener('unhandledrejection', (event) => {
  post(reportError('runtime', event.reason));
});

// Runs once, for the compositor's first message: take the control port and expose the runtime on it.
self.addEventListener(
  'message',
  (event: MessageEvent<BootMessage>) => {
    if (event.data?.type !== 'boot') return;
    Comlink.expose(control, event.data.controlPort);
  },
  { once: true },
);
