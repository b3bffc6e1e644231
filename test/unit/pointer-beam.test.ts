// The controller's look: beam and cursor geometry (pure; hand-worked cases).
import { describe, expect, it } from 'vitest';
import { mat4, quat, vec3, vec4 } from 'gl-matrix';
import { BEAM_REACH, BEAM_WIDTH, CURSOR_ANGLE, beamFromUnit, cursorFromUnit, eyePosition, nearestHit, pointerVisual } from '../../compositor/pointer/beam';

const at = (m: mat4, x: number, y: number) => {
  const p = vec4.transformMat4(vec4.create(), [x, y, 0, 1], m);
  return vec3.fromValues(p[0], p[1], p[2]);
};
const close = (a: ArrayLike<number>, b: ArrayLike<number>) => [0, 1, 2].forEach((i) => expect(a[i]).toBeCloseTo(b[i]!, 6));

/** A view matrix (eye from world) for an eye at `position`, yawed `yawDeg` to the left. */
const viewAt = (position: [number, number, number], yawDeg = 0) => {
  const worldFromEye = mat4.fromRotationTranslation(mat4.create(), quat.setAxisAngle(quat.create(), [0, 1, 0], (yawDeg * Math.PI) / 180), position);
  return mat4.invert(mat4.create(), worldFromEye) as Float32Array;
};

describe('pointer visual', () => {
  const ray = { origin: vec3.fromValues(0, 1, 0), direction: vec3.fromValues(0, 0, -1), pressed: true, beamFrom: vec3.fromValues(0.2, 0.8, 0) };
  it('ends where the ray meets a panel, or at the beam’s reach when it meets none', () => {
    const hit = pointerVisual(ray, 1.5);
    close(hit.to, [0, 1, -1.5]);
    expect(hit.hit).toBe(true);
    expect(hit.pressed).toBe(true);
    expect(hit.from).toBe(ray.beamFrom);
    const miss = pointerVisual(ray, null);
    close(miss.to, [0, 1, -BEAM_REACH]);
    expect(miss.hit).toBe(false);
  });
  it('takes the nearest hit', () => {
    expect(nearestHit(null, 2, 1.2, null)).toBe(1.2);
    expect(nearestHit(null, null)).toBeNull();
  });
});

describe('beam', () => {
  it('runs from the controller to the end, its width across both the beam and the line to the eye', () => {
    const from = vec3.fromValues(0.2, 1.3, -0.3);
    const to = vec3.fromValues(0, 1.6, -2);
    const eye = vec3.fromValues(0, 1.6, 0);
    const m = beamFromUnit(from, to, eye)!;
    close(at(m, -0.5, 0), from);
    close(at(m, 0.5, 0), to);
    const side = vec3.sub(vec3.create(), at(m, 0, 0.5), at(m, 0, -0.5));
    expect(vec3.length(side)).toBeCloseTo(BEAM_WIDTH, 6);
    const mid = at(m, 0, 0);
    expect(vec3.dot(side, vec3.sub(vec3.create(), to, from))).toBeCloseTo(0, 6);
    expect(vec3.dot(side, vec3.sub(vec3.create(), eye, mid))).toBeCloseTo(0, 6);
  });
  it('is not drawn end-on or with no length', () => {
    expect(beamFromUnit(vec3.fromValues(0, 0, -1), vec3.fromValues(0, 0, -2), vec3.fromValues(0, 0, 0))).toBeNull();
    expect(beamFromUnit(vec3.fromValues(0, 0, -1), vec3.fromValues(0, 0, -1), vec3.fromValues(1, 0, 0))).toBeNull();
  });
});

describe('cursor', () => {
  it('is a disc at the hit, facing the eye, CURSOR_ANGLE × its distance in radius', () => {
    const hit = vec3.fromValues(1, 1.6, -2);
    const eye = vec3.fromValues(0, 1.6, 0);
    const m = cursorFromUnit(hit, eye)!;
    close(at(m, 0, 0), hit);
    const distance = vec3.distance(hit, eye);
    for (const [x, y] of [[0.5, 0], [0, 0.5], [-0.5, 0]] as const) {
      const edge = vec3.sub(vec3.create(), at(m, x, y), hit);
      expect(vec3.length(edge)).toBeCloseTo(CURSOR_ANGLE * distance, 6);
      expect(vec3.dot(edge, vec3.sub(vec3.create(), eye, hit))).toBeCloseTo(0, 6);
    }
    // Looking straight down at it still gives a disc.
    expect(cursorFromUnit(vec3.fromValues(0, 0, 0), vec3.fromValues(0, 2, 0))).not.toBeNull();
  });
  it('finds the eye from its view matrix', () => {
    close(eyePosition(viewAt([0.03, 1.6, 0.5], 30)), [0.03, 1.6, 0.5]);
  });
});
