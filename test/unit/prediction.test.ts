// Pose prediction (velocity extrapolation) and the view matrices moved with the head, with injected times.
import { describe, expect, it } from 'vitest';
import { mat4, quat, vec3, vec4 } from 'gl-matrix';
import { MAX_PREDICTION_MS, framesUntilShown, initialMotion, movedViewMatrix, predictPose, recordPose, type PoseSample } from '../../compositor/timewarp/prediction';

const sample = (t: number, yaw: number, x = 0): PoseSample => ({
  t,
  position: vec3.fromValues(x, 1.6, 0),
  orientation: quat.setAxisAngle(quat.create(), [0, 1, 0], yaw),
});
const yawOf = (q: quat) => {
  const f = vec3.transformQuat(vec3.create(), [0, 0, -1], q);
  return Math.atan2(-f[0], -f[2]);
};

describe('pose prediction', () => {
  it('predicts nothing before a pose, and stands still after one', () => {
    expect(predictPose(initialMotion(), 16)).toBeNull();
    const motion = recordPose(initialMotion(), sample(0, 0.3));
    expect(yawOf(predictPose(motion, 50)!.orientation)).toBeCloseTo(0.3, 6);
  });

  it('extrapolates a steady 200°/s turn and a steady walk exactly', () => {
    const rate = (200 * Math.PI) / 180 / 1000; // rad per ms
    let motion = initialMotion();
    for (let i = 0; i < 3; i++) motion = recordPose(motion, sample(i * 16.667, rate * i * 16.667, 0.001 * i * 16.667));
    const latest = 2 * 16.667;
    const predicted = predictPose(motion, 33.333)!;
    expect(predicted.t).toBeCloseTo(latest + 33.333, 6);
    expect(yawOf(predicted.orientation)).toBeCloseTo(rate * (latest + 33.333), 5);
    expect(predicted.position[0]).toBeCloseTo(0.001 * (latest + 33.333), 6);
  });

  it('turns the short way across ±180°', () => {
    let motion = recordPose(initialMotion(), sample(0, Math.PI - 0.05));
    motion = recordPose(motion, sample(10, -Math.PI + 0.05)); // +0.1 rad, through 180°
    expect(yawOf(predictPose(motion, 10)!.orientation)).toBeCloseTo(-Math.PI + 0.15, 5);
  });

  it('clamps how far ahead it predicts, and forgets velocity across a long gap', () => {
    let motion = recordPose(initialMotion(), sample(0, 0));
    motion = recordPose(motion, sample(10, 0.01));
    expect(predictPose(motion, 10_000)!.t).toBe(10 + MAX_PREDICTION_MS);
    motion = recordPose(motion, sample(500, 0.2)); // 490 ms later: no velocity from that
    expect(yawOf(predictPose(motion, 50)!.orientation)).toBeCloseTo(0.2, 6);
  });

  it('moves a view matrix with the head: the eye keeps its offset', () => {
    const now = sample(0, 0);
    const then = sample(0, Math.PI / 2, 1);
    // Left eye, 3 cm left of the head.
    const eyeNow = mat4.fromTranslation(mat4.create(), [-0.03, 1.6, 0]);
    const view = mat4.invert(mat4.create(), eyeNow)!;
    const moved = movedViewMatrix(view, now, then);
    const eyeThen = mat4.invert(mat4.create(), moved)!;
    // Turned 90° left, the head's left is +Z: the eye is at head + (0, 0, 0.03).
    const at = vec4.transformMat4(vec4.create(), [0, 0, 0, 1], eyeThen);
    expect([at[0], at[1], at[2]].map((v) => +v.toFixed(6))).toEqual([1, 1.6, 0.03]);
  });

  it('counts the frames until a frame asked for now is shown', () => {
    expect(framesUntilShown(0, 16.7)).toBe(1);
    expect(framesUntilShown(10, 16.7)).toBe(1);
    expect(framesUntilShown(16.7, 16.7)).toBe(1);
    expect(framesUntilShown(20, 16.7)).toBe(2);
    expect(framesUntilShown(1000, 16.7)).toBe(6);
  });
});
