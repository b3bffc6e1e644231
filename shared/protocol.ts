// The whole compositor <-> guest wire format, in one file of tagged unions.
//
// Two channels cross the boundary, both private MessagePorts handed to the guest
// runtime at start (guest code never sees them):
//   - the frame port: frame requests out, frames and errors back (the hot path, plain
//     postMessage with the bitmap transferred);
//   - the control port: comlink RPC for rare calls (init, snapshot), each with a deadline.
// Everything that arrives from a guest is untrusted: it is parsed with the valibot
// schemas below before any field is used. Each type that has a schema is inferred from
// it (v.InferOutput), so the parsed shape and the declared one are the same by construction;
// only what the compositor sends (and never parses) is written as a plain interface.
import * as v from 'valibot';
import {
  MAX_ERROR_MESSAGE,
  MAX_ERROR_STACK,
  MAX_GAMEPAD_AXES,
  MAX_GAMEPAD_BUTTONS,
  MAX_INPUT_EVENTS,
  MAX_INPUT_SOURCES,
  MAX_PROFILE_LENGTH,
  MAX_PROFILES,
  MAX_SURFACE_SIDE,
  MAX_URL_LENGTH,
  MAX_VIEWS,
  MIN_SURFACE_SIDE,
} from './limits';

// Field checks the schemas share.
const finite = v.pipe(v.number(), v.finite());
const side = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SURFACE_SIDE));
const metres = v.pipe(finite, v.minValue(-1e4), v.maxValue(1e4));
const size = v.pipe(finite, v.minValue(1e-3), v.maxValue(1e4));
const surfaceSide = v.pipe(v.number(), v.integer(), v.minValue(MIN_SURFACE_SIDE), v.maxValue(MAX_SURFACE_SIDE));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const clippedString = (max: number) => v.pipe(v.string(), v.transform((s) => (s.length > max ? `${s.slice(0, max)}…` : s)));
const errorMessage = clippedString(MAX_ERROR_MESSAGE);
const errorStack = v.optional(clippedString(MAX_ERROR_STACK));

const matrix16 = v.custom<Float32Array>(
  (x) => x instanceof Float32Array && x.length === 16 && x.every(Number.isFinite),
  'expected a Float32Array of 16 finite numbers',
);

const eyeSchema = v.picklist(['left', 'right', 'none']);
export type Eye = v.InferOutput<typeof eyeSchema>;

/** A rectangle in surface pixels, origin bottom-left (WebGL's convention, as XRViewport). */
const viewportSchema = v.strictObject({ x: side, y: side, width: side, height: side });
export type Viewport = v.InferOutput<typeof viewportSchema>;

/**
 * One view a guest renders: where the eye is, how it projects, and where on the surface it goes.
 * Guests get these as they are (`ctx.views`, shared/guest-contract.ts GuestView).
 */
const viewSchema = v.strictObject({
  eye: eyeSchema,
  /** Column-major clip-from-eye matrix (asymmetric frusta allowed). */
  projectionMatrix: matrix16,
  /** Column-major eye-from-world matrix (the inverse of the eye's pose). */
  viewMatrix: matrix16,
  /** Where this view goes on the surface (the guest's `ctx.canvas`), in pixels, origin bottom-left (gl.viewport order). */
  viewport: viewportSchema,
  /**
   * Depth layers only (a guest-contract extension, README "Layer types"): where this view's depth
   * image goes on the surface. The guest writes each pixel's window depth (gl_FragCoord.z) packed
   * into RGB, most significant byte in red, as three.js's RGBDepthPacking does; alpha 1. Cleared
   * to white (depth 1) where nothing is drawn.
   */
  depthViewport: v.optional(viewportSchema),
});
export type WireView = v.InferOutput<typeof viewSchema>;

// ---------------------------------------------------------------------------
// Layer declarations: what kind of layer a guest is, declared once in its module's default
// export (`layer`) and reported by the runtime when it starts (InitResult).

export const MAX_OVERSCAN = 0.5;

/** A position in metres, in the compositor's reference space (local-floor: y up, -z ahead). */
const vec3Schema = v.strictTuple([metres, metres, metres]);
export type Vec3 = v.InferOutput<typeof vec3Schema>;

