// Timewarp homography against hand-worked cases: identity, pure yaw, asymmetric frusta.
import { describe, expect, it } from 'vitest';
import { mat4, vec4 } from 'gl-matrix';
import { timewarpHomography, warpPoint } from '../../compositor/timewarp/homography';

const symmetric = mat4.perspective(mat4.create(), Math.PI / 2, 1, 0.1, 100); // tan(45°) = 1: P00 = P11 = 1
const asymmetric = mat4.frustum(mat4.create(), -0.12, 0.06, -0.08, 0.1, 0.1, 100);
const identity = mat4.create();

/** View (eye-from-world) matrix of a head at `position` turned `yaw` radians left about +Y. */
function view(yaw: number, position: [number, number, number] = [0, 0, 0]): mat4 {
  const pose = mat4.fromTranslation(mat4.create(), position);
  mat4.rotateY(pose, pose, yaw);
  return mat4.invert(mat4.create(), pose)!;
}

/** NDC of a world direction seen through projection `p` and view `v` (direction: w = 0). */
function ndcOf(p: mat4, v: mat4, direction: [number, number, number]): [number, number] {
  const eye = vec4.transformMat4(vec4.create(), [...direction, 0], v);
  const clip = vec4.transformMat4(vec4.create(), eye, p);
  return [clip[0] / clip[3], clip[1] / clip[3]];
}

const close = (a: [number, number], b: [number, number], eps = 1e-5) => {
  expect(Math.abs(a[0] - b[0])).toBeLessThan(eps);
  expect(Math.abs(a[1] - b[1])).toBeLessThan(eps);
};

describe('timewarp homography', () => {
  it('is the identity when nothing moved', () => {
    const h = timewarpHomography(symmetric, identity, symmetric, identity);
    for (const [x, y] of [[0, 0], [0.5, -0.3], [-1, 1]] as const) close(warpPoint(h, x, y), [x, y]);
  });

  it('pure yaw: after turning left by θ, what was straight ahead is at x = tan θ (90° frustum)', () => {
    const theta = 0.2;
    const h = timewarpHomography(symmetric, view(0), symmetric, view(theta));
    // The pixel of the current view at NDC (tan θ, 0) must sample the render view's centre.
    close(warpPoint(h, Math.tan(theta), 0), [0, 0]);
    // And the current centre samples the render view at x = −tan θ.
    close(warpPoint(h, 0, 0), [-Math.tan(theta), 0]);
  });

  it('ignores translation (rotation-only without depth)', () => {
    const a = timewarpHomography(symmetric, view(0.1, [0, 1.6, 0]), symmetric, view(0.3, [2, 1.6, -1]));
    const b = timewarpHomography(symmetric, view(0.1), symmetric, view(0.3));
    for (let i = 0; i < 9; i++) expect(a[i]!).toBeCloseTo(b[i]!, 6);
  });

  it('asymmetric frusta: every direction lands where the render view projected it', () => {
    const renderView = view(0.05);
    const currentView = view(-0.1);
    const h = timewarpHomography(asymmetric, renderView, symmetric, currentView);
    for (const d of [[0, 0, -1], [0.3, 0.2, -1], [-0.4, -0.25, -1], [0.1, -0.3, -0.8]] as [number, number, number][]) {
      const current = ndcOf(symmetric, currentView, d);
      close(warpPoint(h, current[0], current[1]), ndcOf(asymmetric, renderView, d));
    }
  });

  it('asymmetric frusta with no motion map the same direction between the two projections', () => {
    const h = timewarpHomography(asymmetric, identity, symmetric, identity);
    close(warpPoint(h, 0, 0), ndcOf(asymmetric, identity, [0, 0, -1]));
  });
});

describe('copy fast path', () => {
  it('takes an unmoved head (identity up to scale) as nothing to warp, and any turn as something', async () => {
    const { isIdentityWarp } = await import('../../compositor/gl/projection-pass');
    expect(isIdentityWarp(timewarpHomography(asymmetric, view(0.3), asymmetric, view(0.3)))).toBe(true);
    expect(isIdentityWarp([2, 0, 0, 0, 2, 0, 0, 0, 2])).toBe(true);
    expect(isIdentityWarp(timewarpHomography(asymmetric, view(0), asymmetric, view(0.001)))).toBe(false);
    expect(isIdentityWarp([0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe(false);
  });
});
