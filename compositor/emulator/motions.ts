// Built-in scripted head motions, by name (URL `motion=`), for demos and benchmarks that must
// repeat exactly. Keyframes every 50 ms, so slerp between them follows the intended path.
import type { Keyframe, Motion } from './motion';
import { EYE_HEIGHT } from './head-pose';

export const MOTIONS = ['sweep', 'turn'] as const;
export type MotionName = (typeof MOTIONS)[number];

const STEP_MS = 50;

/** A head turning about the vertical by `yawAt(t)` radians, sampled every 50 ms for `durationMs`. */
export function yawMotion(yawAt: (t: number) => number, durationMs: number, loop: boolean): Motion {
  const keyframes: Keyframe[] = [];
  for (let t = 0; t <= durationMs + 1e-9; t += STEP_MS) {
    const yaw = yawAt(t);
    keyframes.push({ t, position: [0, EYE_HEIGHT, 0], orientation: [0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2)] });
  }
  return { keyframes, loop };
}

export function builtInMotion(name: MotionName): Motion {
  switch (name) {
    case 'sweep': // look left and right, ±35°, every 4 s: peak 55°/s
      return yawMotion((t) => (35 * Math.PI) / 180 * Math.sin((2 * Math.PI * t) / 4000), 4000, true);
    case 'turn': // turn round steadily at 90°/s
      return yawMotion((t) => (Math.PI / 2) * (t / 1000), 4000, true);
    default: {
      const check: never = name;
      return check;
    }
  }
}
