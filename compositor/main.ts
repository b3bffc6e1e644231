// Boot: read the URL, make the GL context, start the guests, then start presenting,
// on the emulator at once or on a headset after "Enter VR".
import { Compositor } from './compositor';
import { mountHud } from './hud';
import { parsePageParams } from './url-params';
import { headsetAvailable, startImmersive } from './xr-session';
import { installEmulator } from './emulator/install';
import { attachControls } from './emulator/controls';
import { attachController } from './emulator/controller';
import { controllerPointer } from './pointer/xr-input';
import { actOnButton, chaosGuests, loadChaos, loadableGuests } from './hud-panel/panel-actions';
import type { CompositorStats } from './stats';
import type { Capture, CaptureRegion } from './capture';
import { checkMotion, type Keyframe } from './emulator/motion';
import { builtInMotion } from './emulator/motions';
import { checkEmulatorSettings, type EmulatorSettings } from './emulator/settings';
import type { EmulatorDevice } from './emulator/emulator-device';
import { checkControllerInput, type ControllerInput } from './emulator/emulated-controllers';
import { quat, vec3 } from 'gl-matrix';
import { GUEST_CHANGE_EVENT, type GuestChange } from '../shared/live-edit';
import type { VersionInfo } from './live-edit/editor';
import { attachEditShortcuts } from './live-edit/shortcuts';
import { HudPanel } from './hud-panel/hud-panel';

/** The desktop emulator's scripted head (present only when the emulator is in use). */
export interface EmulatorApi {
  /** Puts the head at `position` (metres) with `orientation` (unit quaternion [x, y, z, w]); stops any scripted motion. */
  setPose(position: [number, number, number], orientation: [number, number, number, number]): void;
  /** The head's current pose. */
  pose(): { position: [number, number, number]; orientation: [number, number, number, number] };
  /** Plays keyframes (t in ms from start; slerped, so consecutive orientations under 180° apart) from the next frame. */
  play(keyframes: Keyframe[], options?: { loop?: boolean }): void;
  /** Stops the scripted motion where it is. */
  stop(): void;
  /** Whether a scripted motion is playing. */
  playing(): boolean;
  /** View mode (stereo/mono), IPD (m), vertical field of view (°), refresh rate (60/72/90/120); returns the settings in force. */
  configure(settings: Partial<EmulatorSettings>): EmulatorSettings;
  /** Starts recording the head's path, one keyframe per frame. */
  record(): void;
  /** Stops recording; the keyframes play back with play() (save them as JSON for `path=`). */
  stopRecording(): Keyframe[];
  /**
   * Scripts a controller, as setPose scripts the head: `{ connected?, aim?: [x, y, z] world point | null,
   * trigger?, squeeze?: boolean | 0..1, thumbstick?: [x, y] }`; fields left out keep their value.
   */
  input(hand: 'left' | 'right', input: ControllerInput): void;
}

export interface CompositorApi {
  stats(): CompositorStats;
  load(url: string): number;
  unload(id: number): boolean;
  /** Starts a quarantined or failed layer afresh; false if it is neither. */
  retry(id: number): boolean;
  /** The guest's snapshot() state; rejects with the reason if it fails. */
  snapshot(id: number): Promise<unknown>;
  /** Turns reprojection on or off (as `timewarp=0` does at load); returns the new setting. */
  setTimewarp(enabled: boolean): boolean;
  /** Stops (or resumes) asking a layer for frames: its last frame stays up, reprojected. */
  freeze(id: number, frozen?: boolean): boolean;
  /** The pixels (RGBA, rows bottom to top; all, or `region`) and poses of the next presented frame. */
  capture(region?: CaptureRegion): Promise<Capture>;
  /** Present when the desktop emulator is in use. */
  emulator?: EmulatorApi;
  /** Fetches the guest's module again and vets it as its next version; resolves whether vetting began. */
  reload(id: number): Promise<boolean>;
  /** The layer's good versions, oldest first. */
  history(id: number): VersionInfo[];
  /** Moves the layer to good version `version` (vetted again, state carried); false if there is none to go to. */
  revert(id: number, version: number): boolean;
  /** Back to the version before the live one (default: the layer most recently edited). */
  undo(id?: number): boolean;
  /** On to the version after the live one. */
  redo(id?: number): boolean;
  /** The last `seconds` (default 10) of frame timing as a Chrome trace-event object (opens in Perfetto). */
  exportTrace(seconds?: number): ReturnType<Compositor['exportTrace']>;
  /** The in-headset HUD panel's pose, size and buttons (null when it is not shown). */
  hudPanel(): ReturnType<HudPanel['describe']> | null;
  /** Gives layer `id`'s guest input focus (the others are blurred); throws for an unknown or ended layer. */
  focus(id: number): void;
  /** The same, saved as a file (steadfast-trace-<time>.json) through the browser's download. */
  downloadTrace(seconds?: number): void;
}

