// The emulated controller: its hand, and its aim at what the mouse is over (pure; hand-worked cases).
import { describe, expect, it } from 'vitest';
import { mat4, quat, vec3, vec4 } from 'gl-matrix';
import { emulatedHand } from '../../compositor/emulator/hand';
import { aimController } from '../../compositor/emulator/controller';
import { aimFromHand } from '../../compositor/emulator/aim';
import { BEAM_REACH } from '../../compositor/pointer/beam';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, digits = 6) => [0, 1, 2].forEach((i) => expect(a[i]).toBeCloseTo(b[i]!, digits));

/** A view matrix (eye from world) for an eye at `position`, yawed `yawDeg` to the left. */
const viewAt = (position: [number, number, number], yawDeg = 0) => {
  const worldFromEye = mat4.fromRotationTranslation(mat4.create(), quat.setAxisAngle(quat.create(), [0, 1, 0], (yawDeg * Math.PI) / 180), position);
  return mat4.invert(mat4.create(), worldFromEye) as Float32Array;
};

/** The controller's position and where its target ray (−z) points. */
const rayOf = (m: mat4) => {
  const d = vec4.transformMat4(vec4.create(), [0, 0, -1, 0], m);
  return { origin: vec3.fromValues(m[12], m[13], m[14]), direction: vec3.normalize(vec3.create(), [d[0], d[1], d[2]]) };
};

describe('emulated hand', () => {
  it('is low and to the right of the head between the eyes, and turns with it', () => {
    close(emulatedHand([{ viewMatrix: viewAt([-0.032, 1.6, 0]) }, { viewMatrix: viewAt([0.032, 1.6, 0]) }])!, [0.18, 1.35, -0.3]);
    // Yawed 90° left (facing −x): right is −z, ahead is −x.
    close(emulatedHand([{ viewMatrix: viewAt([0, 1.6, -0.032], 90) }, { viewMatrix: viewAt([0, 1.6, 0.032], 90) }])!, [-0.3, 1.35, -0.18]);
  });
});

describe('emulated controller aim', () => {
  it('puts the controller at the hand, its target ray through the target', () => {
    const hand = vec3.fromValues(0.18, 1.35, -0.3);
    const target = vec3.fromValues(-0.5, 2, -3);
    const { origin, direction } = rayOf(aimFromHand(hand, target)!);
    close(origin, hand);
    close(direction, vec3.normalize(vec3.create(), vec3.sub(vec3.create(), target, hand)));
    // Straight up works too; a target at the hand gives no aim.
    close(rayOf(aimFromHand(hand, vec3.fromValues(0.18, 3, -0.3))!).direction, [0, 1, 0]);
    expect(aimFromHand(hand, hand)).toBeNull();
  });

  // One full-window eye at the head, 90° square field of view, 200 × 200 pixels.
  const eyes = [{ viewMatrix: viewAt([0, 1.6, 0]), projectionMatrix: mat4.perspective(mat4.create(), Math.PI / 2, 1, 0.1, 100) as Float32Array, viewport: { x: 0, y: 0, width: 200, height: 200 } }];
  const hand = [0.18, 1.35, -0.3] as const;

  it('aims from the hand at what the eye’s ray through the mouse meets', () => {
    // The mouse at the view's centre (captured), a wall 2 m ahead: aimed at (0, 1.6, −2).
    const wall = (ray: { origin: ArrayLike<number>; direction: ArrayLike<number> }) => (-2 - ray.origin[2]!) / ray.direction[2]!;
    const centre = rayOf(aimController(eyes, null, wall)!);
    close(centre.origin, hand);
    close(centre.direction, vec3.normalize(vec3.create(), vec3.sub(vec3.create(), [0, 1.6, -2], hand)));
    // The mouse half-way to the right edge (x = 150 of 200: tan = 0.5), meeting nothing: BEAM_REACH along that ray.
    let asked: { origin: vec3; direction: vec3 } | null = null;
    const right = rayOf(aimController(eyes, [150, 100], (ray) => ((asked = { origin: vec3.clone(ray.origin as vec3), direction: vec3.clone(ray.direction as vec3) }), null))!);
    close(asked!.direction, vec3.normalize(vec3.create(), [0.5, 0, -1]));
    const target = vec3.scaleAndAdd(vec3.create(), asked!.origin, asked!.direction, BEAM_REACH);
    close(right.direction, vec3.normalize(vec3.create(), vec3.sub(vec3.create(), target, hand)));
  });
});
