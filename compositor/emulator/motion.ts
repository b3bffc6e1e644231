// Scripted head motion for the emulator: keyframes of pose over time, played back by the device
// at each frame's time, so tests, benchmarks and demos move the head exactly the same way every
// run. Between keyframes, position is interpolated linearly and orientation by slerp (the short
// way: keep consecutive orientations under 180° apart). Pure.
import { quat, vec3 } from 'gl-matrix';
import type { HeadPose } from './head-pose';

export interface Keyframe {
  /** ms from the start of the motion. */
  t: number;
  position: [number, number, number];
  /** Unit quaternion [x, y, z, w]. */
  orientation: [number, number, number, number];
}

export interface Motion {
  keyframes: Keyframe[];
  loop: boolean;
}

/** Checks a motion given through the API; returns a reason when it is unusable. */
export function checkMotion(keyframes: unknown): string | null {
  if (!Array.isArray(keyframes) || keyframes.length === 0) return 'expected a non-empty array of keyframes';
  let last = -Infinity;
  for (const [i, k] of keyframes.entries()) {
    const ok =
      k !== null && typeof k === 'object' &&
      Number.isFinite(k.t) && k.t >= last &&
      Array.isArray(k.position) && k.position.length === 3 && k.position.every(Number.isFinite) &&
      Array.isArray(k.orientation) && k.orientation.length === 4 && k.orientation.every(Number.isFinite) &&
      Math.abs(Math.hypot(...(k.orientation as number[])) - 1) < 1e-3;
    if (!ok) return `keyframe ${i} must be { t (ms, not decreasing), position [x, y, z], orientation [x, y, z, w] (unit) }`;
    last = k.t;
  }
  return null;
}

/** Sets `pose` to where the motion puts the head `elapsed` ms after it started. */
export function sampleMotion(motion: Motion, elapsed: number, pose: HeadPose): void {
  const frames = motion.keyframes;
  const first = frames[0]!;
  const last = frames[frames.length - 1]!;
  const duration = last.t - first.t;
  let t = first.t + elapsed;
  if (motion.loop && duration > 0) t = first.t + (((elapsed % duration) + duration) % duration);
  if (t <= first.t || frames.length === 1) return setTo(pose, first);
  if (t >= last.t) return setTo(pose, last);
  let i = 1;
  while (frames[i]!.t < t) i += 1;
  const a = frames[i - 1]!;
  const b = frames[i]!;
  const f = b.t > a.t ? (t - a.t) / (b.t - a.t) : 1;
  vec3.lerp(pose.position, a.position, b.position, f);
  quat.slerp(pose.orientation, quat.normalize(quat.create(), a.orientation), quat.normalize(quat.create(), b.orientation), f);
}

function setTo(pose: HeadPose, k: Keyframe): void {
  vec3.copy(pose.position, k.position);
  quat.normalize(pose.orientation, k.orientation);
}
