// The emulated head: a pose (position, yaw, pitch) and the pure maths that turns it into
// the matrices a WebXR device reports. No DOM here, so it is unit-tested directly.
import { mat4, quat, vec3 } from 'gl-matrix';

export interface HeadPose {
  position: vec3;
  /** Radians about +Y (turning left is positive). */
  yaw: number;
  /** Radians about +X (looking up is positive), clamped to ±89°. */
  pitch: number;
}

export const EYE_HEIGHT = 1.6;
export const IPD = 0.063;
const PITCH_LIMIT = (89 * Math.PI) / 180;

/** Per-eye field of view as tangents of the half-angles (asymmetric, outward wider, like real HMDs). */
export interface Fov { left: number; right: number; up: number; down: number }

export function defaultPose(): HeadPose {
  return { position: vec3.fromValues(0, EYE_HEIGHT, 0), yaw: 0, pitch: 0 };
}

export function clampPitch(pitch: number): number {
  return Math.max(-PITCH_LIMIT, Math.min(PITCH_LIMIT, pitch));
}

export function headOrientation(pose: HeadPose, out: quat = quat.create()): quat {
  quat.identity(out);
  quat.rotateY(out, out, pose.yaw);
  quat.rotateX(out, out, pose.pitch);
  return out;
}

/** World-from-head matrix. */
export function headMatrix(pose: HeadPose, out: mat4 = mat4.create()): mat4 {
  return mat4.fromRotationTranslation(out, headOrientation(pose), pose.position);
}

/** Eye-from-world (view) matrix for one eye. */
export function eyeViewMatrix(pose: HeadPose, eye: 'left' | 'right' | 'none', out: mat4 = mat4.create()): mat4 {
  const head = headMatrix(pose);
  const offset = eye === 'left' ? -IPD / 2 : eye === 'right' ? IPD / 2 : 0;
  mat4.translate(head, head, [offset, 0, 0]);
  return mat4.invert(out, head) ?? mat4.identity(out);
}

/** Field of view for an eye whose viewport has the given aspect (width / height). */
export function eyeFov(eye: 'left' | 'right' | 'none', aspect: number): Fov {
  const vertical = 1.0; // tan(45°): 90° vertical
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
  const s = Math.sin(pose.yaw);
  const c = Math.cos(pose.yaw);
  // Facing -Z at yaw 0; yaw rotates that direction about +Y.
  pose.position[0] += -s * forward + c * right;
  pose.position[2] += -c * forward - s * right;
  pose.position[1] += up;
}