/** A unit quaternion [x, y, z, w]. */
const quatSchema = v.pipe(
  v.strictTuple([finite, finite, finite, finite]),
  v.check((q) => Math.abs(Math.hypot(...q) - 1) < 1e-3, 'orientation must be a unit quaternion [x, y, z, w]'),
);
export type Quat = v.InferOutput<typeof quatSchema>;

const surfaceDeclarationSchema = v.strictObject({ width: surfaceSide, height: surfaceSide });
export type SurfaceDeclaration = v.InferOutput<typeof surfaceDeclarationSchema>;

/** A stereo layer covering the whole view (the default). */
const projectionLayerSchema = v.strictObject({
  type: v.literal('projection'),
  /**
   * Extra field of view the guest renders on each side, as a fraction of the view's width and
   * height (0.1 = 10 % more each side), so small turns never reveal an edge under timewarp. 0..0.5.
   */
  overscan: v.optional(v.pipe(finite, v.minValue(0), v.maxValue(MAX_OVERSCAN))),
  /** The guest also renders depth (see WireView.depthViewport), for positional timewarp. */
  depth: v.optional(v.boolean()),
});
export type ProjectionLayerDeclaration = v.InferOutput<typeof projectionLayerSchema>;

/** What world-placed (quad and cylinder) layers share: a pose, and their own surface size in pixels (default: the page's surface size). */
const placedLayerEntries = {
  position: vec3Schema,
  orientation: v.optional(quatSchema),
  surface: v.optional(surfaceDeclarationSchema),
};

/** A flat world-space panel: its centre pose and size in metres. The surface fills it (mono). */
const quadLayerSchema = v.strictObject({
  type: v.literal('quad'),
  ...placedLayerEntries,
  width: size,
  height: size,
});
export type QuadLayerDeclaration = v.InferOutput<typeof quadLayerSchema>;

/**
 * A section of a cylinder around its axis (the pose's +y), seen from inside: radius and height in
 * metres, centralAngle in radians centred on the pose's -z. The surface fills it (mono).
 */
const cylinderLayerSchema = v.strictObject({
  type: v.literal('cylinder'),
  ...placedLayerEntries,
  radius: size,
  centralAngle: v.pipe(finite, v.minValue(1e-3), v.maxValue(2 * Math.PI)),
  height: size,
});
export type CylinderLayerDeclaration = v.InferOutput<typeof cylinderLayerSchema>;

const layerDeclarationSchema = v.variant('type', [projectionLayerSchema, quadLayerSchema, cylinderLayerSchema]);
export type LayerDeclaration = v.InferOutput<typeof layerDeclarationSchema>;
export type LayerType = LayerDeclaration['type'];
export const LAYER_TYPES: readonly LayerType[] = ['projection', 'quad', 'cylinder'];
export const DEFAULT_LAYER: ProjectionLayerDeclaration = { type: 'projection' };

/**
 * The size of the bitmaps a layer delivers, from the page's surface size: a depth layer's surface
 * is twice as tall (colour on the top half, depth on the bottom half).
 */
export function surfaceSize(layer: LayerDeclaration, base: { width: number; height: number }): { width: number; height: number } {
  if (layer.type === 'projection') return layer.depth ? { width: base.width, height: base.height * 2 } : { ...base };
  return layer.surface ? { ...layer.surface } : { ...base };
}

/** Where in its life a guest failed. */
const phaseSchema = v.picklist(['load', 'setup', 'frame', 'snapshot', 'restore', 'runtime']);
export type GuestPhase = v.InferOutput<typeof phaseSchema>;
export const GUEST_PHASES: readonly GuestPhase[] = phaseSchema.options;

// ---------------------------------------------------------------------------
// Input: what the focused guest is told about the user's controllers with each frame request
// (compositor/input/). Sent by the compositor and parsed by the guest runtime before a guest sees
// it, like every other message.