declare global {
  interface Window {
    compositor: CompositorApi;
  }
}

const params = parsePageParams(location.search);
/** The guests the chaos buttons load, as the page lists them. */
const chaos = chaosGuests(document);
const canvas = document.querySelector<HTMLCanvasElement>('#view')!;
const hudRoot = document.querySelector<HTMLElement>('#hud')!;
const enterButton = document.querySelector<HTMLButtonElement>('#enter-vr')!;
const status = document.querySelector<HTMLElement>('#status')!;
/** The compositor's own output scale (policy/frame-budget.ts): the XR layer's framebuffer scale, the emulator's canvas scale. */
let outputScale = 1;
/** The emulator's canvas waits to be refitted to a new output scale at its next frame. */
let canvasRefit = false;

function showStatus(text: string): void {
  status.textContent = text;
  status.hidden = text === '';
}

const gl = canvas.getContext('webgl2', {
  xrCompatible: true,
  alpha: false,
  antialias: false,
  depth: true, // depth layers' positional timewarp tests depth
  preserveDrawingBuffer: false,
});

if (!gl) {
  showStatus('WebGL2 is not available in this browser: Steadfast cannot composite.');
} else {
  // Live editing: the dev server announces changed guest files; any other URL is polled (on by
  // default under the dev server, `watch=1` in a production build, `watch=0` off).
  const watch = params.watch ?? import.meta.env.DEV;
  const compositor = new Compositor(gl, {
    surface: params.surface,
    policy: params.policy,
    isolation: params.isolation,
    timewarp: params.timewarp,
    watch,
    adapt: params.adapt,
    bufferLayers: params.bufferLayers,
    importMap: params.imports === undefined ? undefined : new URL(params.imports, location.href).href,
  });
  // Runs when the compositor's own output scale changes (its composite did not fit, or fits again).
  // A headset takes the new layer from its next frame; the emulator's canvas is resized just
  // before its next frame (resizing it now would clear what this frame drew).
  compositor.onOutputScale = (scale) => {
    outputScale = scale;
    if (activeSession && compositor.session === 'immersive') setBaseLayer(activeSession, compositor.gl);
    else canvasRefit = true;
  };
  if (import.meta.hot && watch) {
    compositor.editor.useDevServer(location.origin);
    // Runs when Vite's watcher sees a guest file change (tooling/guest-watch.ts): vet the new version.
    // Runs when the dev server saw a guest file change (tooling/guest-watch.ts): vet the new text.
    import.meta.hot.on(GUEST_CHANGE_EVENT, (change: GuestChange) =>
      compositor.editor.devServerChanged(new URL(change.path, location.origin).href, typeof change.source === 'string' ? change.source : undefined, typeof change.savedAt === 'number' ? Date.now() - change.savedAt : undefined),
    );
  }
  window.compositor = {
    stats: () => compositor.stats(),
    load: (url) => compositor.load(url),
    unload: (id) => compositor.unload(id),
    retry: (id) => compositor.retry(id),
    snapshot: (id) => compositor.snapshot(id),
    setTimewarp: (enabled) => compositor.setTimewarp(enabled),
    freeze: (id, frozen) => compositor.freeze(id, frozen),
    capture: (region) => compositor.capture(region),
    reload: (id) => compositor.editor.reload(id),
    history: (id) => compositor.editor.history(id),
    revert: (id, version) => compositor.editor.revert(id, version),
    undo: (id) => compositor.editor.undo(id ?? compositor.editor.lastEdited),
    redo: (id) => compositor.editor.redo(id ?? compositor.editor.lastEdited),
    exportTrace: (seconds) => compositor.exportTrace(seconds),
    downloadTrace: (seconds) => downloadTrace(compositor, seconds),
    hudPanel: () => compositor.hudPanel?.describe() ?? null,
    focus: (id) => compositor.focus(id),
  };
  if (params.hudPanel) showHudPanel(compositor, gl);
  attachEditShortcuts(window, compositor);
  watchContext(compositor);
  if (params.hud) {
    mountHud(hudRoot, () => compositor.stats(), params.warnings, {
      retry: (id) => compositor.retry(id),
      undo: (id) => compositor.editor.undo(id),
      redo: (id) => compositor.editor.redo(id),
      reload: (id) => void compositor.editor.reload(id),
      unload: (id) => compositor.unload(id),
      load: (url) => void compositor.load(url),
      chaos: () => loadChaos(compositor, chaos),
      exportTrace: () => downloadTrace(compositor),
      recentFrames: () => compositor.clock.recentFrames(),
      focus: (id) => compositor.focus(id),
      typing: (active) => (compositor.input.pageUiActive = active),
    });
  } else hudRoot.hidden = true;
  // Runs on key presses: the page's own shortcuts (trace export, HUD toggle); see HUD_SHORTCUTS.
  window.addEventListener('keydown', (e) => {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    if (key === 't') downloadTrace(compositor);
    else if (key === 'h') hudRoot.hidden = !hudRoot.hidden;
    else return;
    e.preventDefault();
  });
  for (const url of params.guests) compositor.load(url);
  void present(compositor, gl);
}

