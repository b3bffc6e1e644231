// The emulated head: a pose (position and orientation) and the pure maths that turns it into
// the matrices a WebXR device reports. No DOM here, so it is unit-tested directly.
import { mat4, quat, vec3 } from 'gl-matrix';

export interface HeadPose {
  /** Metres, in the local-floor space (y up, -z ahead at start). */
  position: vec3;
  /** World-from-head rotation, a unit quaternion. */
  orientation: quat;
}

export const EYE_HEIGHT = 1.6;
export const IPD = 0.063;
const PITCH_LIMIT = (89 * Math.PI) / 180;

/** Per-eye field of view as tangents of the half-angles (asymmetric, outward wider, like real HMDs). */
export interface Fov { left: number; right: number; up: number; down: number }

export function defaultPose(): HeadPose {
  return { position: vec3.fromValues(0, EYE_HEIGHT, 0), orientation: quat.create() };
}

/** An orientation from yaw (about +Y, turning left positive) then pitch (about the head's +X, up positive). */
export function yawPitch(yaw: number, pitch: number, out: quat = quat.create()): quat {
  quat.identity(out);
  quat.rotateY(out, out, yaw);
  return quat.rotateX(out, out, pitch);
}

/** Where the head faces: yaw about +Y (0 facing -Z) and pitch above the horizon, radians. */
export function facing(pose: HeadPose): { yaw: number; pitch: number } {
  const f = vec3.transformQuat(vec3.create(), [0, 0, -1], pose.orientation);
  return { yaw: Math.atan2(-f[0], -f[2]), pitch: Math.asin(Math.max(-1, Math.min(1, f[1]))) };
}

/** Turns the head like a mouse-look: yaw about the world's vertical, pitch about the head's side axis, pitch kept short of ±90°. */
export function look(pose: HeadPose, yawDelta: number, pitchDelta: number): void {
  const { pitch } = facing(pose);
  const allowed = Math.max(-PITCH_LIMIT, Math.min(PITCH_LIMIT, pitch + pitchDelta)) - pitch;
  const q = pose.orientation;
  quat.multiply(q, quat.setAxisAngle(quat.create(), [0, 1, 0], yawDelta), q);
  quat.rotateX(q, q, allowed);
  quat.normalize(q, q);
}

/** World-from-head matrix. */
export function headMatrix(pose: HeadPose, out: mat4 = mat4.create()): mat4 {
  return mat4.fromRotationTranslation(out, pose.orientation, pose.position);
}

/** Eye-from-world (view) matrix for one eye, `ipd` metres apart. */
export function eyeViewMatrix(pose: HeadPose, eye: 'left' | 'right' | 'none', out: mat4 = mat4.create(), ipd = IPD): mat4 {
  const head = headMatrix(pose);
  const offset = eye === 'left' ? -ipd / 2 : eye === 'right' ? ipd / 2 : 0;
  mat4.translate(head, head, [offset, 0, 0]);
  return mat4.invert(out, head) ?? mat4.identity(out);
}

/** Field of view for an eye whose viewport has the given aspect (width / height); `fovY` degrees vertical. */
export function eyeFov(eye: 'left' | 'right' | 'none', aspect: number, fovY = 90): Fov {
  const vertical = Math.tan(((fovY / 2) * Math.PI) / 180); // 90° vertical: tan 45° = 1
  const horizontal = vertical * aspect; // square pixels
  const outward = eye === 'none' ? 0.5 : 0.56;
  return eye === 'right'
    ? { left: horizontal * (1 - outward) * 2, right: horizontal * outward * 2, up: vertical, down: vertical }
    : { left: horizontal * outward * 2, right: horizontal * (1 - outward) * 2, up: vertical, down: vertical };
}

export function projectionFromFov(fov: Fov, near: number, far: number, out: mat4 = mat4.create()): mat4 {
  return mat4.frustum(out, -fov.left * near, fov.right * near, -fov.down * near, fov.up * near, near, far);
}

/** Moves the head on the ground plane: forward/right in the direction it faces (yaw only). */
export function walk(pose: HeadPose, forward: number, right: number, up: number): void {
  const { yaw } = facing(pose);
  const s = Math.sin(yaw);
  const c = Math.cos(yaw);
  // Facing -Z at yaw 0; yaw rotates that direction about +Y.
  pose.position[0] += -s * forward + c * right;
  pose.position[2] += -c * forward - s * right;
  pose.position[1] += up;
}
