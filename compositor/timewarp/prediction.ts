// Head-pose prediction by velocity extrapolation. A guest is asked to render for where the head
// will be when its frame is shown (a frame or more from now); timewarp corrects what the
// prediction gets wrong. Pure: samples and times go in, poses come out; no clock here.
import { mat4, quat, vec3 } from 'gl-matrix';

export interface PoseSample {
  /** When the pose holds, ms (the compositor's pose clock). */
  t: number;
  position: vec3;
  orientation: quat;
}

/** Predictions further ahead than this are clamped: past it, extrapolation does more harm than good. */
export const MAX_PREDICTION_MS = 100;
/** Two samples further apart than this say nothing about the current velocity. */
const MAX_SAMPLE_GAP_MS = 100;

export interface HeadMotion {
  latest: PoseSample | null;
  /** Metres per ms. */
  linearVelocity: vec3;
  /** Unit axis (world frame) and radians per ms. */
  angularAxis: vec3;
  angularRate: number;
}

export function initialMotion(): HeadMotion {
  return { latest: null, linearVelocity: vec3.create(), angularAxis: vec3.fromValues(0, 1, 0), angularRate: 0 };
}

/** Folds in the pose of a new frame: the velocity is the change since the previous sample. */
export function recordPose(motion: HeadMotion, sample: PoseSample): HeadMotion {
  const prev = motion.latest;
  const next: HeadMotion = { ...initialMotion(), latest: clone(sample) };
  const dt = prev ? sample.t - prev.t : 0;
  if (!prev || !(dt > 0) || dt > MAX_SAMPLE_GAP_MS) return next;
  vec3.scale(next.linearVelocity, vec3.subtract(vec3.create(), sample.position, prev.position), 1 / dt);
  // The world-frame rotation that took the previous orientation to this one: q = d · q_prev.
  const delta = quat.multiply(quat.create(), sample.orientation, quat.invert(quat.create(), prev.orientation));
  const angle = quat.getAxisAngle(next.angularAxis, delta);
  // getAxisAngle gives 0..2π; the short way round is what the head did.
  const signed = angle > Math.PI ? angle - 2 * Math.PI : angle;
  next.angularRate = signed / dt;
  return next;
}

/** The head pose expected `aheadMs` after the latest sample (clamped to 0..MAX_PREDICTION_MS). */
export function predictPose(motion: HeadMotion, aheadMs: number): PoseSample | null {
  const latest = motion.latest;
  if (!latest) return null;
  const ahead = Math.max(0, Math.min(MAX_PREDICTION_MS, aheadMs));
  const position = vec3.scaleAndAdd(vec3.create(), latest.position, motion.linearVelocity, ahead);
  const turn = quat.setAxisAngle(quat.create(), motion.angularAxis, motion.angularRate * ahead);
  const orientation = quat.normalize(quat.create(), quat.multiply(quat.create(), turn, latest.orientation));
  return { t: latest.t + ahead, position, orientation };
}

/**
 * A view matrix moved with the head: the eye keeps its offset from the head. With H the
 * world-from-head matrix now and H' the predicted one, V' = V · H · H'⁻¹.
 */
export function movedViewMatrix(view: ArrayLike<number>, headNow: PoseSample, headThen: PoseSample, out: mat4 = mat4.create()): mat4 {
  const now = mat4.fromRotationTranslation(mat4.create(), headNow.orientation, headNow.position);
  const then = mat4.fromRotationTranslation(mat4.create(), headThen.orientation, headThen.position);
  const thenInverse = mat4.invert(mat4.create(), then) ?? mat4.create();
  mat4.multiply(out, view as mat4, now);
  return mat4.multiply(out, out, thenInverse);
}

/**
 * How many compositor frames from now a frame asked for now will be shown: the guest's usual
 * return latency rounded up to whole frames, at least the next frame.
 */
export function framesUntilShown(latencyMs: number, intervalMs: number, maxFrames = 6): number {
  if (!(latencyMs > 0) || !(intervalMs > 0)) return 1;
  return Math.max(1, Math.min(maxFrames, Math.ceil(latencyMs / intervalMs - 1e-6)));
}

function clone(sample: PoseSample): PoseSample {
  return { t: sample.t, position: vec3.clone(sample.position), orientation: quat.clone(sample.orientation) };
}