/** The WebXR input source fields a guest gets, per source, for the frame being rendered. */
const inputSourceSchema = v.strictObject({
  /** Stable while the source stays connected (events name their source by it). */
  id: count,
  handedness: v.picklist(['none', 'left', 'right']),
  targetRayMode: v.picklist(['gaze', 'tracked-pointer', 'screen', 'transient-pointer']),
  profiles: v.pipe(v.array(v.pipe(v.string(), v.maxLength(MAX_PROFILE_LENGTH))), v.maxLength(MAX_PROFILES)),
  /** Column-major world-from-target-ray matrix (the views' world), predicted for the frame's display time; its -z is the ray. */
  targetRay: matrix16,
  /** Column-major world-from-grip matrix, where the source has a grip. */
  grip: v.nullable(matrix16),
  /** The source's buttons and axes, as the Gamepad API gives them ('xr-standard' mapping: trigger 0, squeeze 1, touchpad 2, thumbstick 3). */
  gamepad: v.nullable(
    v.strictObject({
      mapping: v.picklist(['', 'xr-standard']),
      buttons: v.pipe(v.array(v.strictObject({ pressed: v.boolean(), touched: v.boolean(), value: v.pipe(finite, v.minValue(0), v.maxValue(1)) })), v.maxLength(MAX_GAMEPAD_BUTTONS)),
      axes: v.pipe(v.array(v.pipe(finite, v.minValue(-1), v.maxValue(1))), v.maxLength(MAX_GAMEPAD_AXES)),
    }),
  ),
});
export type InputSourceState = v.InferOutput<typeof inputSourceSchema>;

const inputEventSchema = v.strictObject({
  type: v.picklist(['selectstart', 'select', 'selectend', 'squeezestart', 'squeeze', 'squeezeend']),
  /** The input source's id (InputSourceState.id). */
  source: count,
  /** Compositor time of the event, ms (the frame clock's). */
  time: finite,
});
export type InputEvent = v.InferOutput<typeof inputEventSchema>;
export type InputEventType = InputEvent['type'];

/**
 * A guest's input for one frame. `visible`: the guest has focus, and gets the sources and the
 * events since its previous frame request, in order. `visible-blurred`: another guest or the
 * compositor's own UI has focus; no sources, no events (WebXR: "input is not processed").
 */
const frameInputSchema = v.strictObject({
  visibility: v.picklist(['visible', 'visible-blurred']),
  sources: v.pipe(v.array(inputSourceSchema), v.maxLength(MAX_INPUT_SOURCES)),
  events: v.pipe(v.array(inputEventSchema), v.maxLength(MAX_INPUT_EVENTS)),
});
export type FrameInput = v.InferOutput<typeof frameInputSchema>;
export type Visibility = FrameInput['visibility'];
export const BLURRED: FrameInput = { visibility: 'visible-blurred', sources: [], events: [] };

// ---------------------------------------------------------------------------
// Compositor -> guest (frame port)

export interface FrameRequest {
  type: 'frame-request';
  frameId: number;
  /** Compositor time of the frame being requested, ms (performance.now() on the compositor). */
  time: number;
  /** When the frame must be back to be shown in time, same clock as `time`. */
  deadline: number;
  /**
   * The size to render this frame at: the surface scaled by the compositor's choice (dynamic
   * resolution), at most the full surface. The runtime resizes its canvas to it before frame().
   */
  width: number;
  height: number;
  /** That size's share of the full surface, per side (1 = full size). */
  scale: number;
  views: WireView[];
  /** The user's input for this frame, and the guest's visibility (see FrameInput). */
  input: FrameInput;
}

export type HostMessage = FrameRequest;

// ---------------------------------------------------------------------------
// Guest -> compositor (frame port)

const bitmapSchema = v.custom<ImageBitmap>(
  (x) => typeof ImageBitmap !== 'undefined' && x instanceof ImageBitmap,
  'expected an ImageBitmap',
);

const frameSchema = v.strictObject({
  type: v.literal('frame'),
  frameId: count,
  bitmap: bitmapSchema,
  /** The views the frame was rendered for (its pose), echoed for timewarp. */
  views: v.pipe(v.array(viewSchema), v.minLength(1), v.maxLength(MAX_VIEWS)),
  /** Time the guest spent in frame(ctx) plus the bitmap transfer, ms. */
  renderMs: v.pipe(finite, v.minValue(0)),
  /**
   * The bitmap transfer alone, ms: taking the bitmap waits for the GPU process to finish the
   * frame's work, so this is its GPU time plus whatever was queued ahead of it on the shared queue.
   */
  gpuMs: v.pipe(finite, v.minValue(0)),
});
export type FrameDelivery = v.InferOutput<typeof frameSchema>;

const errorSchema = v.strictObject({
  type: v.literal('error'),
  phase: phaseSchema,
  message: errorMessage,
  stack: errorStack,
});
export type GuestErrorReport = v.InferOutput<typeof errorSchema>;

