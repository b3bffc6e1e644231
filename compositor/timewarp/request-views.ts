// The views a frame request carries, per layer type. Projection layers get one view per eye,
// side by side on the surface, widened by their overscan and (for depth layers) with a depth
// viewport below each colour viewport. Quad and cylinder layers are flat pictures: one view,
// eye 'none', covering the whole surface, with identity matrices. Pure.
import { MIN_SURFACE_SIDE } from '../../shared/limits';
import type { LayerDeclaration, Viewport, WireView } from '../../shared/protocol';

type Size = { width: number; height: number };

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
 * The colour surface a layer renders into at `scale` of its full size: the page's surface for a
 * projection layer, a quad's or cylinder's own where it declares one. Each side at least
 * MIN_SURFACE_SIDE (or the full side, if smaller).
 */
export function colourSize(layer: LayerDeclaration, base: Size, scale = 1): Size {
  const full = layer.type === 'projection' ? base : (layer.surface ?? base);
  const side = (n: number) => Math.min(n, Math.max(MIN_SURFACE_SIDE, Math.round(n * scale)));
  return { width: side(full.width), height: side(full.height) };
}

/** The size of the bitmap a layer delivers at `scale`: its colour surface, twice as tall for depth layers. */
export function renderSize(layer: LayerDeclaration, base: Size, scale = 1): Size {
  const colour = colourSize(layer, base, scale);
  return layer.type === 'projection' && layer.depth ? { width: colour.width, height: colour.height * 2 } : colour;
}

/**
 * The views to send a layer's guest. `views` are the poses to render for (already predicted);
 * `surface` is the page's surface size (a depth layer's bitmap is twice as tall, and a quad or
 * cylinder may declare its own, see surfaceSize); `scale` the share of it rendered this frame.
 */
export function requestViews(layer: LayerDeclaration, views: readonly WireView[], base: Size, scale = 1): WireView[] {
  const surface = colourSize(layer, base, scale);
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
      const own = surface;
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
