// Shared browser driver for tests, bench and tooling (tooling/driver/).
// Reading a presented frame back (compositor.capture()) and measuring it: where a world point
// projects in an eye, and where a marker's or a region's pixels actually are. Node side.
import type { Page } from 'playwright-core';
import { mat4, vec4 } from 'gl-matrix';
import type { Capture, CapturedView } from '../../compositor/capture';

export type Captured = Omit<Capture, 'pixels'> & { pixels: Uint8Array };

/** The next presented frame's pixels and poses. */
export async function capture(page: Page, region?: { x: number; y: number; width: number; height: number }): Promise<Captured> {
  const raw = await page.evaluate(async (r) => {
    const c = await window.compositor.capture(r);
    let binary = '';
    for (let i = 0; i < c.pixels.length; i += 0x8000) binary += String.fromCharCode(...c.pixels.subarray(i, i + 0x8000));
    return { ...c, pixels: btoa(binary) };
  }, region);
  return { ...raw, pixels: new Uint8Array(Buffer.from(raw.pixels, 'base64')) };
}

/**
 * The colour (RGB) of a presented frame at fractions (fx, fy) of eye `eye`'s viewport (origin
 * bottom-left): wherever the compositor's output scale puts that eye on its canvas.
 */
export function eyePixel(page: Page, eye: number, fx: number, fy: number): Promise<number[]> {
  return page.evaluate(
    async ([e, x, y]) => {
      // Read in a frame whose eye viewport is the one the point came from: the output scale may
      // change between two captures at the defaults, and moves every eye pixel when it does.
      const probe = await window.compositor.capture({ x: 0, y: 0, width: 1, height: 1 });
      let v = (probe.views[e] ?? probe.views[0]!).viewport;
      for (let tries = 0; ; tries++) {
        const c = await window.compositor.capture({ x: Math.floor(v.x + x * v.width), y: Math.floor(v.y + y * v.height), width: 1, height: 1 });
        const seen = (c.views[e] ?? c.views[0]!).viewport;
        if ((seen.x === v.x && seen.y === v.y && seen.width === v.width && seen.height === v.height) || tries === 5) return Array.from(c.pixels.subarray(0, 3));
        v = seen;
      }
    },
    [eye, fx, fy] as const,
  );
}

/** Waits until the compositor has presented `n` more frames. */
export async function framesPass(page: Page, n: number): Promise<void> {
  const start = await page.evaluate(() => window.compositor.stats().frames);
  await page.waitForFunction((target) => window.compositor.stats().frames >= target, start + n);
}

/** Where view `view` projects homogeneous world point `p`, in canvas pixels (GL window coordinates, origin bottom-left). */
export function projectToCanvas(view: CapturedView, p: [number, number, number, number]): [number, number] {
  const clip = vec4.transformMat4(vec4.create(), vec4.transformMat4(vec4.create(), p, view.viewMatrix as unknown as mat4), view.projectionMatrix as unknown as mat4);
  const { x, y, width, height } = view.viewport;
  return [x + (clip[0] / clip[3] * 0.5 + 0.5) * width, y + (clip[1] / clip[3] * 0.5 + 0.5) * height];
}

/** Intensity-weighted centroid of the red channel within `radius` px of `around` (GL window coordinates, pixel centres at +0.5). */
export function markerCentroid(c: Captured, around: [number, number], radius: number): { at: [number, number]; weight: number } {
  let sx = 0;
  let sy = 0;
  let w = 0;
  const x0 = Math.max(c.x, Math.floor(around[0] - radius));
  const x1 = Math.min(c.x + c.width - 1, Math.ceil(around[0] + radius));
  const y0 = Math.max(c.y, Math.floor(around[1] - radius));
  const y1 = Math.min(c.y + c.height - 1, Math.ceil(around[1] + radius));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const v = c.pixels[((y - c.y) * c.width + (x - c.x)) * 4]!;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
      w += v;
    }
  }
  return { at: w > 0 ? [sx / w, sy / w] : [NaN, NaN], weight: w };
}

/** Centroid and pixel count of the pixels matching `test` inside `viewport`. */
export function regionCentroid(c: Captured, viewport: CapturedView['viewport'], test: (rgba: Uint8Array) => boolean): { at: [number, number]; count: number } {
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = Math.max(viewport.y, c.y); y < Math.min(viewport.y + viewport.height, c.y + c.height); y++) {
    for (let x = Math.max(viewport.x, c.x); x < Math.min(viewport.x + viewport.width, c.x + c.width); x++) {
      const i = ((y - c.y) * c.width + (x - c.x)) * 4;
      if (test(c.pixels.subarray(i, i + 4))) {
        sx += x + 0.5;
        sy += y + 0.5;
        n += 1;
      }
    }
  }
  return { at: n > 0 ? [sx / n, sy / n] : [NaN, NaN], count: n };
}

/** Area and centroid of a simple polygon (shoelace). */
export function polygonCentroid(points: [number, number][]): { at: [number, number]; area: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < points.length; i++) {
    const [x0, y0] = points[i]!;
    const [x1, y1] = points[(i + 1) % points.length]!;
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  return { at: [cx / (3 * a), cy / (3 * a)], area: Math.abs(a / 2) };
}

export const distance = (a: [number, number], b: [number, number]) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** A unit quaternion [x, y, z, w] for yaw (about +Y), then pitch (about X), then roll (about Z), radians. */
export function yawPitchRoll(yaw: number, pitch = 0, roll = 0): [number, number, number, number] {
  const q = (axis: [number, number, number], angle: number): [number, number, number, number] => {
    const s = Math.sin(angle / 2);
    return [axis[0] * s, axis[1] * s, axis[2] * s, Math.cos(angle / 2)];
  };
  const mul = (a: number[], b: number[]): [number, number, number, number] => [
    a[3]! * b[0]! + a[0]! * b[3]! + a[1]! * b[2]! - a[2]! * b[1]!,
    a[3]! * b[1]! - a[0]! * b[2]! + a[1]! * b[3]! + a[2]! * b[0]!,
    a[3]! * b[2]! + a[0]! * b[1]! - a[1]! * b[0]! + a[2]! * b[3]!,
    a[3]! * b[3]! - a[0]! * b[0]! - a[1]! * b[1]! - a[2]! * b[2]!,
  ];
  return mul(mul(q([0, 1, 0], yaw), q([1, 0, 0], pitch)), q([0, 0, 1], roll));
}
