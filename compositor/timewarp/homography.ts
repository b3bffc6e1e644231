// Rotational timewarp as a 3×3 homography between two views' normalised device coordinates.
//
// A guest frame was rendered for view r (projection P_r, view matrix V_r); the compositor now
// presents view c (P_c, V_c). For a pixel of the current view at NDC (x, y), the direction it
// looks along is K_c⁻¹·(x, y, 1) in c's eye space; rotated into r's eye space it projects to
// K_r·R_r·R_cᵀ·K_c⁻¹·(x, y, 1) in r's clip space. That product is the homography H: sample
// the guest's frame at H·(x, y, 1) (after the perspective divide). Only the rotation parts of
// the view matrices enter: without depth there is no positional correction. Each K is the 3×3
// part of an OpenGL projection that acts on a direction, so asymmetric frusta (P02, P12 ≠ 0)
// are handled exactly. Pure: no GL here.
import { mat3, mat4, vec3 } from 'gl-matrix';

/** The 3×3 "direction → homogeneous NDC" part of a column-major OpenGL projection matrix. */
export function projectionK(projection: ArrayLike<number>, out: mat3 = mat3.create()): mat3 {
  // Column-major: P[0]=P00, P[5]=P11, P[8]=P02, P[9]=P12, P[11]=P32 (−1 for perspective).
  return mat3.set(out, projection[0]!, 0, 0, 0, projection[5]!, 0, projection[8]!, projection[9]!, projection[11]!);
}

/** The rotation part (3×3) of a column-major view matrix. */
export function rotationOf(view: ArrayLike<number>, out: mat3 = mat3.create()): mat3 {
  return mat3.fromMat4(out, view as mat4);
}

/** The homography taking current-view NDC to render-view NDC (homogeneous; divide by z). */
export function timewarpHomography(
  renderProjection: ArrayLike<number>,
  renderView: ArrayLike<number>,
  currentProjection: ArrayLike<number>,
  currentView: ArrayLike<number>,
  out: mat3 = mat3.create(),
): mat3 {
  const kc = projectionK(currentProjection);
  const kcInv = mat3.invert(mat3.create(), kc);
  if (!kcInv) return mat3.identity(out);
  const rr = rotationOf(renderView);
  const rcT = mat3.transpose(mat3.create(), rotationOf(currentView));
  mat3.multiply(out, projectionK(renderProjection), rr);
  mat3.multiply(out, out, rcT);
  return mat3.multiply(out, out, kcInv);
}

/** Applies a homography to an NDC point, with the perspective divide. */
export function warpPoint(h: mat3, x: number, y: number): [number, number] {
  const p = vec3.transformMat3(vec3.create(), [x, y, 1], h);
  return [p[0] / p[2], p[1] / p[2]];
}
