// The desktop emulator: a webxr-polyfill XRDevice that offers an `immersive-vr`
// session with two views side by side on the page's canvas. The compositor drives
// it through the ordinary WebXR API, exactly as it drives a headset.
import XRDevice from 'webxr-polyfill/src/devices/XRDevice.js';
import type XRInputSource from 'webxr-polyfill/src/api/XRInputSource.js';
import XRPose from 'webxr-polyfill/src/api/XRPose.js';
import XRRigidTransform from 'webxr-polyfill/src/api/XRRigidTransform.js';
import { mat4 } from 'gl-matrix';
import { defaultPose, eyeFov, eyeViewMatrix, headMatrix, projectionFromFov, type HeadPose } from './head-pose';
import { sampleMotion, type Keyframe, type Motion } from './motion';
import { EmulatedController, type ControllerInput, type Hand } from './emulated-controllers';
import { DEFAULT_EMULATOR, type EmulatorSettings } from './settings';

type Eye = 'left' | 'right' | 'none';

interface EmulatedSession {
  id: number;
  mode: XRSessionMode;
  enabledFeatures: Set<string>;
  baseLayer: { context: WebGLRenderingContext | WebGL2RenderingContext } | null;
  ended: boolean;
}

interface RenderStateLike { depthNear: number; depthFar: number }

/** What the polyfill's reference spaces offer an input pose (as its own gamepad sources use them). */
interface PolyfillSpace {
  _transformBasePoseMatrix(out: Float32Array, pose: Float32Array): void;
  _adjustForOriginOffset(matrix: Float32Array): void;
}

/** One eye of a device frame: its matrices and its pixels on the canvas (GL coordinates). */
export interface EmulatedEye {
  viewMatrix: Float32Array;
  projectionMatrix: Float32Array;
  viewport: { x: number; y: number; width: number; height: number };
}

/** Where an eye's pixels go on a canvas of `width` × `height` (mono: the left eye fills it, the right gets none). */
export function eyeViewport(view: EmulatorSettings['view'], eye: Eye, width: number, height: number): EmulatedEye['viewport'] {
  if (view === 'mono') return eye === 'right' ? { x: width, y: 0, width: 0, height: 0 } : { x: 0, y: 0, width, height };
  const half = Math.floor(width / 2);
  return eye === 'left' || eye === 'none' ? { x: 0, y: 0, width: half, height } : { x: half, y: 0, width: width - half, height };
}

let nextSessionId = 0;

export class EmulatorDevice extends XRDevice {
  readonly pose: HeadPose = defaultPose();
  /** Called at the start of every device frame with the frame's timestamp (controls move the head here). */
  beforeFrame: ((now: number) => void) | null = null;
  /** Called first at each frame's start, before its views are laid out on the canvas (main.ts resizes the canvas here). */
  beforeLayout: (() => void) | null = null;
  /** The time the current frame's pose holds: the frame's rAF timestamp, ms. */
  poseTime = 0;
  /** View mode, IPD, field of view, refresh rate. */
  settings: EmulatorSettings = { ...DEFAULT_EMULATOR };
  /** Poses recorded frame by frame while recording (see record()). */
  private recording: Keyframe[] | null = null;
  private recordingStart = 0;
  /** When the timer-paced frame loop (refresh rates other than the display's) last fired. */
  private nextTick = 0;
  /** A scripted motion being played, and when it started (first frame's time). */
  private playing: { motion: Motion; startedAt: number | null } | null = null;
  private frameTime = 0;

