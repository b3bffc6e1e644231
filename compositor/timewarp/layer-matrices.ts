// The matrices each layer type is drawn with for one eye, from the view it was rendered for and
// the view being shown. Pure (gl-matrix only), so each is unit-tested against hand-worked cases.
import { mat3, mat4, quat } from 'gl-matrix';
import type { CylinderLayerDeclaration, QuadLayerDeclaration, WireView } from '../../shared/protocol';
import { timewarpHomography } from './homography';

const IDENTITY4 = mat4.create();

/**
 * Projection layers, rotation only: the homography from current NDC to rendered NDC. With
 * timewarp off the pose difference is ignored, but a change of projection (overscan, say) is still
 * undone, so the picture keeps its size and place.
 */
export function projectionWarp(rendered: WireView, current: WireView, timewarp: boolean, out: mat3 = mat3.create()): mat3 {
  return timewarp
    ? timewarpHomography(rendered.projectionMatrix, rendered.viewMatrix, current.projectionMatrix, current.viewMatrix, out)
    : timewarpHomography(rendered.projectionMatrix, IDENTITY4, current.projectionMatrix, IDENTITY4, out);
}

/** Depth layers: current clip from rendered NDC, P_c·V_c·(P_r·V_r)⁻¹ (null if the rendered view is singular). */
export function depthReprojection(rendered: WireView, current: WireView, out: mat4 = mat4.create()): mat4 | null {
  const renderedClip = mat4.multiply(mat4.create(), rendered.projectionMatrix as mat4, rendered.viewMatrix as mat4);
  const worldFromRendered = mat4.invert(mat4.create(), renderedClip);
  if (!worldFromRendered) return null;
  mat4.multiply(out, current.projectionMatrix as mat4, current.viewMatrix as mat4);
  return mat4.multiply(out, out, worldFromRendered);
}

/** World from the layer's own space (its pose). */
export function layerPose(layer: QuadLayerDeclaration | CylinderLayerDeclaration, out: mat4 = mat4.create()): mat4 {
  const q = layer.orientation ? quat.normalize(quat.create(), layer.orientation) : quat.create();
  return mat4.fromRotationTranslation(out, q, layer.position);
}

/** Quad layers: current clip from the panel's unit square (−0.5..0.5 in x and y, z = 0). */
export function quadClipFromPanel(layer: QuadLayerDeclaration, current: WireView, out: mat4 = mat4.create()): mat4 {
  const model = layerPose(layer);
  mat4.scale(model, model, [layer.width, layer.height, 1]);
  mat4.multiply(out, current.projectionMatrix as mat4, current.viewMatrix as mat4);
  return mat4.multiply(out, out, model);
}

/** Cylinder layers: the cylinder's space from current clip (null if singular). */
export function cylinderFromClip(layer: CylinderLayerDeclaration, current: WireView, out: mat4 = mat4.create()): mat4 | null {
  const clipFromCylinder = mat4.multiply(mat4.create(), current.projectionMatrix as mat4, current.viewMatrix as mat4);
  mat4.multiply(clipFromCylinder, clipFromCylinder, layerPose(layer));
  return mat4.invert(out, clipFromCylinder);
}
