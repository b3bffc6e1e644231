// The desktop emulator: a webxr-polyfill XRDevice that offers an `immersive-vr`
// session with two views side by side on the page's canvas. The compositor drives
// it through the ordinary WebXR API, exactly as it drives a headset.
import XRDevice from 'webxr-polyfill/src/devices/XRDevice.js';
import { mat4 } from 'gl-matrix';
import { defaultPose, eyeFov, eyeViewMatrix, headMatrix, projectionFromFov, type HeadPose } from './head-pose';
import { sampleMotion, type Motion } from './motion';

type Eye = 'left' | 'right' | 'none';

interface EmulatedSession {
  id: number;
  mode: XRSessionMode;
  enabledFeatures: Set<string>;
  baseLayer: { context: WebGLRenderingContext | WebGL2RenderingContext } | null;
  ended: boolean;
}

interface RenderStateLike { depthNear: number; depthFar: number }

let nextSessionId = 0;

export class EmulatorDevice extends XRDevice {
  readonly pose: HeadPose = defaultPose();
  /** Called at the start of every device frame with the frame's timestamp (controls move the head here). */
  beforeFrame: ((now: number) => void) | null = null;
  /** The time the current frame's pose holds: the frame's rAF timestamp, ms. */
  poseTime = 0;
  /** A scripted motion being played, and when it started (first frame's time). */
  private playing: { motion: Motion; startedAt: number | null } | null = null;
  private frameTime = 0;

  private readonly sessions = new Map<number, EmulatedSession>();
  private readonly headPose = mat4.create();
  private readonly views = { left: mat4.create(), right: mat4.create(), none: mat4.create() };
  private readonly projections = { left: mat4.create(), right: mat4.create(), none: mat4.create() };
  private near = 0.1;
  private far = 1000;
  private aspect = 1;

  constructor(global: typeof globalThis) {
    super(global);
  }

  isSessionSupported(mode: XRSessionMode): boolean {
    return mode === 'immersive-vr' || mode === 'inline';
  }

  isFeatureSupported(feature: string): boolean {
    return feature === 'viewer' || feature === 'local' || feature === 'local-floor';
  }

  async requestSession(mode: XRSessionMode, enabledFeatures: Set<string>): Promise<number> {
    const session: EmulatedSession = { id: ++nextSessionId, mode, enabledFeatures, baseLayer: null, ended: false };
    this.sessions.set(session.id, session);
    if (mode !== 'inline') this.dispatchEvent('@@webxr-polyfill/vr-present-start', session.id);
    return session.id;
  }

  onBaseLayerSet(sessionId: number, layer: EmulatedSession['baseLayer']): void {
    const session = this.sessions.get(sessionId);
    if (session) session.baseLayer = layer;
  }

  requestAnimationFrame(callback: FrameRequestCallback): number {
    // Runs once per display frame: remember its timestamp, the time this frame's pose is for.
    return window.requestAnimationFrame((time) => {
      this.frameTime = time;
      callback(time);
    });
  }

  /** Plays a scripted motion from the next frame on (replacing any other); stops at its end unless it loops. */
  play(motion: Motion): void {
    this.playing = { motion, startedAt: null };
  }

  /** Stops a scripted motion; the head stays where it is. */
  stop(): void {
    this.playing = null;
  }

  get isPlaying(): boolean {
    return this.playing !== null;
  }

  cancelAnimationFrame(handle: number): void {
    window.cancelAnimationFrame(handle);
  }

  // Runs at the start of each frame of a session, before its callbacks: move the head, then derive matrices.
  onFrameStart(sessionId: number, renderState: RenderStateLike): void {
    const session = this.sessions.get(sessionId);
    this.near = renderState.depthNear;
    this.far = renderState.depthFar;
    const canvas = session?.baseLayer?.context.canvas;
    if (canvas && canvas.height > 0) this.aspect = canvas.width / 2 / canvas.height;
    const now = this.frameTime || performance.now();
    this.poseTime = now;
    if (this.playing) {
      this.playing.startedAt ??= now;
      sampleMotion(this.playing.motion, now - this.playing.startedAt, this.pose);
    } else {
      this.beforeFrame?.(now);
    }
    this.updateMatrices();
  }

  onFrameEnd(): void {}

  /** Recomputes every matrix from the current pose (also called by setPose between frames). */
  updateMatrices(): void {
    headMatrix(this.pose, this.headPose);
    for (const eye of ['left', 'right', 'none'] as const) {
      eyeViewMatrix(this.pose, eye, this.views[eye]);
      projectionFromFov(eyeFov(eye, eye === 'none' ? this.aspect * 2 : this.aspect), this.near, this.far, this.projections[eye]);
    }
  }

  async endSession(sessionId: number): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    session.ended = true;
    if (session.mode !== 'inline') this.dispatchEvent('@@webxr-polyfill/vr-present-end', sessionId);
  }

  doesSessionSupportReferenceSpace(sessionId: number, type: string): boolean {
    const session = this.sessions.get(sessionId);
    return !!session && !session.ended && session.enabledFeatures.has(type);
  }

  requestStageBounds(): null {
    return null;
  }

  // Our pose already carries eye height, so floor-relative spaces need no emulated offset.
  override async requestFrameOfReferenceTransform(): Promise<Float32Array> {
    return mat4.create() as Float32Array;
  }

  getViewport(sessionId: number, eye: Eye, layer: { context: { canvas: { width: number; height: number } } }, target: XRViewport): boolean {
    const session = this.sessions.get(sessionId);
    const { width, height } = layer.context.canvas;
    const t = target as { x: number; y: number; width: number; height: number };
    if (!session || session.mode === 'inline') {
      Object.assign(t, { x: 0, y: 0, width, height });
      return true;
    }
    const half = Math.floor(width / 2);
    if (eye === 'left' || eye === 'none') Object.assign(t, { x: 0, y: 0, width: half, height });
    else Object.assign(t, { x: half, y: 0, width: width - half, height });
    return true;
  }

  getProjectionMatrix(eye: Eye): Float32Array {
    return this.projections[eye] as Float32Array;
  }

  getBasePoseMatrix(): Float32Array {
    return this.headPose as Float32Array;
  }

  getBaseViewMatrix(eye: Eye): Float32Array {
    return this.views[eye] as Float32Array;
  }

  getInputSources(): [] {
    return [];
  }

  getInputPose(): null {
    return null;
  }

  // The base class binds this to window resize and, unless overridden, calls itself forever.
  override onWindowResize(): void {}
}
