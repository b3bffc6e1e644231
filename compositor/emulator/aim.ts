// Aiming an emulated controller: its pose from where the hand is and what it points at.
import { mat4, vec3 } from 'gl-matrix';

/** World from controller: at `hand`, its −z (the target ray) toward `target`. Null if they coincide. */
export function aimFromHand(hand: vec3, target: vec3, out: mat4 = mat4.create()): mat4 | null {
  const along = vec3.sub(vec3.create(), target, hand);
  if (vec3.length(along) < 1e-6) return null;
  vec3.normalize(along, along);
  // Any up not along the ray: world up, or world −z when aiming straight up or down.
  const up = Math.abs(along[1]) > 0.99 ? vec3.fromValues(0, 0, -1) : vec3.fromValues(0, 1, 0);
  return mat4.targetTo(out, hand, target, up);
}