async function present(compositor: Compositor, gl: WebGL2RenderingContext): Promise<void> {
  const useEmulator = params.emulator || !(await headsetAvailable());
  if (useEmulator) {
    const device = installEmulator();
    Object.assign(device.settings, params.emulatorSettings);
    compositor.poseTimeOf = () => device.poseTime;
    window.compositor.emulator = emulatorApi(device);
    if (params.motion) device.play(builtInMotion(params.motion));
    if (params.path) void playPath(device, params.path);
    fitCanvasToWindow();
    window.addEventListener('resize', fitCanvasToWindow);
    const controls = attachControls(canvas, device.pose, () => {
      device.settings.view = device.settings.view === 'stereo' ? 'mono' : 'stereo';
    });
    attachController(canvas, device, (ray) => compositor.reach(ray));
    device.beforeFrame = (now) => controls.update(now);
    // Runs at the start of each emulated frame, before its views are laid out: a pending output-scale change.
    device.beforeLayout = () => {
      if (canvasRefit) fitCanvasToWindow();
    };
    await begin(compositor, gl, 'emulator');
    return;
  }
  enterButton.hidden = false;
  showStatus('A headset is available: press Enter VR.');
  // Runs when the user presses Enter VR: immersive sessions need this gesture.
  enterButton.onclick = () => {
    enterButton.hidden = true;
    void begin(compositor, gl, 'immersive');
  };
}

async function begin(compositor: Compositor, gl: WebGL2RenderingContext, mode: 'emulator' | 'immersive'): Promise<void> {
  try {
    const { session, space } = await startImmersive(gl);
    activeSession = session;
    compositor.session = mode;
    showStatus('');
    if (mode === 'immersive' && (params.hud || params.hudPanel)) showHudPanel(compositor, gl);
    // The headset's controller, or the emulator's (a webxr-polyfill input source driven by the mouse).
    compositor.pointer = controllerPointer(session);
    // Runs when the XR session ends (headset removed, user exit): offer to enter again.
    session.addEventListener('end', () => {
      compositor.session = 'none';
      if (mode === 'immersive') enterButton.hidden = false;
    });
    compositor.present(session, space);
  } catch (e) {
    showStatus(`Could not start the XR session: ${e instanceof Error ? e.message : String(e)}`);
    if (mode === 'immersive') enterButton.hidden = false;
  }
}

let activeSession: XRSession | null = null;

