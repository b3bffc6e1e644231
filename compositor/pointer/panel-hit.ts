// What the controller's ray meets: a quad or cylinder panel, where on it, and how far along the
// ray (projection layers fill the view, so pointing picks no one of them). The HUD panel (a quad)
// and the layers share this. Pure geometry.
import { mat4, vec4 } from 'gl-matrix';
import type { CylinderLayerDeclaration, LayerDeclaration, QuadLayerDeclaration } from '../../shared/protocol';
import { layerPose } from '../timewarp/layer-matrices';
import type { Ray } from './ray';

/** Where a ray meets a panel: `t` along the ray, (u, v) across the panel (0..1, v = 0 at its top). */
export interface PanelHit {
  t: number;
  u: number;
  v: number;
}

/** The ray in the panel's own space (origin and direction). */
function inPanelSpace(layer: QuadLayerDeclaration | CylinderLayerDeclaration, ray: Ray): { o: vec4; d: vec4 } | null {
  const inverse = mat4.invert(mat4.create(), layerPose(layer));
  if (!inverse) return null;
  return {
    o: vec4.transformMat4(vec4.create(), [ray.origin[0]!, ray.origin[1]!, ray.origin[2]!, 1], inverse),
    d: vec4.transformMat4(vec4.create(), [ray.direction[0]!, ray.direction[1]!, ray.direction[2]!, 0], inverse),
  };
}

/** Where the ray meets the layer's panel from in front (t > 0), or null. */
export function rayHitsPanel(layer: LayerDeclaration, ray: Ray): PanelHit | null {
  if (layer.type === 'projection') return null;
  const local = inPanelSpace(layer, ray);
  if (!local) return null;
  const { o, d } = local;
  if (layer.type === 'quad') {
    if (Math.abs(d[2]) < 1e-9) return null;
    const t = -o[2] / d[2];
    const u = (o[0] + t * d[0]) / layer.width + 0.5;
    const v = 0.5 - (o[1] + t * d[1]) / layer.height;
    return t > 0 && u >= 0 && u <= 1 && v >= 0 && v <= 1 ? { t, u, v } : null;
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
  const u = Math.atan2(x, -z) / layer.centralAngle + 0.5;
  const v = 0.5 - y / layer.height;
  return u >= 0 && u <= 1 && v >= 0 && v <= 1 ? { t, u, v } : null;
}
