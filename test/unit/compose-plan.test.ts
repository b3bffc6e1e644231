// Compositing at the layers' own resolution: which layers go through the layer buffer, at what
// scale, and each layer type's footprint (density and area) in an eye.
import { describe, expect, it } from 'vitest';
import { mat4 } from 'gl-matrix';
import { COMPOSE_GAIN, composePlan, MIN_COMPOSE_SCALE, type LayerFootprint } from '../../compositor/policy/compose-scale';
import { layerFootprint } from '../../compositor/timewarp/layer-footprint';
import { scaledViewport } from '../../compositor/gl/layer-buffer';
import type { WireView } from '../../shared/protocol';

/** A projection layer rendered at 1/8 of a 1024×512 surface, seen in a 224×252 eye (output ×0.35 of a 1280×720 page). */
const coarse: LayerFootprint = { density: 64 / 224, area: 1 };
/** The info panel's texture against its few output pixels: nearly as fine as the output, a small part of the eye. */
const panel: LayerFootprint = { density: 0.9, area: 0.05 };

describe('compose plan', () => {
  it('draws one layer straight: a buffer and its resolve cost more than the layer', () => {
    expect(composePlan([coarse], true)).toEqual([{ start: 0, end: 1, scale: 1 }]);
  });

  it('puts coarse layers through the buffer at the next step above their density', () => {
    const plan = composePlan([coarse, coarse, coarse, coarse], true);
    expect(plan).toEqual([{ start: 0, end: 4, scale: 5 / 16 }]);
  });

  it('draws layers as fine as the output straight', () => {
    expect(composePlan([{ density: 1, area: 1 }, { density: 0.98, area: 1 }, coarse], true)).toEqual([{ start: 0, end: 3, scale: 1 }]);
  });

  it('draws a panel finer than the rest straight, between buffered runs, keeping their order', () => {
    const plan = composePlan([coarse, coarse, coarse, panel, coarse, coarse, coarse], true);
    expect(plan).toEqual([
      { start: 0, end: 3, scale: 5 / 16 },
      { start: 3, end: 4, scale: 1 },
      { start: 4, end: 7, scale: 5 / 16 },
    ]);
  });

  it('covers every layer once, in order, whatever the footprints', () => {
    const densities = [0.1, 0.9, 0.3, 0.05, 1.4, 0.2, 0.2, 0.6, 0.12];
    for (let n = 0; n <= densities.length; n++) {
      const layers = densities.slice(0, n).map((density, i) => ({ density, area: i % 3 === 1 ? 0.1 : 1 }));
      const plan = composePlan(layers, true);
      let next = 0;
      for (const segment of plan) {
        expect(segment.start).toBe(next);
        expect(segment.end).toBeGreaterThan(segment.start);
        expect(segment.scale).toBeGreaterThanOrEqual(MIN_COMPOSE_SCALE);
        expect(segment.scale).toBeLessThanOrEqual(1);
        // No buffered layer loses resolution: the buffer is at least as fine as each of its layers.
        if (segment.scale < 1) for (const layer of layers.slice(segment.start, segment.end)) expect(segment.scale).toBeGreaterThanOrEqual(layer.density);
        next = segment.end;
      }
      expect(next).toBe(n);
    }
  });

  it('uses the buffer only when it saves a clear share of the pixels', () => {
    // Two layers at half the output's density: 2 × 1/4 + a quarter-size clear + a full resolve is
    // 1.75 of 2 layers' pixels, over COMPOSE_GAIN.
    const half = { density: 0.5, area: 1 };
    expect(1.75 / 2).toBeGreaterThan(COMPOSE_GAIN);
    // The default demos at output ×0.5: cubes and particles buffered, the panel and grab straight.
    const demos = [coarse, coarse, panel, coarse].map((l) => (l === panel ? l : { ...l, density: 64 / 320 }));
    expect(composePlan(demos, true)).toEqual([
      { start: 0, end: 2, scale: 0.25 },
      { start: 2, end: 4, scale: 1 },
    ]);
    expect(composePlan([half, half], true)).toEqual([{ start: 0, end: 2, scale: 1 }]);
    // Eight such layers: 9 × 1/4 + 1 = 3.25 of 8.
    expect(composePlan(Array.from({ length: 8 }, () => half), true)).toEqual([{ start: 0, end: 8, scale: 0.5 }]);
  });

  it('keeps the buffer it uses a little past the line, so the picture does not flip every frame', () => {
    // 3 layers at 0.6 (a buffer at 10/16): 3 × 0.39 + a clear of 0.39 + 1 = 2.56 of 3 layers' pixels, 0.854.
    const near = Array.from({ length: 3 }, () => ({ density: 0.6, area: 1 }));
    expect(composePlan(near, true, false)).toEqual([{ start: 0, end: 3, scale: 1 }]);
    expect(composePlan(near, true, true)).toEqual([{ start: 0, end: 3, scale: 10 / 16 }]);
  });

  it('draws straight when told not to adapt, or when a footprint is unreadable', () => {
    expect(composePlan([coarse, coarse, coarse], false)).toEqual([{ start: 0, end: 3, scale: 1 }]);
    expect(composePlan([coarse, { density: NaN, area: 1 }, coarse], true)).toEqual([{ start: 0, end: 3, scale: 1 }]);
    expect(composePlan([], true)).toEqual([]);
  });
});

