import { describe, expect, it } from 'vitest';
import { mat4, vec3, vec4 } from 'gl-matrix';
import { IPD, defaultPose, eyeFov, eyeViewMatrix, facing, look, projectionFromFov, walk, yawPitch } from '../../compositor/emulator/head-pose';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-5) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(eps);
};

describe('emulated head pose', () => {
  it('puts the eyes half an IPD either side of the head, at eye height', () => {
    const pose = defaultPose();
    const left = mat4.invert(mat4.create(), eyeViewMatrix(pose, 'left'))!;
    const right = mat4.invert(mat4.create(), eyeViewMatrix(pose, 'right'))!;
    close(mat4.getTranslation(vec3.create(), left), [-IPD / 2, 1.6, 0]);
    close(mat4.getTranslation(vec3.create(), right), [IPD / 2, 1.6, 0]);
  });

  it('turning left 90° makes a point on the left appear straight ahead', () => {
    const pose = defaultPose();
    yawPitch(Math.PI / 2, 0, pose.orientation);
    const view = eyeViewMatrix(pose, 'none');
    const p = vec4.transformMat4(vec4.create(), [-5, 1.6, 0, 1], view);
    close([p[0], p[1], p[2]], [0, 0, -5]);
  });

  it('walks forward along where it faces and strafes to its right', () => {
    const pose = defaultPose();
    walk(pose, 1, 0, 0);
    close(pose.position, [0, 1.6, -1]);
    yawPitch(Math.PI / 2, 0, pose.orientation); // now facing -X
    walk(pose, 1, 0, 0);
    close(pose.position, [-1, 1.6, -1]);
    walk(pose, 0, 1, 0); // right of -X is -Z
    close(pose.position, [-1, 1.6, -2]);
  });

  it('mouse-look turns about the vertical and tilts short of straight up or down, without rolling', () => {
    const pose = defaultPose();
    look(pose, 0.3, 0.2);
    expect(facing(pose).yaw).toBeCloseTo(0.3, 6);
    expect(facing(pose).pitch).toBeCloseTo(0.2, 6);
    look(pose, 0, 10);
    expect(facing(pose).pitch).toBeLessThan(Math.PI / 2);
    expect(facing(pose).pitch).toBeGreaterThan(1.5);
    look(pose, 0, -20);
    expect(facing(pose).pitch).toBeGreaterThan(-Math.PI / 2);
    // No roll: the head's right axis stays horizontal.
    const right = vec3.transformQuat(vec3.create(), [1, 0, 0], pose.orientation);
    expect(Math.abs(right[1])).toBeLessThan(1e-6);
  });

  it('gives each eye an asymmetric frustum, wider outward, that maps its edges to NDC ±1', () => {
    const fov = eyeFov('left', 1);
    expect(fov.left).toBeGreaterThan(fov.right);
    const mirrored = eyeFov('right', 1);
    expect(mirrored.right).toBeCloseTo(fov.left);
    const proj = projectionFromFov(fov, 0.1, 100);
    const edge = vec4.transformMat4(vec4.create(), [-fov.left * 2, fov.up * 2, -2, 1], proj);
    close([edge[0] / edge[3], edge[1] / edge[3]], [-1, 1]);
  });
});
