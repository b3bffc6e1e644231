// Which layer a trigger press is on: the topmost layer with content under the controller's ray.
// Quads and cylinders are picked by their geometry; a projection layer by its own pixels: the
// alpha of its newest frame where the point the user sees the cursor at (the beam's end) projects
// in the view that frame was rendered for. Read back on a press only (one texel per layer tried).
import { mat4, vec4 } from 'gl-matrix';
import type { LayerDeclaration, WireView } from '../../shared/protocol';
import { rayHitsPanel } from '../pointer/panel-hit';
import type { Ray } from '../pointer/ray';

/** A layer as the pick sees it, topmost first. */
export interface PickTarget {
  id: number;
  declaration: LayerDeclaration;
  /** The views its shown frame was rendered for (viewports on its surface), or null. */
  views: readonly WireView[] | null;
  /** The alpha (0..255) of its shown frame at surface pixel (x, y), origin bottom-left; null if unreadable. */
  alphaAt(x: number, y: number): number | null;
}

/** Content below this alpha is empty space (premultiplied: 8/255 is about 3 %). */
export const PICK_ALPHA = 8;

/** Where world point `p` lands on a surface, through `view` (pixels, origin bottom-left); null if outside its viewport or behind. */
export function surfacePixel(view: WireView, p: readonly [number, number, number]): { x: number; y: number } | null {
  const clip = vec4.transformMat4(vec4.create(), vec4.transformMat4(vec4.create(), [p[0], p[1], p[2], 1], view.viewMatrix as unknown as mat4), view.projectionMatrix as unknown as mat4);
  if (clip[3] <= 0) return null;
  const nx = clip[0] / clip[3];
  const ny = clip[1] / clip[3];
  if (nx < -1 || nx > 1 || ny < -1 || ny > 1) return null;
  const { x, y, width, height } = view.viewport;
  return { x: Math.min(x + width - 1, Math.floor(x + (nx * 0.5 + 0.5) * width)), y: Math.min(y + height - 1, Math.floor(y + (ny * 0.5 + 0.5) * height)) };
}

/** The topmost target with content under `ray`, whose cursor is `reach` metres along it; null if none. */
export function pickLayer(ray: Ray, reach: number, targets: Iterable<PickTarget>): number | null {
  const at = (i: number) => (ray.origin[i] ?? 0) + (ray.direction[i] ?? 0) * reach;
  const cursor = [at(0), at(1), at(2)] as const;
  for (const target of targets) {
    if (target.declaration.type !== 'projection') {
      if (rayHitsPanel(target.declaration, ray)) return target.id;
      continue;
    }
    const view = target.views?.[0];
    const at = view ? surfacePixel(view, cursor) : null;
    if (!at) continue;
    const alpha = target.alphaAt(at.x, at.y);
    if (alpha !== null && alpha >= PICK_ALPHA) return target.id;
  }
  return null;
}