  /**
   * Called at the start of every device frame, once the head has moved, with the frame's eyes:
   * the mouse's aim for the right controller (world from controller, target ray along −z), or
   * null for none (then the right controller is not there this frame, unless scripted).
   */
  aimController: ((eyes: EmulatedEye[]) => mat4 | null) | null = null;
  /** The two controllers (emulated-controllers.ts); the right one first, as sessions list them. */
  readonly controllers: Record<Hand, EmulatedController> = { right: new EmulatedController('right'), left: new EmulatedController('left') };

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
    if (this.settings.hz !== 60) return this.timerFrame(callback);
    // Runs once per display frame: remember its timestamp, the time this frame's pose is for.
    return window.requestAnimationFrame((time) => {
      this.frameTime = time;
      callback(time);
    });
  }

  /**
   * Frames at the emulated refresh rate when it is not the display's 60 Hz: a timer on a fixed
   * grid of 1000/hz ms (the canvas still reaches the screen at the display's rate).
   */
  private timerFrame(callback: FrameRequestCallback): number {
    const period = 1000 / this.settings.hz;
    const now = performance.now();
    // The next tick on the display's grid; ticks missed while a frame ran long are skipped, as a display would.
    this.nextTick += period;
    if (this.nextTick < now) this.nextTick += Math.ceil((now - this.nextTick) / period) * period;
    if (this.nextTick - now > 2 * period) this.nextTick = now + period; // the grid was reset (rate changed, first frame)
    // Runs at the next tick of the emulated display.
    return -window.setTimeout(() => {
      this.frameTime = this.nextTick;
      callback(this.nextTick);
    }, this.nextTick - now);
  }

  /** Starts recording the head's pose every frame (replacing an earlier recording). */
  record(): void {
    this.recording = [];
    this.recordingStart = NaN;
  }

  /** Stops recording and returns the path: keyframes, one per frame, playable with play(). */
  stopRecording(): Keyframe[] {
    const path = this.recording ?? [];
    this.recording = null;
    return path;
  }

  get isRecording(): boolean {
    return this.recording !== null;
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
    if (handle < 0) window.clearTimeout(-handle);
    else window.cancelAnimationFrame(handle);
  }

  // Runs at the start of each frame of a session, before its callbacks: move the head, then derive matrices.
  onFrameStart(sessionId: number, renderState: RenderStateLike): void {
    this.beforeLayout?.();
    const session = this.sessions.get(sessionId);
    this.near = renderState.depthNear;
    this.far = renderState.depthFar;
    const canvas = session?.baseLayer?.context.canvas;
    if (canvas && canvas.height > 0) this.aspect = (this.settings.view === 'mono' ? canvas.width : canvas.width / 2) / canvas.height;
    const now = this.frameTime || performance.now();
    this.poseTime = now;
    if (this.playing) {
      this.playing.startedAt ??= now;
      sampleMotion(this.playing.motion, now - this.playing.startedAt, this.pose);
    } else {
      this.beforeFrame?.(now);
    }
    if (this.recording) {
      if (Number.isNaN(this.recordingStart)) this.recordingStart = now;
      const { position: p, orientation: q } = this.pose;
      this.recording.push({ t: now - this.recordingStart, position: [p[0], p[1], p[2]], orientation: [q[0], q[1], q[2], q[3]] });
    }
    this.updateMatrices();
    const eyes = canvas ? this.eyes(canvas.width, canvas.height) : [];
    const mouseAim = canvas && this.aimController ? this.aimController(eyes) : null;
    for (const controller of Object.values(this.controllers)) controller.update(eyes, mouseAim);
  }

  onFrameEnd(): void {}

  /** The eyes this frame draws, on a canvas of `width` × `height`. */
  private eyes(width: number, height: number): EmulatedEye[] {
    const eyes: Eye[] = this.settings.view === 'mono' ? ['left'] : ['left', 'right'];
    return eyes.map((eye) => ({ viewMatrix: this.views[eye] as Float32Array, projectionMatrix: this.projections[eye] as Float32Array, viewport: eyeViewport(this.settings.view, eye, width, height) }));
  }

  /** Holds or releases the right controller's trigger (the mouse's F key and clicks). */
  setTrigger(held: boolean): void {
    this.input('right', { trigger: held });
  }

  /**
   * Sets a controller's input (emulated-controllers.ts ControllerInput); a trigger or squeeze
   * going down or up fires select or squeeze events in every immersive session.
   */
  input(hand: Hand, input: ControllerInput): void {
    const controller = this.controllers[hand];
    const changes = controller.set(input);
    for (const session of this.sessions.values()) {
      if (session.ended || session.mode === 'inline') continue;
      const event = (name: string) => this.dispatchEvent(`@@webxr-polyfill/input-${name}`, { sessionId: session.id, inputSource: controller.source });
      if (changes.trigger !== undefined) event(changes.trigger ? 'select-start' : 'select-end');
      if (changes.squeeze !== undefined) event(changes.squeeze ? 'squeeze-start' : 'squeeze-end');
    }
  }

  /** Recomputes every matrix from the current pose (also called by setPose between frames). */
  updateMatrices(): void {
    headMatrix(this.pose, this.headPose);
    const { ipd, fovY, view } = this.settings;
    for (const eye of ['left', 'right', 'none'] as const) {
      // Mono: the left view is the one full-window eye, at the head's centre, symmetric.
      const as = view === 'mono' && eye === 'left' ? 'none' : eye;
      eyeViewMatrix(this.pose, as, this.views[eye], ipd);
      const aspect = eye === 'none' && view === 'stereo' ? this.aspect * 2 : this.aspect;
      projectionFromFov(eyeFov(as, aspect, fovY), this.near, this.far, this.projections[eye]);
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
    // Mono: one full-window eye; the right view gets no pixels (the compositor skips empty viewports).
    Object.assign(t, eyeViewport(this.settings.view, eye, width, height));
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

  getInputSources(): XRInputSource[] {
    return Object.values(this.controllers).filter((c) => c.pose).map((c) => c.source);
  }

  /** A controller's target-ray (or grip: the same) pose in `space`, as the polyfill's gamepad sources give it. */
  getInputPose(inputSource: XRInputSource, space: PolyfillSpace | null, poseType: string): XRPose | null {
    const pose = Object.values(this.controllers).find((c) => c.source === inputSource)?.pose;
    if (!pose || !space || (poseType !== 'target-ray' && poseType !== 'grip')) return null;
    const out = new Float32Array(16);
    space._transformBasePoseMatrix(out, pose as Float32Array);
    space._adjustForOriginOffset(out);
    return new XRPose(new XRRigidTransform(out), false);
  }

  // The base class binds this to window resize and, unless overridden, calls itself forever.
  override onWindowResize(): void {}
}
