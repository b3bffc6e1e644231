// A WebXR session made by the runtime, for guests written as WebXR code (README "WebXR-shaped
// guests"): `ctx.session`, and what `navigator.xr.requestSession('immersive-vr')` resolves to in
// the guest's worker. No `navigator.xr` exists in workers, so the runtime makes one, with the
// interfaces three.js's WebXRManager looks for (XRWebGLLayer, XRRigidTransform, …).
//
// The session's animation frame *is* the guest's frame: each frame request runs, in the WebXR
// order, the input sources' changes, a visibility change, the select/squeeze events, then the
// animation frame callbacks, with an XRFrame whose poses are the request's (the views as the
// compositor predicted them, the focused guest's controllers). Its framebuffer is the default
// one (the guest's canvas), at this frame's scale; each view's viewport is where the compositor
// asked for it. A throw from a callback is a throw from frame(): a crash.
import { mat4 } from 'gl-matrix';
import type { FrameInput, WireView } from '../../shared/protocol';
import { GuestInputSource, GuestInputSourceEvent, GuestInputSourcesChangeEvent, GuestPose, GuestReferenceSpace, GuestRigidTransform, GuestSessionEvent, GuestSpace, GuestView, GuestViewerPose } from './xr-objects';

type FrameCallback = (time: number, frame: GuestFrame) => void;

/** The world from the viewer (the head): between the views' eyes, facing as the first. */
function viewerFrom(views: readonly WireView[]): mat4 | null {
  const first = views[0];
  if (!first) return null;
  const head = mat4.invert(mat4.create(), first.viewMatrix as unknown as mat4);
  if (!head) return null;
  let x = 0;
  let y = 0;
  let z = 0;
  for (const view of views) {
    const eye = mat4.invert(mat4.create(), view.viewMatrix as unknown as mat4) ?? head;
    x += eye[12];
    y += eye[13];
    z += eye[14];
  }
  head[12] = x / views.length;
  head[13] = y / views.length;
  head[14] = z / views.length;
  return head;
}

export class GuestFrame {
  /** Calls outside the session's own dispatch of this frame answer null (WebXR: an inactive frame). */
  active = true;
  constructor(
    readonly session: GuestXRSession,
    readonly predictedDisplayTime: number,
    private readonly views: readonly WireView[],
  ) {}

  getViewerPose(space: GuestReferenceSpace): GuestViewerPose | null {
    const base = this.active ? space.worldFrom() : null;
    const viewer = viewerFrom(this.views);
    if (!base || !viewer) return null;
    const fromWorld = mat4.invert(mat4.create(), base);
    if (!fromWorld) return null;
    const views = this.views.map((view) => {
      const worldFromEye = mat4.invert(mat4.create(), view.viewMatrix as unknown as mat4) ?? mat4.create();
      return new GuestView(view.eye, view.projectionMatrix, new GuestRigidTransform(mat4.multiply(new Float32Array(16), fromWorld, worldFromEye) as Float32Array), view.viewport);
    });
    return new GuestViewerPose(new GuestRigidTransform(mat4.multiply(new Float32Array(16), fromWorld, viewer) as Float32Array), views);
  }

  getPose(space: GuestSpace, baseSpace: GuestSpace): GuestPose | null {
    if (!this.active) return null;
    const world = space.worldFrom();
    const base = baseSpace.worldFrom();
    const fromWorld = base ? mat4.invert(mat4.create(), base) : null;
    if (!world || !fromWorld) return null;
    return new GuestPose(new GuestRigidTransform(mat4.multiply(new Float32Array(16), fromWorld, world) as Float32Array));
  }

  /** Hands are not tracked here. */
  getJointPose(): null {
    return null;
  }
  fillJointRadii(): boolean {
    return false;
  }
  fillPoses(): boolean {
    return false;
  }
}

/** WebXR's XRWebGLLayer: the default framebuffer (the guest's canvas), at this frame's size. */
export class GuestWebGLLayer {
  readonly framebuffer = null;
  readonly antialias = false;
  readonly ignoreDepthValues = true;
  fixedFoveation = null;
  constructor(
    readonly session: GuestXRSession,
    private readonly context: WebGL2RenderingContext | WebGLRenderingContext,
  ) {}
  get framebufferWidth(): number {
    return this.context.drawingBufferWidth;
  }
  get framebufferHeight(): number {
    return this.context.drawingBufferHeight;
  }
  getViewport(view: GuestView): { x: number; y: number; width: number; height: number } {
    return { ...view.viewport };
  }
  static getNativeFramebufferScaleFactor(): number {
    return 1;
  }
}

export class GuestXRSession extends EventTarget {
  readonly environmentBlendMode = 'opaque';
  readonly interactionMode = 'world-space';
  readonly enabledFeatures = ['viewer', 'local', 'local-floor'];
  renderState: { baseLayer: GuestWebGLLayer | null; depthNear: number; depthFar: number; inlineVerticalFieldOfView: null } = { baseLayer: null, depthNear: 0.1, depthFar: 1000, inlineVerticalFieldOfView: null };
  visibilityState: 'visible' | 'visible-blurred' = 'visible-blurred';
  ended = false;
  private callbacks = new Map<number, FrameCallback>();
  private nextHandle = 1;
  private sources = new Map<number, GuestInputSource>();
  private views: readonly WireView[] = [];
  /** The world: the compositor's reference space (local-floor); 'local' is the same here. */
  private readonly world = new GuestReferenceSpace(() => mat4.create());
  private readonly viewer = new GuestReferenceSpace(() => viewerFrom(this.views));