function emulatorApi(device: EmulatorDevice): EmulatorApi {
  const tuple3 = (v: ArrayLike<number>): [number, number, number] => [v[0]!, v[1]!, v[2]!];
  return {
    setPose(position, orientation) {
      const problem = checkMotion([{ t: 0, position, orientation }]);
      if (problem) throw new TypeError(`setPose(position [x, y, z], orientation [x, y, z, w] unit quaternion): ${problem.replace('keyframe 0 must be ', 'expected ')}`);
      device.stop();
      vec3.copy(device.pose.position, position);
      quat.normalize(device.pose.orientation, orientation);
      device.updateMatrices();
    },
    pose() {
      const q = device.pose.orientation;
      return { position: tuple3(device.pose.position), orientation: [q[0], q[1], q[2], q[3]] };
    },
    play(keyframes, options = {}) {
      const problem = checkMotion(keyframes);
      if (problem) throw new TypeError(`play(keyframes): ${problem}`);
      device.play({ keyframes: structuredClone(keyframes), loop: options.loop === true });
    },
    stop: () => device.stop(),
    playing: () => device.isPlaying,
    configure(settings) {
      const { settings: usable, problems } = checkEmulatorSettings(settings);
      if (problems.length > 0) throw new TypeError(problems.join('; '));
      Object.assign(device.settings, usable);
      return { ...device.settings };
    },
    record: () => device.record(),
    stopRecording: () => device.stopRecording(),
    input(hand, input) {
      const checked = checkControllerInput(hand, input);
      if (!checked.ok) throw new TypeError(checked.reason);
      device.input(checked.hand, checked.input);
    },
  };
}

/** Fetches a recorded head path (JSON keyframes) and plays it, looped; a bad one is reported in the status line. */
async function playPath(device: EmulatorDevice, url: string): Promise<void> {
  try {
    const keyframes: unknown = await (await fetch(url)).json();
    const problem = checkMotion(keyframes);
    if (problem) throw new Error(problem);
    device.play({ keyframes: keyframes as Keyframe[], loop: true });
  } catch (e) {
    showStatus(`path=${url} not played: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// The compositor's own GL context can be lost (GPU reset, driver update, WEBGL_lose_context).
function watchContext(compositor: Compositor): void {
  // Runs when the context is lost: ask for it back; the frame loop draws nothing meanwhile.
  canvas.addEventListener('webglcontextlost', (event) => {
    event.preventDefault();
    console.warn('[steadfast] compositor WebGL context lost');
  });
  // Runs when the context is back: rebuild every GL resource and the XR layer; guests refill their layers.
  canvas.addEventListener('webglcontextrestored', () => {
    compositor.rebuildGraphics();
    const session = activeSession;
    if (session && compositor.session !== 'none') {
      void compositor.gl.makeXRCompatible().then(() => setBaseLayer(session, compositor.gl));
    }
    console.info('[steadfast] compositor WebGL context restored and rebuilt');
  });
}

function showHudPanel(compositor: Compositor, gl: WebGL2RenderingContext): void {
  // Runs when the controller's trigger is pressed on one of the panel's buttons.
  compositor.hudPanel ??= new HudPanel(gl, (button) => actOnButton(compositor, button, chaos), () => compositor.clock.recentFrames(), () => loadableGuests(compositor, params.guests));
}

function downloadTrace(compositor: Compositor, seconds = 10): void {
  const blob = new Blob([JSON.stringify(compositor.exportTrace(seconds))], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `steadfast-trace-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}


/** A new XR layer at the current output scale (a headset's framebufferScaleFactor). */
function setBaseLayer(session: XRSession, gl: WebGL2RenderingContext): void {
  session.updateRenderState({ baseLayer: new XRWebGLLayer(session, gl, { antialias: false, alpha: false, depth: true, framebufferScaleFactor: outputScale }) });
}

function fitCanvasToWindow(): void {
  canvasRefit = false;
  const ratio = Math.min(window.devicePixelRatio || 1, 2) * outputScale;
  canvas.width = Math.max(2, Math.round(canvas.clientWidth * ratio));
  canvas.height = Math.max(1, Math.round(canvas.clientHeight * ratio));
}
