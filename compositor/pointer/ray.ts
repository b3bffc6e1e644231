// Rays: what the controller (or the mouse, or a gaze) points along, in world space (metres), and
// how one is made from an eye and a pixel or from an XR pose. Pure geometry (gl-matrix only); the
// HUD panel, the layers' hit tests, the beam and the emulator's controller all use these.
import { mat4, quat, vec3, vec4 } from 'gl-matrix';
import type { Viewport, WireView } from '../../shared/protocol';

/** A ray in world space, metres. */
export interface Ray {
  origin: ArrayLike<number>;
  direction: ArrayLike<number>;
}

/** A pointing ray in world space (metres) and whether its trigger is held. */
export interface PointerRay {
  origin: vec3;
  direction: vec3;
  pressed: boolean;
  /** Where its beam is drawn from (the controller), or null for a ray from the eye (cursor only). */
  beamFrom: vec3 | null;
  /** The XR input source it comes from, if any. */
  source?: XRInputSource;
}

/** This frame's pointer: its ray (null when there is none), and whether its trigger went down this frame. */
export interface PointerFrame {
  ray: PointerRay | null;
  clicked: boolean;
}

/** One eye this frame draws: its view and where it goes on the canvas. */
export interface Eye {
  view: WireView;
  viewport: Viewport;
}

/** Where the pointer is this frame (an XR input source, or the emulator's mouse); null: none. */
export type PointerSource = (frame: XRFrame, space: XRReferenceSpace, eyes: readonly Eye[]) => PointerRay | null;

/** A ray from a view's eye through a point of its viewport (GL pixels, origin bottom-left). */
export function rayThrough(view: Pick<WireView, 'projectionMatrix' | 'viewMatrix'>, viewport: Viewport, x: number, y: number): { origin: vec3; direction: vec3 } | null {
  const clipFromWorld = mat4.multiply(mat4.create(), view.projectionMatrix as mat4, view.viewMatrix as mat4);
  const worldFromClip = mat4.invert(mat4.create(), clipFromWorld);
  if (!worldFromClip) return null;
  const nx = ((x - viewport.x) / viewport.width) * 2 - 1;
  const ny = ((y - viewport.y) / viewport.height) * 2 - 1;
  const near = vec4.transformMat4(vec4.create(), [nx, ny, -1, 1], worldFromClip);
  const far = vec4.transformMat4(vec4.create(), [nx, ny, 1, 1], worldFromClip);
  const origin = vec3.fromValues(near[0] / near[3], near[1] / near[3], near[2] / near[3]);
  const direction = vec3.normalize(vec3.create(), vec3.sub(vec3.create(), vec3.fromValues(far[0] / far[3], far[1] / far[3], far[2] / far[3]), origin));
  return { origin, direction };
}

/** The ray of an XR input source's target-ray pose (position, and -z of its orientation). */
export function rayFromPose(transform: XRRigidTransform): { origin: vec3; direction: vec3 } {
  const p = transform.position;
  const o = transform.orientation;
  const direction = vec3.transformQuat(vec3.create(), [0, 0, -1], quat.fromValues(o.x, o.y, o.z, o.w));
  return { origin: vec3.fromValues(p.x, p.y, p.z), direction };
}
