// What the controller looks like: a beam from the controller to where its ray ends (the panel it
// meets, or a fixed reach), and a cursor disc where it meets one. Both are flat quads in the world,
// turned to face the eye that sees them, so they keep their width from any side. Pure geometry
// (gl-matrix only): each returns world from a unit square (−0.5..0.5 in x and y, z = 0), the same
// square the quad pass draws.
import { mat4, vec3 } from 'gl-matrix';
import type { PointerRay } from './ray';

/** How far the beam reaches when its ray meets nothing, metres. */
export const BEAM_REACH = 2.5;
/** The beam's width, metres. */
export const BEAM_WIDTH = 0.005;
/** The cursor's radius as a share of its distance from the eye (about 0.7°, whatever the distance). */
export const CURSOR_ANGLE = 0.012;

/** This frame's controller, as drawn. */
export interface PointerVisual {
  /** Where the beam starts (the controller), or null for a ray from the eye (mouse, gaze): cursor only. */
  from: vec3 | null;
  /** Where the ray ends: on the panel it meets, or at BEAM_REACH. */
  to: vec3;
  /** Whether it meets a panel (the cursor is drawn only then). */
  hit: boolean;
  pressed: boolean;
}

/** The visual of a pointer ray that meets a panel `hitT` metres along it (null: nothing). */
export function pointerVisual(ray: PointerRay, hitT: number | null): PointerVisual {
  const t = hitT ?? BEAM_REACH;
  const to = vec3.scaleAndAdd(vec3.create(), ray.origin, ray.direction, t);
  return { from: ray.beamFrom, to, hit: hitT !== null, pressed: ray.pressed };
}

/** The nearest of some hits along a ray (metres), or null if none. */
export function nearestHit(...hits: (number | null)[]): number | null {
  let best: number | null = null;
  for (const t of hits) if (t !== null && (best === null || t < best)) best = t;
  return best;
}

/** The eye's position in the world, from its view matrix (eye from world). */
export function eyePosition(viewMatrix: ArrayLike<number>): vec3 {
  const worldFromEye = mat4.invert(mat4.create(), viewMatrix as mat4);
  return worldFromEye ? vec3.fromValues(worldFromEye[12], worldFromEye[13], worldFromEye[14]) : vec3.create();
}

/**
 * World from the unit square for the beam from `from` to `to` seen from `eye`: x runs along the
 * beam (−0.5 at `from`), y across it, `width` wide, turned about the beam's axis to face the eye.
 * Null where the beam is too short, or seen end-on.
 */
export function beamFromUnit(from: vec3, to: vec3, eye: vec3, width = BEAM_WIDTH): mat4 | null {
  const along = vec3.sub(vec3.create(), to, from);
  const mid = vec3.lerp(vec3.create(), from, to, 0.5);
  const toEye = vec3.sub(vec3.create(), eye, mid);
  const side = vec3.cross(vec3.create(), along, toEye);
  const sideLength = vec3.length(side);
  if (vec3.length(along) < 1e-6 || sideLength < 1e-9) return null;
  vec3.scale(side, side, width / sideLength);
  const normal = vec3.normalize(vec3.create(), vec3.cross(vec3.create(), along, side));
  // prettier-ignore
  return mat4.fromValues(
    along[0], along[1], along[2], 0,
    side[0], side[1], side[2], 0,
    normal[0], normal[1], normal[2], 0,
    mid[0], mid[1], mid[2], 1,
  );
}

/** World from the unit square for a cursor disc at `at`, facing `eye`, CURSOR_ANGLE × its distance in radius. */
export function cursorFromUnit(at: vec3, eye: vec3, angle = CURSOR_ANGLE): mat4 | null {
  const toEye = vec3.sub(vec3.create(), eye, at);
  const distance = vec3.length(toEye);
  if (distance < 1e-6) return null;
  const n = vec3.scale(vec3.create(), toEye, 1 / distance);
  // Any up that is not along the normal: world up, or world x when looking straight up or down.
  const up0 = Math.abs(n[1]) > 0.99 ? vec3.fromValues(1, 0, 0) : vec3.fromValues(0, 1, 0);
  const right = vec3.normalize(vec3.create(), vec3.cross(vec3.create(), up0, n));
  const up = vec3.cross(vec3.create(), n, right);
  const size = 2 * angle * distance;
  // prettier-ignore
  return mat4.fromValues(
    right[0] * size, right[1] * size, right[2] * size, 0,
    up[0] * size, up[1] * size, up[2] * size, 0,
    n[0], n[1], n[2], 0,
    at[0], at[1], at[2], 1,
  );
}
