// How finely a layer's frame covers one eye, for the choice of composite resolution
// (policy/compose-scale.ts): its density (the layer's texels per output pixel, on its finer side)
// and the share of the eye it covers. Pure (gl-matrix only).
import { mat4, vec3, vec4 } from 'gl-matrix';
import type { LayerDeclaration, Viewport, WireView } from '../../shared/protocol';
import { layerPose, quadClipFromPanel } from './layer-matrices';

/** A layer's footprint in one eye: the finest of its texels per output pixel (per side), and the share of the eye it covers (0..1). */
export interface Footprint {
  density: number;
  area: number;
}

/** When a layer's footprint cannot be told (behind the eye, degenerate): as fine as the output, the whole eye. */
const UNKNOWN: Footprint = { density: 1, area: 1 };

const scratch = mat4.create();
const scratchInverse = mat4.create();
const corner = vec4.create();
const eyeAt = vec3.create();

/**
 * Layer `declaration`'s footprint in the eye `current`, drawn into `target` pixels, from the frame
 * it shows: `rendered` (projection layers: the view the frame was rendered for, its viewport at
 * the frame's scale) and `texture` (the frame's size in pixels). Where a layer's density varies
 * over the eye (a panel seen at an angle), its finest part counts: no layer may be drawn coarser
 * than it was rendered.
 */
export function layerFootprint(declaration: LayerDeclaration, rendered: WireView | undefined, texture: { width: number; height: number }, current: WireView, target: Viewport): Footprint {
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
      quadClipFromPanel(declaration, current, scratch);
      // The panel's corners in NDC: bottom left, bottom right, top left, top right.
      const ndc: [number, number][] = [];
      for (const [x, y] of [[-0.5, -0.5], [0.5, -0.5], [-0.5, 0.5], [0.5, 0.5]] as const) {
        vec4.transformMat4(corner, vec4.set(corner, x, y, 0, 1), scratch);
        const w = corner[3]!;
        if (!(w > 1e-6)) return UNKNOWN; // a corner at or behind the eye: its size on screen is unbounded
        ndc.push([corner[0]! / w, corner[1]! / w]);
      }
      const [bl, br, tl, tr] = ndc as [[number, number], [number, number], [number, number], [number, number]];
      /** An edge's length on screen, in pixels. */
      const edge = (a: [number, number], b: [number, number]) => Math.hypot(((b[0] - a[0]) * target.width) / 2, ((b[1] - a[1]) * target.height) / 2);
      // Its texels over the shorter of each pair of opposite edges: the finest part of a panel seen at an angle.
      const across = Math.min(edge(bl, br), edge(tl, tr));
      const up = Math.min(edge(bl, tl), edge(br, tr));
      if (!(across > 0) || !(up > 0)) return { density: 0, area: 0 };
      const xs = ndc.map((p) => p[0]);
      const ys = ndc.map((p) => p[1]);
      const visible = (Math.max(0, Math.min(1, Math.max(...xs)) - Math.max(-1, Math.min(...xs))) * Math.max(0, Math.min(1, Math.max(...ys)) - Math.max(-1, Math.min(...ys)))) / 4;
      return { density: Math.max(texture.width / across, texture.height / up), area: visible };
    }
    case 'cylinder': {
      // Seen from inside, the wall's farthest part is at most r + d away (d: the eye's distance from
      // the axis), and the eye's pixels per radian are fewest at its centre (|p[0]|·W/2 across,
      // |p[5]|·H/2 up): about the fewest pixels the arc and the wall's height can cover (a wall
      // seen obliquely from far off the axis covers fewer; the layer is then drawn a little soft).
      const worldFromEye = mat4.invert(scratch, current.viewMatrix as mat4);
      const cylinderFromWorld = worldFromEye ? mat4.invert(scratchInverse, layerPose(declaration, scratchInverse)) : null;
      if (!worldFromEye || !cylinderFromWorld) return UNKNOWN;
      mat4.getTranslation(eyeAt, worldFromEye);
      vec3.transformMat4(eyeAt, eyeAt, cylinderFromWorld);
      const r = declaration.radius;
      const d = Math.hypot(eyeAt[0]!, eyeAt[2]!);
      if (!(d < r)) return UNKNOWN; // outside the cylinder: its wall is seen from behind, nearer than its radius
      const p = current.projectionMatrix;
      const far = r + d;
      const widthPx = ((declaration.centralAngle * r) / far) * (Math.abs(p[0]!) * target.width) / 2;
      const heightPx = (2 * Math.atan(declaration.height / (2 * far))) * (Math.abs(p[5]!) * target.height) / 2;
      if (!(widthPx > 0) || !(heightPx > 0)) return UNKNOWN;
      return { density: Math.max(texture.width / widthPx, texture.height / heightPx), area: 1 };
    }
    default: {
      const check: never = declaration;
      return check;
    }
  }
}
