// How finely a layer's frame covers one eye, for the choice of composite resolution
// (policy/compose-scale.ts): its density (the layer's texels per output pixel, on its finer side)
// and the share of the eye it covers. Pure (gl-matrix only).
import { mat4, vec4 } from 'gl-matrix';
import type { LayerDeclaration, Viewport, WireView } from '../../shared/protocol';
import type { LayerFootprint } from '../policy/compose-scale';
import { quadClipFromPanel } from './layer-matrices';

/** When a layer's footprint cannot be told (behind the eye, degenerate): as fine as the output, the whole eye. */
const UNKNOWN: LayerFootprint = { density: 1, area: 1 };

const scratch = mat4.create();
const corner = vec4.create();

/**
 * Layer `declaration`'s footprint in the eye `current`, drawn into `target` pixels, from the frame
 * it shows: `rendered` (projection layers: the view the frame was rendered for, its viewport at
 * the frame's scale) and `texture` (the frame's size in pixels).
 */
export function layerFootprint(declaration: LayerDeclaration, rendered: WireView | undefined, texture: { width: number; height: number }, current: WireView, target: Viewport): LayerFootprint {
  if (target.width <= 0 || target.height <= 0) return UNKNOWN;
  switch (declaration.type) {
    case 'projection': {
      if (!rendered) return UNKNOWN;
      // The rendered view spans the eye's field of view plus its overscan on each side.
      const widen = 1 + 2 * (declaration.overscan ?? 0);
      const density = Math.max(rendered.viewport.width / widen / target.width, rendered.viewport.height / widen / target.height);
      return { density, area: 1 };
    }
    case 'quad': {
      mat4.copy(scratch, quadClipFromPanel(declaration, current, scratch));
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (const [x, y] of [[-0.5, -0.5], [0.5, -0.5], [-0.5, 0.5], [0.5, 0.5]] as const) {
        vec4.transformMat4(corner, vec4.set(corner, x, y, 0, 1), scratch);
        const w = corner[3]!;
        if (!(w > 1e-6)) return UNKNOWN; // a corner at or behind the eye: its size on screen is unbounded
        minX = Math.min(minX, corner[0]! / w);
        maxX = Math.max(maxX, corner[0]! / w);
        minY = Math.min(minY, corner[1]! / w);
        maxY = Math.max(maxY, corner[1]! / w);
      }
      const widthPx = ((maxX - minX) / 2) * target.width;
      const heightPx = ((maxY - minY) / 2) * target.height;
      if (!(widthPx > 0) || !(heightPx > 0)) return { density: 0, area: 0 };
      const visible = (Math.max(0, Math.min(1, maxX) - Math.max(-1, minX)) * Math.max(0, Math.min(1, maxY) - Math.max(-1, minY))) / 4;
      return { density: Math.max(texture.width / widthPx, texture.height / heightPx), area: visible };
    }
    case 'cylinder': {
      // Seen from its axis: the arc spans its central angle, the wall 2·atan(h / 2r) vertically;
      // the eye spans its field of view (from the projection's focal lengths). A full-eye pass.
      const p = current.projectionMatrix;
      const fovX = 2 * Math.atan(1 / Math.abs(p[0]!));
      const fovY = 2 * Math.atan(1 / Math.abs(p[5]!));
      const widthPx = (declaration.centralAngle / fovX) * target.width;
      const heightPx = ((2 * Math.atan(declaration.height / (2 * declaration.radius))) / fovY) * target.height;
      if (!(widthPx > 0) || !(heightPx > 0)) return UNKNOWN;
      return { density: Math.max(texture.width / widthPx, texture.height / heightPx), area: 1 };
    }
    default: {
      const check: never = declaration;
      return check;
    }
  }
}