/**
 * A heartbeat, sent every HEARTBEAT_MS while the guest's thread is free: the watchdog's sign of
 * life. `compiling`: sent instead just before a GL call that may block the thread while shaders
 * compile, or before the runtime runs three.js or makes a three.js renderer for the guest (watchdog.ts
 * gives it longer); `waiting`: just before another GL call that waits for the
 * GPU process, before the first frame (the thread is working, not free).
 */
const heartbeatSchema = v.strictObject({ type: v.literal('alive'), compiling: v.optional(v.literal(true)), waiting: v.optional(v.literal(true)) });
export type Heartbeat = v.InferOutput<typeof heartbeatSchema>;

const guestMessageSchema = v.variant('type', [frameSchema, errorSchema, heartbeatSchema]);
export type GuestMessage = v.InferOutput<typeof guestMessageSchema>;

// ---------------------------------------------------------------------------
// Control plane (comlink over the control port)

export interface InitParams {
  url: string;
  width: number;
  height: number;
  framePort: MessagePort;
  /**
   * The module's source text to run (a version from the history, or one the compositor fetched
   * and hashed), as if loaded from `url`; absent: import `url` itself.
   */
  source?: string | undefined;
  /** What the previous version's snapshot() returned: ctx.state in setup. */
  state?: unknown;
  /** Where three.js's examples/jsm tree is served (absolute, ending in '/'): `three/addons/…` resolves there. */
  addonsBase: string;
  /**
   * three.js's script (/@steadfast/three.js, fetched once per page), run in the worker only if the
   * guest uses three; or why the compositor could not fetch it (the guest fails saying so if it does).
   */
  three: Blob | string;
  /** The page's import map for guests (URL parameter `imports`), if any: bare specifiers it names resolve by it. */
  imports?: string | undefined;
}

/** A control call's failure: the guest phase, its message and stack (init adds a line). */
const controlFailureSchema = v.strictObject({
  ok: v.literal(false),
  phase: phaseSchema,
  message: errorMessage,
  stack: errorStack,
});

const initResultSchema = v.variant('ok', [
  v.strictObject({
    ok: v.literal(true),
    layer: layerDeclarationSchema,
    /** The module has restore() (live editing hands it the state at the swap). */
    restores: v.optional(v.boolean()),
    /** How long importing the module and its setup() took, ms, as the runtime measured them (a reload's per-phase figures). */
    timings: v.optional(v.strictObject({ loadMs: v.pipe(finite, v.minValue(0)), setupMs: v.pipe(finite, v.minValue(0)) })),
  }),
  v.strictObject({
    ...controlFailureSchema.entries,
    /** The source line the failure is on, where known (syntax errors). */
    line: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  }),
]);
export type InitResult = v.InferOutput<typeof initResultSchema>;

const snapshotResultSchema = v.variant('ok', [v.strictObject({ ok: v.literal(true), state: v.unknown() }), controlFailureSchema]);
export type SnapshotResult = v.InferOutput<typeof snapshotResultSchema>;

const restoreResultSchema = v.variant('ok', [
  v.strictObject({
    ok: v.literal(true),
    /** Whether the guest has a restore() that took the state (false: it has none). */
    restored: v.boolean(),
  }),
  controlFailureSchema,
]);
export type RestoreResult = v.InferOutput<typeof restoreResultSchema>;

/** A warm worker made its surface's GL context ahead of any guest (live editing's warm staging). */
const prewarmResultSchema = v.variant('ok', [v.strictObject({ ok: v.literal(true) }), v.strictObject({ ok: v.literal(false), message: errorMessage })]);
export type PrewarmResult = v.InferOutput<typeof prewarmResultSchema>;

/** What the guest runtime exposes on its control port. */
export interface GuestControl {
  init(params: InitParams): Promise<InitResult>;
  /** Calls the guest's snapshot() (undefined state if it has none). */
  snapshot(): Promise<SnapshotResult>;
  /** Calls the guest's restore(state), if it has one: the live version's state at the swap. */
  restore(state: unknown): Promise<RestoreResult>;
  /** Before any guest: runs three.js (`three`: as InitParams's) and makes the WebGL context init will use (a warm worker, ready for the next save). */
  prewarm(three: Blob | string): Promise<PrewarmResult>;
}

