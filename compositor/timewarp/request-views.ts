// The views a frame request carries, per layer type. Projection layers get one view per eye,
// side by side on the surface, widened by their overscan and (for depth layers) with a depth
// viewport below each colour viewport. Quad and cylinder layers are flat pictures: one view,
// eye 'none', covering the whole surface, with identity matrices. Pure.
import { surfaceSize, type LayerDeclaration, type Viewport, type WireView } from '../../shared/protocol';

const IDENTITY = Object.freeze([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

/**
 * A projection that sees `overscan` more of the view's width and height on each side, with the
 * same centre: scaling clip x and y by 1 / (1 + 2·overscan) widens each side's tangent by that
 * share of the full extent, for asymmetric frusta too.
 */
export function widenProjection(projection: ArrayLike<number>, overscan: number): Float32Array {
  const out = Float32Array.from(projection);
  if (overscan <= 0) return out;
  const s = 1 / (1 + 2 * overscan);
  for (let column = 0; column < 4; column++) {
    out[column * 4] = out[column * 4]! * s;
    out[column * 4 + 1] = out[column * 4 + 1]! * s;
  }
  return out;
}

/** Splits a surface side by side among views: column ranges that cover every column exactly once. */
export function surfaceViews(views: readonly WireView[], surface: { width: number; height: number }): WireView[] {
  const n = views.length;
  return views.map((view, i) => {
    const x = Math.floor((i * surface.width) / n);
    const right = Math.floor(((i + 1) * surface.width) / n);
    return { ...view, viewport: { x, y: 0, width: right - x, height: surface.height } };
  });
}

/**
 * The views to send a layer's guest. `views` are the poses to render for (already predicted);
 * `surface` is the page's surface size (a depth layer's bitmap is twice as tall, and a quad or
 * cylinder may declare its own, see surfaceSize).
 */
export function requestViews(layer: LayerDeclaration, views: readonly WireView[], surface: { width: number; height: number }): WireView[] {
  switch (layer.type) {
    case 'projection': {
      const laid = surfaceViews(views, surface);
      return laid.map((view) => {
        const projectionMatrix = widenProjection(view.projectionMatrix, layer.overscan ?? 0);
        if (!layer.depth) return { ...view, projectionMatrix };
        // Colour on the top half, depth on the bottom half (origin bottom-left).
        const depthViewport: Viewport = { ...view.viewport };
        return { ...view, projectionMatrix, viewport: { ...view.viewport, y: surface.height }, depthViewport };
      });
    }
    case 'quad':
    case 'cylinder': {
      const own = surfaceSize(layer, surface);
      return [
        {
          eye: 'none',
          projectionMatrix: Float32Array.from(IDENTITY),
          viewMatrix: Float32Array.from(IDENTITY),
          viewport: { x: 0, y: 0, width: own.width, height: own.height },
        },
      ];
    }
    default: {
      const check: never = layer;
      return check;
    }
  }
}