  get inputSources(): GuestInputSource[] {
    return [...this.sources.values()];
  }

  requestAnimationFrame(callback: FrameCallback): number {
    if (this.ended || typeof callback !== 'function') return 0;
    const handle = this.nextHandle++;
    this.callbacks.set(handle, callback);
    return handle;
  }

  cancelAnimationFrame(handle: number): void {
    this.callbacks.delete(handle);
  }

  async requestReferenceSpace(type: XRReferenceSpaceType): Promise<GuestReferenceSpace> {
    if (type === 'viewer') return this.viewer;
    if (type === 'local' || type === 'local-floor') return this.world;
    throw new DOMException(`reference space '${type}' is not supported here (viewer, local and local-floor are)`, 'NotSupportedError');
  }

  updateRenderState(state: { baseLayer?: GuestWebGLLayer | null; depthNear?: number; depthFar?: number } = {}): void {
    this.renderState = { ...this.renderState, ...state };
  }

  updateTargetFrameRate(): Promise<void> {
    return Promise.resolve();
  }

  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.callbacks.clear();
    this.dispatchEvent(new GuestSessionEvent('end', { session: this }));
  }

  /** Runs one frame request's frame: input, visibility, events, then the animation frame callbacks (oldest first). */
  runFrame(time: number, views: readonly WireView[], input: FrameInput): void {
    this.views = views;
    const frame = new GuestFrame(this, time, views);
    try {
      // A source that went away this frame still gets its events (a release, say) before it is removed.
      const leaving = this.updateSources(input);
      if (input.visibility !== this.visibilityState) {
        this.visibilityState = input.visibility;
        this.dispatchEvent(new GuestSessionEvent('visibilitychange', { session: this }));
      }
      for (const event of input.events) {
        const inputSource = this.sources.get(event.source);
        if (inputSource) this.dispatchEvent(new GuestInputSourceEvent(event.type, { frame, inputSource }));
      }
      if (leaving.length > 0) {
        for (const source of leaving) this.sources.delete(source.state.id);
        this.dispatchEvent(new GuestInputSourcesChangeEvent('inputsourceschange', { session: this, added: [], removed: leaving }));
      }
      const due = this.callbacks;
      this.callbacks = new Map();
      for (const callback of due.values()) callback(time, frame);
    } finally {
      frame.active = false;
    }
  }

  /**
   * The focused guest's sources as this frame gives them (new ones announced now); while blurred
   * the known ones stay, untracked. Returns the ones gone, to be removed after this frame's events.
   */
  private updateSources(input: FrameInput): GuestInputSource[] {
    if (input.visibility !== 'visible') {
      for (const source of this.sources.values()) source.tracked = false;
      return [];
    }
    const added: GuestInputSource[] = [];
    const removed: GuestInputSource[] = [];
    const seen = new Set<number>();
    for (const state of input.sources) {
      seen.add(state.id);
      const known = this.sources.get(state.id);
      if (known) {
        known.state = state;
        known.tracked = true;
      } else {
        const source = new GuestInputSource(state);
        this.sources.set(state.id, source);
        added.push(source);
      }
    }
    for (const [id, source] of this.sources) {
      if (seen.has(id)) continue;
      source.tracked = false;
      removed.push(source);
    }
    if (added.length > 0) this.dispatchEvent(new GuestInputSourcesChangeEvent('inputsourceschange', { session: this, added, removed: [] }));
    return removed;
  }
}

/**
 * Makes the WebXR interfaces WebXR code looks for in this worker, and `navigator.xr`, whose
 * immersive-vr session is `session`. Done once, before guest code runs.
 */
export function installWebXR(session: GuestXRSession): void {
  const g = globalThis as unknown as Record<string, unknown>;
  const define = (name: string, value: unknown) => Object.defineProperty(g, name, { value, configurable: false, writable: false });
  define('XRWebGLLayer', GuestWebGLLayer);
  define('XRRigidTransform', GuestRigidTransform);
  define('XRSession', GuestXRSession);
  define('XRFrame', GuestFrame);
  define('XRView', GuestView);
  define('XRPose', GuestPose);
  define('XRViewerPose', GuestViewerPose);
  define('XRSpace', GuestSpace);
  define('XRReferenceSpace', GuestReferenceSpace);
  define('XRInputSource', GuestInputSource);
  define('XRInputSourceEvent', GuestInputSourceEvent);
  define('XRInputSourcesChangeEvent', GuestInputSourcesChangeEvent);
  define('XRSessionEvent', GuestSessionEvent);
  const xr = Object.assign(new EventTarget(), {
    isSessionSupported: (mode: string) => Promise.resolve(mode === 'immersive-vr'),
    requestSession: (mode: string) =>
      mode === 'immersive-vr' ? Promise.resolve(session) : Promise.reject(new DOMException(`only an immersive-vr session runs here, not '${mode}'`, 'NotSupportedError')),
  });
  Object.defineProperty(navigator, 'xr', { value: xr, configurable: false });
  // Every context here is XR compatible: the session draws on the guest's own canvas. (A worker's
  // native makeXRCompatible, where there is one, rejects with an AbortError: there is no XR device here.)
  for (const proto of [globalThis.WebGL2RenderingContext?.prototype, globalThis.WebGLRenderingContext?.prototype]) {
    if (proto) Object.defineProperty(proto, 'makeXRCompatible', { value: () => Promise.resolve(), configurable: false, writable: false });
  }
}