/** The first message on a new worker's global channel: its private control port. */
export interface BootMessage {
  type: 'boot';
  controlPort: MessagePort;
}

// ---------------------------------------------------------------------------
// Sandboxed frame (isolation=sandbox): the messages into the guest's iframe (its boot, then a
// reboot per restart of the same guest), and what its bootstrap reports back on the host port.
// The frame runs in the guest's renderer process, so its reports are validated like any guest message.

export interface FrameBootMessage {
  type: 'frame-boot';
  /** The guest runtime's classic-script source. */
  runtime: Blob;
  /** Handed on to the worker untouched. */
  controlPort: MessagePort;
  /** For the frame's own reports. */
  hostPort: MessagePort;
  name: string;
}

/** A restart of the same guest in the same frame: end its worker, start a fresh runtime on this control port. */
export interface FrameRebootMessage {
  type: 'frame-reboot';
  /** Handed on to the new worker untouched. */
  controlPort: MessagePort;
  name: string;
}

const frameHostSchema = v.variant('type', [
  /** A worker was started for the latest boot or reboot (so the frame's process is alive). */
  v.strictObject({ type: v.literal('started') }),
  /** Messages guest code posted on its worker's public channel since the last report. */
  v.strictObject({ type: v.literal('stray'), count }),
  /** The worker failed to start, or an error escaped it. */
  v.strictObject({ type: v.literal('worker-error'), message: errorMessage }),
]);
export type FrameHostMessage = v.InferOutput<typeof frameHostSchema>;

// ---------------------------------------------------------------------------
// Parsing: one entry point per inbound message, each total (never throws).

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseWith<T>(schema: v.GenericSchema<unknown, T>, data: unknown): Parsed<T> {
  try {
    const result = v.safeParse(schema, data);
    if (result.success) return { ok: true, value: result.output };
    const issue = result.issues[0];
    const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    return { ok: false, reason: `${path ? `${path}: ` : ''}${issue.message}`.slice(0, 300) };
  } catch (e) {
    // A hostile object (throwing getter, revoked proxy) must not escape the validator.
    return { ok: false, reason: `unreadable message (${e instanceof Error ? e.name : typeof e})` };
  }
}

/** Parses one message from a guest's frame port; never throws. */
export function parseGuestMessage(data: unknown): Parsed<GuestMessage> {
  return parseWith(guestMessageSchema, data);
}

/** Parses the answer to a guest's `init` control call; never throws. */
export function parsePrewarmResult(data: unknown): Parsed<PrewarmResult> {
  return parseWith(prewarmResultSchema, data);
}

export function parseInitResult(data: unknown): Parsed<InitResult> {
  return parseWith(initResultSchema, data);
}

/** Parses a guest module's `layer` declaration (undefined means the default, projection); never throws. */
export function parseLayerDeclaration(data: unknown): Parsed<LayerDeclaration> {
  if (data === undefined) return { ok: true, value: DEFAULT_LAYER };
  return parseWith(layerDeclarationSchema, data);
}

/** Parses a frame request's input (in the guest runtime, before a guest sees it); never throws. */
export function parseFrameInput(data: unknown): Parsed<FrameInput> {
  return parseWith(frameInputSchema, data);
}

/** Parses a report from a guest's sandboxed frame; never throws. */
export function parseFrameHostMessage(data: unknown): Parsed<FrameHostMessage> {
  return parseWith(frameHostSchema, data);
}

/** Parses the answer to a guest's `snapshot` control call; never throws. */
export function parseSnapshotResult(data: unknown): Parsed<SnapshotResult> {
  return parseWith(snapshotResultSchema, data);
}

/** Parses the answer to a guest's `restore` control call; never throws. */
export function parseRestoreResult(data: unknown): Parsed<RestoreResult> {
  return parseWith(restoreResultSchema, data);
}

/** Validates a guest URL given to `load()`; returns the absolute URL or a reason. */
export function parseGuestUrl(raw: unknown, base: string): Parsed<string> {
  if (typeof raw !== 'string' || raw.length === 0) return { ok: false, reason: 'guest URL must be a non-empty string' };
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `guest URL longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return { ok: false, reason: `not a URL: ${raw}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `guest URL must be http(s), got ${url.protocol}` };
  }
  return { ok: true, value: url.href };
}
