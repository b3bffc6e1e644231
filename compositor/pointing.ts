// What the controller's ray points at among the layers: the nearest quad or cylinder panel it
// meets (projection layers fill the view, so pointing picks no one of them). Pure geometry.
import { mat4, vec4 } from 'gl-matrix';
import type { LayerDeclaration } from '../shared/protocol';
import { layerPose } from './timewarp/layer-matrices';
import type { PointerRay } from './hud-panel/hud-panel';

/** Distance along the ray to where it meets the layer's panel, or null. */
export function rayHitsLayer(layer: LayerDeclaration, ray: PointerRay): number | null {
  if (layer.type === 'projection') return null;
  const inverse = mat4.invert(mat4.create(), layerPose(layer));
  if (!inverse) return null;
  const o = vec4.transformMat4(vec4.create(), [ray.origin[0], ray.origin[1], ray.origin[2], 1], inverse);
  const d = vec4.transformMat4(vec4.create(), [ray.direction[0], ray.direction[1], ray.direction[2], 0], inverse);
  if (layer.type === 'quad') {
    if (Math.abs(d[2]) < 1e-9) return null;
    const t = -o[2] / d[2];
    const x = o[0] + t * d[0];
    const y = o[1] + t * d[1];
    return t > 0 && Math.abs(x) <= layer.width / 2 && Math.abs(y) <= layer.height / 2 ? t : null;
  }
  // Cylinder about +y, seen from inside: the far root.
  const a = d[0] * d[0] + d[2] * d[2];
  const b = 2 * (o[0] * d[0] + o[2] * d[2]);
  const c = o[0] * o[0] + o[2] * o[2] - layer.radius * layer.radius;
  const disc = b * b - 4 * a * c;
  if (a < 1e-12 || disc < 0) return null;
  const t = (-b + Math.sqrt(disc)) / (2 * a);
  if (t <= 0) return null;
  const x = o[0] + t * d[0];
  const y = o[1] + t * d[1];
  const z = o[2] + t * d[2];
  return Math.abs(Math.atan2(x, -z)) <= layer.centralAngle / 2 && Math.abs(y) <= layer.height / 2 ? t : null;
}