/** A 90°-wide square eye at the origin looking down -z, with the given yaw. */
function eye(yaw = 0): WireView {
  const projection = mat4.perspective(mat4.create(), Math.PI / 2, 1, 0.1, 100) as Float32Array;
  const viewMatrix = mat4.fromYRotation(mat4.create(), -yaw) as Float32Array;
  return { eye: 'left', projectionMatrix: projection, viewMatrix, viewport: { x: 0, y: 0, width: 0, height: 0 } };
}

describe('layer footprint', () => {
  const target = { x: 0, y: 0, width: 200, height: 200 };

  it('a projection layer: its rendered view against the eye, widened by its overscan', () => {
    const rendered = { ...eye(), viewport: { x: 0, y: 0, width: 50, height: 40 } };
    expect(layerFootprint({ type: 'projection' }, rendered, { width: 100, height: 40 }, eye(), target)).toEqual({ density: 0.25, area: 1 });
    const wide = layerFootprint({ type: 'projection', overscan: 0.25 }, rendered, { width: 100, height: 40 }, eye(), target);
    expect(wide.density).toBeCloseTo(50 / 1.5 / 200);
  });

  it('a quad: its texels against the pixels it covers, and the share of the eye it covers', () => {
    // 1 m × 1 m, 2 m ahead: it spans NDC −0.25..0.25 in a 90° eye, 50 pixels of 200.
    const quad = { type: 'quad' as const, position: [0, 0, -2] as [number, number, number], width: 1, height: 1 };
    const f = layerFootprint(quad, undefined, { width: 100, height: 25 }, eye(), target);
    expect(f.density).toBeCloseTo(2);
    expect(f.area).toBeCloseTo(0.0625);
    // Half of it turned out of view: the same density, half the area.
    const turned = layerFootprint(quad, undefined, { width: 100, height: 25 }, eye(Math.atan(0.5) + Math.PI / 4), target);
    expect(turned.area).toBeLessThan(0.04);
  });

  it('a quad rolled or seen at an angle counts its finest part', () => {
    const ahead = { type: 'quad' as const, position: [0, 0, -2] as [number, number, number], width: 1, height: 1 };
    // Rolled 45° about the view axis: its edges are as long on screen as before.
    const s = Math.sin(Math.PI / 8);
    const rolled = layerFootprint({ ...ahead, orientation: [0, 0, s, Math.cos(Math.PI / 8)] }, undefined, { width: 100, height: 100 }, eye(), target);
    expect(rolled.density).toBeCloseTo(2);
    // Pitched back 60° (a floor-like panel): its far edge is shorter than its near one, and its height far shorter.
    const t = Math.sin(-Math.PI / 6);
    const pitched = layerFootprint({ ...ahead, orientation: [t, 0, 0, Math.cos(-Math.PI / 6)] }, undefined, { width: 100, height: 100 }, eye(), target);
    expect(pitched.density).toBeGreaterThan(3);
  });

  it('a quad reaching behind the eye cannot be measured: as fine as the output, the whole eye', () => {
    const beside = { type: 'quad' as const, position: [0, 0, 0] as [number, number, number], width: 1, height: 1 };
    expect(layerFootprint(beside, undefined, { width: 8, height: 8 }, eye(), target)).toEqual({ density: 1, area: 1 });
  });

  it('a cylinder: its arc against the eye\'s pixels per radian at its centre', () => {
    const cylinder = { type: 'cylinder' as const, position: [0, 0, 0] as [number, number, number], radius: 1, centralAngle: Math.PI / 4, height: 2 * Math.tan(Math.PI / 8) };
    // From its axis, 45° each way; a 90° eye of 200 pixels has 100 pixels per radian at its centre.
    const f = layerFootprint(cylinder, undefined, { width: 50, height: 10 }, eye(), target);
    expect(f.density).toBeCloseTo(50 / ((Math.PI / 4) * 100));
    expect(f.area).toBe(1);
    // Seen from outside its wall: cannot be told.
    const outside = { ...eye(), viewMatrix: mat4.fromTranslation(mat4.create(), [0, 0, -3]) as Float32Array };
    expect(layerFootprint(cylinder, undefined, { width: 50, height: 10 }, outside, target)).toEqual({ density: 1, area: 1 });
  });

  it('scales viewports so neighbouring eyes never overlap', () => {
    const left = scaledViewport({ x: 0, y: 0, width: 224, height: 252 }, 5 / 16);
    const right = scaledViewport({ x: 224, y: 0, width: 224, height: 252 }, 5 / 16);
    expect(left.x + left.width).toBe(right.x);
    expect(left.width).toBe(70);
  });
});
