// The user's controllers as guests get them (shared/protocol.ts InputSourceState): read from the
// session once per compositor frame, posed in the compositor's reference space (the world of the
// guests' views), and predicted per request to when that guest's frame will be shown, by the same
// velocity extrapolation as the head's (timewarp/prediction.ts).
import { mat4, quat, vec3 } from 'gl-matrix';
import { MAX_GAMEPAD_AXES, MAX_GAMEPAD_BUTTONS, MAX_INPUT_SOURCES, MAX_PROFILE_LENGTH, MAX_PROFILES } from '../../shared/limits';
import type { InputSourceState } from '../../shared/protocol';
import { initialMotion, predictPose, recordPose, type HeadMotion, type PoseSample } from '../timewarp/prediction';

interface Tracked {
  state: InputSourceState;
  /** The target ray's motion (the grip moves with it). */
  motion: HeadMotion;
  now: PoseSample;
}

const clamp = (x: number, lo: number, hi: number) => (Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : 0);

/** The Gamepad API's view of a source, copied and clamped to what the protocol allows. */
function gamepadState(pad: Gamepad | undefined | null): InputSourceState['gamepad'] {
  if (!pad) return null;
  return {
    mapping: pad.mapping === 'xr-standard' ? 'xr-standard' : '',
    buttons: Array.from(pad.buttons).slice(0, MAX_GAMEPAD_BUTTONS).map((b) => ({ pressed: b.pressed, touched: b.touched, value: clamp(b.value, 0, 1) })),
    axes: Array.from(pad.axes).slice(0, MAX_GAMEPAD_AXES).map((a) => clamp(a, -1, 1)),
  };
}

export class InputSources {
  private readonly ids = new WeakMap<XRInputSource, number>();
  private nextId = 1;
  private motions = new Map<number, HeadMotion>();
  /** This frame's sources, as read. */
  private current: Tracked[] = [];

  /** The id guests know a source by: stable while it stays connected. */
  idOf(source: XRInputSource): number {
    let id = this.ids.get(source);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(source, id);
    }
    return id;
  }

  /** Reads every input source's poses and buttons for this frame (pose time `t`, ms). */
  read(frame: XRFrame, space: XRReferenceSpace, t: number): void {
    const next: Tracked[] = [];
    const motions = new Map<number, HeadMotion>();
    for (const source of frame.session.inputSources) {
      if (next.length >= MAX_INPUT_SOURCES) break;
      const ray = frame.getPose(source.targetRaySpace, space);
      if (!ray) continue;
      const grip = source.gripSpace ? frame.getPose(source.gripSpace, space) : null;
      const id = this.idOf(source);
      const { position: p, orientation: o } = ray.transform;
      const now: PoseSample = { t, position: vec3.fromValues(p.x, p.y, p.z), orientation: quat.fromValues(o.x, o.y, o.z, o.w) };
      const motion = recordPose(this.motions.get(id) ?? initialMotion(), now);
      motions.set(id, motion);
      next.push({
        motion,
        now,
        state: {
          id,
          handedness: source.handedness,
          targetRayMode: source.targetRayMode,
          profiles: Array.from(source.profiles).slice(0, MAX_PROFILES).map((name) => String(name).slice(0, MAX_PROFILE_LENGTH)),
          targetRay: new Float32Array(ray.transform.matrix),
          grip: grip ? new Float32Array(grip.transform.matrix) : null,
          gamepad: gamepadState(source.gamepad),
        },
      });
    }
    this.current = next;
    this.motions = motions;
  }

  /** Source `id`'s target ray this frame (its origin, and its −z), or null if it is not tracked now. */
  rayOf(id: number): { origin: [number, number, number]; direction: [number, number, number] } | null {
    const m = this.current.find((t) => t.state.id === id)?.state.targetRay;
    return m ? { origin: [m[12]!, m[13]!, m[14]!], direction: [-m[8]!, -m[9]!, -m[10]!] } : null;
  }

  /** This frame's sources as they will be `aheadMs` from now, if each keeps its velocity. */
  predicted(aheadMs: number): InputSourceState[] {
    return this.current.map(({ state, motion, now }) => {
      const then = aheadMs > 0 ? predictPose(motion, aheadMs) : null;
      if (!then) return state;
      // then-from-now, applied in the world: the grip moves rigidly with the ray.
      const delta = mat4.multiply(mat4.create(), mat4.fromRotationTranslation(mat4.create(), then.orientation, then.position), mat4.invert(mat4.create(), mat4.fromRotationTranslation(mat4.create(), now.orientation, now.position)) ?? mat4.create());
      const move = (m: Float32Array) => mat4.multiply(new Float32Array(16), delta, m) as Float32Array;
      return { ...state, targetRay: move(state.targetRay), grip: state.grip ? move(state.grip) : null };
    });
  }
}
