// Drawing one run's newest frame into one eye: a layer by its type, or a version under vetting as
// a small preview panel with its label. The matrices are timewarp/'s (pure); the passes are here.
import { mat3, mat4 } from 'gl-matrix';
import type { Viewport, WireView } from '../../shared/protocol';
import type { GuestRun } from '../guests/guest-run';
import { LABEL_PIXELS } from './preview-labels';
import { cylinderFromClip, depthReprojection, projectionWarp, quadClipFromPanel } from '../timewarp/layer-matrices';
import { layerFootprint, type Footprint } from '../timewarp/layer-footprint';
import type { TimewarpSettings } from '../timewarp/settings';
import type { Graphics } from './graphics';

const scratchWarp = mat3.create();
const scratchMatrix = mat4.create();

/**
 * Draws a layer's run into eye `index` (view `current`, viewport `target`), by its type:
 * projection layers reprojected from the pose they were rendered for (by depth where they give
 * it, else by rotation), quad and cylinder layers placed in the world at the current pose.
 */
export function drawLayer(graphics: Graphics, id: number, run: GuestRun, index: number, current: WireView, target: Viewport, timewarp: TimewarpSettings): void {
  const texture = graphics.textures.get(id);
  if (!texture || !run.shownViews) return;
  const surface = { width: texture.width, height: texture.height };
  const passes = graphics.passes;
  const declaration = run.declaration;
  switch (declaration.type) {
    case 'projection': {
      const rendered = run.shownViews[index];
      if (!rendered) return;
      const depth = rendered.depthViewport;
      if (depth && timewarp.enabled) {
        const reproject = depthReprojection(rendered, current, scratchMatrix);
        if (reproject) passes.depthWarp.draw(texture.texture, rendered.viewport, depth, surface, reproject, target);
        return;
      }
      const warp = projectionWarp(rendered, current, timewarp.enabled, scratchWarp);
      passes.projection.draw(texture.texture, rendered.viewport, surface, warp, timewarp.fallback === 'clamp');
      return;
    }
    case 'quad':
      passes.quad.draw(texture.texture, quadClipFromPanel(declaration, current, scratchMatrix));
      return;
    case 'cylinder': {
      const inverse = cylinderFromClip(declaration, current, scratchMatrix);
      if (inverse) passes.cylinder.draw(texture.texture, inverse, declaration);
      return;
    }
    default: {
      const check: never = declaration;
      return check;
    }
  }
}

/** A layer's run's footprint in eye `index` (view `current`, viewport `target`): null if it shows nothing yet. */
export function footprintOf(graphics: Graphics, id: number, run: GuestRun, index: number, current: WireView, target: Viewport): Footprint | null {
  const texture = graphics.textures.get(id);
  if (!texture || !run.shownViews) return null;
  return layerFootprint(run.declaration, run.shownViews[index], texture, current, target);
}

const IDENTITY3 = mat3.create();
/** Preview panels: a fraction of the eye, stacked up from its bottom-right corner. */
const PREVIEW_SCALE = 0.3;
const LABEL_SOURCE = { x: 0, y: 0, ...LABEL_PIXELS };
const PREVIEW_MARGIN = 8;

/** A version under vetting (`id`, its run), shown as rendered (no warp) in the `n`-th small panel in the eye's corner. */
export function drawPreview(graphics: Graphics, id: number, run: GuestRun, index: number, eye: Viewport, n: number, label: string | null): void {
  const gl = graphics.gl;
  const texture = graphics.textures.get(id);
  const views = run.shownViews;
  if (!texture || !views) return;
  const src = (views[index] ?? views[0])!.viewport;
  const width = Math.round(eye.width * PREVIEW_SCALE);
  const height = Math.max(1, Math.round((width * src.height) / Math.max(1, src.width)));
  const labelHeight = Math.max(1, Math.round((width * LABEL_PIXELS.height) / LABEL_PIXELS.width));
  const x = eye.x + eye.width - width - PREVIEW_MARGIN;
  const y = eye.y + PREVIEW_MARGIN + n * (height + labelHeight + PREVIEW_MARGIN);
  gl.viewport(x, y, width, height);
  graphics.passes.projection.draw(texture.texture, src, { width: texture.width, height: texture.height }, IDENTITY3, true);
  if (label === null) return;
  // Its progress and measured frame rate, just above it.
  gl.viewport(x, y + height, width, labelHeight);
  graphics.passes.projection.draw(graphics.previewLabels.texture(id, label), LABEL_SOURCE, LABEL_PIXELS, IDENTITY3, true);
}
