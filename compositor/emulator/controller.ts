// The emulated controller, driven by the mouse: a webxr-polyfill input source (right hand,
// tracked-pointer) that the compositor reads exactly as it reads a headset's controller. Its hand
// is low and to the right of the head (hand.ts); its ray is aimed from there at what the mouse is
// over (the view's centre while the mouse is captured): the point where a ray from the eye
// through the mouse meets the nearest panel, or BEAM_REACH along it. Its trigger is the F key, or a
// click that is not a drag. While the mouse is outside the view and not captured there is no
// controller (the session's input sources are empty).
import { mat4, vec3 } from 'gl-matrix';
import { BEAM_REACH } from '../pointer/beam';
import { rayThrough, type Ray } from '../pointer/ray';
import { emulatedHand } from './hand';
import { aimFromHand } from './aim';
import type { EmulatedEye, EmulatorDevice } from './emulator-device';

/** A click pulls the trigger for this many frames, so the compositor sees the press. */
const CLICK_FRAMES = 2;

/**
 * The controller's pose for the eyes of this frame and the mouse at canvas pixel `at` (GL
 * coordinates; null: the first eye's centre), aimed at what `reach` says the eye's ray meets.
 */
export function aimController(eyes: readonly EmulatedEye[], at: [number, number] | null, reach: (ray: Ray) => number | null): mat4 | null {
  const first = eyes[0];
  if (!first) return null;
  const [x, y] = at ?? [first.viewport.x + first.viewport.width / 2, first.viewport.y + first.viewport.height / 2];
  const eye = eyes.find((e) => x >= e.viewport.x && x < e.viewport.x + e.viewport.width) ?? first;
  const ray = rayThrough(eye, eye.viewport, x, y);
  const hand = emulatedHand(eyes);
  if (!ray || !hand) return null;
  const target = vec3.scaleAndAdd(vec3.create(), ray.origin, ray.direction, reach(ray) ?? BEAM_REACH);
  return aimFromHand(hand, target);
}

export interface ControllerHandle {
  dispose(): void;
}

/** Drives the device's controller from the mouse over `canvas` and the F key. */
export function attachController(canvas: HTMLCanvasElement, device: EmulatorDevice, reach: (ray: Ray) => number | null): ControllerHandle {
  let at: [number, number] | null = null;
  let held = false;
  let clickFrames = 0;
  let triggerWas = false;
  let down: { x: number; y: number } | null = null;
  // Runs as the mouse moves over the view: remember where it points.
  const onMove = (e: PointerEvent) => (at = [e.clientX, e.clientY]);
  // Runs when the mouse leaves the view: no controller (unless the mouse is captured).
  const onLeave = () => (at = null);
  const onDown = (e: PointerEvent) => (down = { x: e.clientX, y: e.clientY });
  // Runs when a mouse button comes up: a click that did not drag pulls the trigger for a moment.
  const onUp = (e: PointerEvent) => {
    if (down && Math.hypot(e.clientX - down.x, e.clientY - down.y) < 4) clickFrames = CLICK_FRAMES;
    down = null;
  };
  const arrows = new Set<string>();
  // Runs on a key pressed or released anywhere on the page (not while typing, no modifiers): F
  // the right trigger, G its squeeze, the arrow keys its thumbstick; R and T the left trigger and
  // squeeze (the left controller joins on its first key).
  const onKey = (e: KeyboardEvent) => {
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const up = e.type === 'keyup';
    if (!up && (e.altKey || e.ctrlKey || e.metaKey || e.target instanceof HTMLInputElement)) return;
    if (key === 'f') held = !up;
    else if (key === 'g') device.input('right', { squeeze: !up });
    else if (key === 'r') device.input('left', { trigger: !up });
    else if (key === 't') device.input('left', { squeeze: !up });
    else if (key.startsWith('Arrow')) {
      if (up) arrows.delete(key);
      else arrows.add(key);
      const axis = (plus: string, minus: string) => (arrows.has(plus) ? 1 : 0) - (arrows.has(minus) ? 1 : 0);
      // The Gamepad API's thumbstick y is +1 pulled back (down).
      device.input('right', { thumbstick: [axis('ArrowRight', 'ArrowLeft'), axis('ArrowDown', 'ArrowUp')] });
    }
  };
  const listeners = [
    [canvas, 'pointermove', onMove],
    [canvas, 'pointerleave', onLeave],
    [canvas, 'pointerdown', onDown],
    [canvas, 'pointerup', onUp],
    [window, 'keydown', onKey],
    [window, 'keyup', onKey],
  ] as [EventTarget, string, (e: never) => void][];
  for (const [target, type, listener] of listeners) target.addEventListener(type, listener as EventListener);
  // Runs at the start of every device frame, once the head has moved: aim the controller, set its trigger.
  device.aimController = (eyes) => {
    const locked = document.pointerLockElement === canvas;
    // Only a change from the keys or the mouse: a scripted trigger (emulator.input) stays as set.
    const trigger = held || clickFrames > 0;
    if (trigger !== triggerWas) device.setTrigger(trigger);
    triggerWas = trigger;
    if (clickFrames > 0) clickFrames -= 1;
    if (!locked && !at) return null;
    const ratio = canvas.width / Math.max(1, canvas.clientWidth);
    return aimController(eyes, locked || !at ? null : [at[0] * ratio, canvas.height - at[1] * ratio], reach);
  };
  return {
    dispose() {
      device.aimController = null;
      for (const [target, type, listener] of listeners) target.removeEventListener(type, listener as EventListener);
    },
  };
}
