// The emulated controller's hand: where its beam is drawn from, held low and to the right of the
// head and turning with it, so the beam from it to the mouse's target reads as a controller's.
import { mat4, vec3 } from 'gl-matrix';

/** The hand in head space (metres: right, up, back). */
export const HAND_OFFSET: readonly [number, number, number] = [0.18, -0.25, -0.3];

/** The hand (at `offset` in head space) in the world, for the head between these views' eyes (facing as the first one). */
export function emulatedHand(views: readonly { viewMatrix: ArrayLike<number> }[], offset: readonly [number, number, number] = HAND_OFFSET): vec3 | null {
  const head = vec3.create();
  let rotation: mat4 | null = null;
  for (const view of views) {
    const worldFromEye = mat4.invert(mat4.create(), view.viewMatrix as mat4);
    if (!worldFromEye) return null;
    vec3.add(head, head, [worldFromEye[12], worldFromEye[13], worldFromEye[14]]);
    rotation ??= worldFromEye;
  }
  if (!rotation) return null;
  vec3.scale(head, head, 1 / views.length);
  const turned = vec3.transformMat4(vec3.create(), offset, rotation);
  // transformMat4 placed the offset at the first eye: keep its rotation, move it to the head.
  vec3.sub(turned, turned, [rotation[12], rotation[13], rotation[14]]);
  return vec3.add(turned, head, turned);
}
