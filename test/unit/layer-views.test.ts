// What each layer type asks its guest to render, and the matrices each is drawn with.
import { describe, expect, it } from 'vitest';
import { mat4, vec4 } from 'gl-matrix';
import { renderSize, requestViews, widenProjection } from '../../compositor/timewarp/request-views';
import { cylinderFromClip, depthReprojection, projectionWarp, quadClipFromPanel } from '../../compositor/timewarp/layer-matrices';
import { warpPoint } from '../../compositor/timewarp/homography';
import { checkMotion, sampleMotion } from '../../compositor/emulator/motion';
import { defaultPose } from '../../compositor/emulator/head-pose';
import { parseLayerDeclaration, surfaceSize, type LayerDeclaration, type WireView } from '../../shared/protocol';

const asymmetric = mat4.frustum(mat4.create(), -0.12, 0.06, -0.08, 0.1, 0.1, 100);
const view = (eye: WireView['eye'], viewMatrix: mat4 = mat4.create()): WireView => ({
  eye,
  projectionMatrix: new Float32Array(asymmetric),
  viewMatrix: new Float32Array(viewMatrix),
  viewport: { x: 0, y: 0, width: 0, height: 0 },
});
const ndc = (p: ArrayLike<number>, point: [number, number, number, number]) => {
  const c = vec4.transformMat4(vec4.create(), point, p as mat4);
  return [c[0] / c[3], c[1] / c[3], c[2] / c[3]];
};

describe('overscan', () => {
  it('widens each side by the given share of the extent, keeping asymmetric frusta centred', () => {
    const wide = widenProjection(asymmetric, 0.1);
    // The old right edge (x = 0.06 at z = -0.1) is now inside by 10 % of the width on each side.
    const [x] = ndc(wide, [0.06, 0, -0.1, 1]);
    expect(x).toBeCloseTo(1 / 1.2, 6);
    const [xl] = ndc(wide, [-0.12, 0, -0.1, 1]);
    expect(xl).toBeCloseTo(-1 / 1.2, 6);
    // Depth is untouched.
    expect(ndc(wide, [0, 0, -5, 1])[2]).toBeCloseTo(ndc(asymmetric, [0, 0, -5, 1])[2]!, 6);
  });

  it('is undone by the projection warp even with timewarp off: the picture keeps its place', () => {
    const current = view('left');
    const rendered = { ...current, projectionMatrix: widenProjection(asymmetric, 0.2) };
    const h = projectionWarp(rendered, current, false);
    // The current view's right edge samples the rendered view at 1 / 1.4.
    expect(warpPoint(h, 1, 0)[0]).toBeCloseTo(1 / 1.4, 6);
  });
});

describe('request views per layer type', () => {
  const surface = { width: 200, height: 100 };
  it('projection: eyes side by side; a depth layer gets colour on top and depth below', () => {
    const plain = requestViews({ type: 'projection' }, [view('left'), view('right')], surface);
    expect(plain.map((v) => v.viewport)).toEqual([{ x: 0, y: 0, width: 100, height: 100 }, { x: 100, y: 0, width: 100, height: 100 }]);
    expect(plain[0]!.depthViewport).toBeUndefined();
    const depth = requestViews({ type: 'projection', depth: true }, [view('left'), view('right')], surface);
    expect(depth[1]!.viewport).toEqual({ x: 100, y: 100, width: 100, height: 100 });
    expect(depth[1]!.depthViewport).toEqual({ x: 100, y: 0, width: 100, height: 100 });
    expect(surfaceSize({ type: 'projection', depth: true }, surface)).toEqual({ width: 200, height: 200 });
  });

  it('quad and cylinder: one mono view over the whole surface', () => {
    const [only, ...rest] = requestViews({ type: 'quad', position: [0, 0, -1], width: 1, height: 1 }, [view('left'), view('right')], surface);
    expect(rest).toEqual([]);
    expect(only!.eye).toBe('none');
    expect(only!.viewport).toEqual({ x: 0, y: 0, width: 200, height: 100 });
    const own: LayerDeclaration = { type: 'cylinder', position: [0, 0, 0], radius: 1, centralAngle: 1, height: 1, surface: { width: 64, height: 32 } };
    expect(requestViews(own, [view('left')], surface)[0]!.viewport).toEqual({ x: 0, y: 0, width: 64, height: 32 });
    expect(surfaceSize(own, surface)).toEqual({ width: 64, height: 32 });
  });

  it('at a scale: smaller viewports on a smaller bitmap, depth below colour, never under 16 px a side', () => {
    const big = { width: 1024, height: 512 };
    const half = requestViews({ type: 'projection', depth: true }, [view('left'), view('right')], big, 0.5);
    expect(half.map((v) => v.viewport)).toEqual([{ x: 0, y: 256, width: 256, height: 256 }, { x: 256, y: 256, width: 256, height: 256 }]);
    expect(half[1]!.depthViewport).toEqual({ x: 256, y: 0, width: 256, height: 256 });
    expect(renderSize({ type: 'projection', depth: true }, big, 0.5)).toEqual({ width: 512, height: 512 });
    expect(renderSize({ type: 'projection' }, big, 0.125)).toEqual({ width: 128, height: 64 });
    const own: LayerDeclaration = { type: 'quad', position: [0, 0, -1], width: 1, height: 1, surface: { width: 64, height: 32 } };
    expect(renderSize(own, big, 0.125)).toEqual({ width: 16, height: 16 });
    expect(requestViews(own, [view('left')], big, 0.125)[0]!.viewport).toEqual({ x: 0, y: 0, width: 16, height: 16 });
    expect(renderSize(own, big, 1)).toEqual(surfaceSize(own, big));
  });
});

