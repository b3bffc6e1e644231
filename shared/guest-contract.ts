// The guest module contract: what a guest scene's default export must look like and
// what it is handed. Guest authors and outside test suites rely on this exact shape;
// extend it, never break it (README "Guest contract").
import type * as THREE_NS from 'three';
import type { InputEvent, InputSourceState, LayerDeclaration, Visibility, WireView } from './protocol';

/**
 * One view to render this frame: the wire view itself (the runtime hands the frame request's views
 * over as they are), so its fields are documented once, on WireView in protocol.ts: eye, projection
 * and view matrices, viewport on `ctx.canvas`, and (extension, depth layers) depthViewport.
 */
export type GuestView = WireView;

export interface StereoThreeRenderer {
  renderer: THREE_NS.WebGLRenderer;
  /** Clears the surface and renders `scene` once per view of the current `ctx.views`. */
  render(scene: THREE_NS.Scene): void;
}

export interface GuestContext {
  gl: WebGL2RenderingContext;
  canvas: OffscreenCanvas;
  /**
   * This frame's surface size, pixels (also `canvas`'s). The compositor renders guests at a scale of
   * their full surface that fits what the machine can give (dynamic resolution): it may change
   * between frames, so read it (or the views' viewports) each frame.
   */
  width: number;
  height: number;
  /** Extension: this frame's share of the full surface, per side (1 = full size, at least 1/8). */
  scale: number;
  /** Compositor time of the frame being rendered, ms. */
  time: number;
  /** Extension: when this frame must be back to be shown in time (same clock as `time`), ms. */
  deadline: number;
  /** ms since the previous frame this guest rendered (0 on the first). */
  dt: number;
  /** How many frames this guest has rendered before this one. */
  frame: number;
  views: GuestView[];
  /**
   * Extension: the user's controllers for this frame (posed in the views' world, predicted for when
   * the frame is shown) and their select/squeeze events since this guest's previous frame, in
   * order: only while this guest has input focus (`visibilityState` 'visible'); else both empty.
   */
  input: GuestInput;
  /** Extension: 'visible' while this guest has input focus; 'visible-blurred' while another guest or the compositor's own UI has it (it still renders). */
  visibilityState: Visibility;
  /**
   * Extension: a WebXR session (shaped as XRSession) whose animation frame is this guest's frame,
   * for guests written as WebXR code (three.js: `await renderer.xr.setSession(ctx.session)`); also
   * what `navigator.xr.requestSession('immersive-vr')` resolves to in the guest's worker.
   */
  session: EventTarget;
  /** The three.js namespace, so guests from any origin can use three without a bare import. */
  THREE: typeof THREE_NS;
  /** What a previous version's snapshot() returned as vetting began; only in setup, else undefined. */
  state: unknown;
  /** Extension: the layer this guest declared (its module's `layer`, or the default projection layer). */
  layer: LayerDeclaration;
  /** Extension: a three.js WebGLRenderer on this canvas and context with per-eye cameras. */
  createThreeRenderer(): StereoThreeRenderer;
}

export interface GuestInput {
  sources: InputSourceState[];
  events: InputEvent[];
}

export interface GuestModule {
  /** Extension: what kind of layer this guest is (default `{ type: 'projection' }`); read once, at load. */
  layer?: LayerDeclaration;
  setup?(ctx: GuestContext): void | Promise<void>;
  /** Draws one frame. A WebXR-shaped guest leaves it out and draws in `ctx.session`'s animation frames (started in setup). */
  frame?(ctx: GuestContext): void;
  snapshot?(): unknown;
  /** Extension: called just before frame() when `ctx.visibilityState` has changed (focus came or went). */
  visibilitychange?(ctx: GuestContext): void;
  /**
   * Extension (live editing): called once on a new version just before it takes its layer over,
   * with the live version's snapshot() at that moment (setup's ctx.state is the one from when
   * vetting began). Without it, the new version keeps the state it set up with.
   */
  restore?(state: unknown): void | Promise<void>;
}