describe('layer matrices', () => {
  it('a quad panel’s corners land where the current view projects them', () => {
    const current = view('none', mat4.invert(mat4.create(), mat4.fromTranslation(mat4.create(), [0, 1.6, 0]))!);
    const clipFromPanel = quadClipFromPanel({ type: 'quad', position: [0.2, 1.7, -2], width: 0.8, height: 0.4 }, current);
    const corner = ndc(clipFromPanel, [0.5, 0.5, 0, 1]);
    const expected = ndc(mat4.multiply(mat4.create(), asymmetric, current.viewMatrix as mat4), [0.6, 1.9, -2, 1]);
    for (let i = 0; i < 3; i++) expect(corner[i]).toBeCloseTo(expected[i]!, 5);
  });

  it('a cylinder’s space from clip inverts its placement', () => {
    const current = view('none');
    const m = cylinderFromClip({ type: 'cylinder', position: [1, 2, 3], radius: 2, centralAngle: 1, height: 1 }, current)!;
    const clipOfCentre = vec4.transformMat4(vec4.create(), [1, 2, 3 - 2, 1], mat4.multiply(mat4.create(), asymmetric, current.viewMatrix as mat4));
    const back = vec4.transformMat4(vec4.create(), clipOfCentre, m);
    expect([back[0] / back[3], back[1] / back[3], back[2] / back[3]].map((v) => +v.toFixed(4))).toEqual([0, 0, -2]);
  });

  it('depth reprojection maps a rendered point to where the moved view sees it', () => {
    const rendered = view('left');
    const moved = mat4.invert(mat4.create(), mat4.fromTranslation(mat4.create(), [0.1, 0, 0]))!;
    const current = view('left', moved);
    const point: [number, number, number, number] = [0.03, -0.02, -2, 1];
    const renderedNdc = ndc(rendered.projectionMatrix, point);
    const m = depthReprojection(rendered, current)!;
    const got = ndc(m, [renderedNdc[0]!, renderedNdc[1]!, renderedNdc[2]!, 1]);
    const expected = ndc(mat4.multiply(mat4.create(), asymmetric, moved), point);
    for (let i = 0; i < 3; i++) expect(got[i]).toBeCloseTo(expected[i]!, 4);
  });
});

describe('layer declarations', () => {
  it('default to projection, accept quads and cylinders, and say what is wrong', () => {
    expect(parseLayerDeclaration(undefined)).toEqual({ ok: true, value: { type: 'projection' } });
    expect(parseLayerDeclaration({ type: 'quad', position: [0, 1, -2], width: 1, height: 0.5 }).ok).toBe(true);
    const bad = parseLayerDeclaration({ type: 'quad', position: [0, 1], width: 1, height: 0.5 });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/position/);
    expect(parseLayerDeclaration({ type: 'quad', position: [0, 1, 2], orientation: [0, 0, 0, 2], width: 1, height: 1 }).ok).toBe(false);
    expect(parseLayerDeclaration({ type: 'projection', overscan: 0.9 }).ok).toBe(false);
    expect(parseLayerDeclaration({ type: 'sphere' }).ok).toBe(false);
  });
});

describe('scripted head motion', () => {
  const turn = [
    { t: 0, position: [0, 1.6, 0] as [number, number, number], orientation: [0, 0, 0, 1] as [number, number, number, number] },
    { t: 100, position: [1, 1.6, 0] as [number, number, number], orientation: [0, Math.sin(0.5), 0, Math.cos(0.5)] as [number, number, number, number] },
  ];
  it('interpolates position linearly and orientation by slerp, holding the ends', () => {
    const pose = defaultPose();
    sampleMotion({ keyframes: turn, loop: false }, 50, pose);
    expect(pose.position[0]).toBeCloseTo(0.5, 6);
    expect(pose.orientation[1]).toBeCloseTo(Math.sin(0.25), 6);
    sampleMotion({ keyframes: turn, loop: false }, 500, pose);
    expect(pose.position[0]).toBeCloseTo(1, 6);
    sampleMotion({ keyframes: turn, loop: true }, 125, pose);
    expect(pose.position[0]).toBeCloseTo(0.25, 6);
  });
  it('rejects keyframes it cannot play, saying which', () => {
    expect(checkMotion(turn)).toBeNull();
    expect(checkMotion([])).toMatch(/non-empty/);
    expect(checkMotion([turn[1], turn[0]])).toMatch(/keyframe 1/);
    expect(checkMotion([{ ...turn[0], orientation: [0, 0, 0, 3] }])).toMatch(/keyframe 0/);
  });
});
