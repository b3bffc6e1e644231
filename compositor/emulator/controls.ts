// Desktop controls for the emulated head: drag to look, WASD to walk (Q/E down/up).
import { look, walk, type HeadPose } from './head-pose';

const LOOK_RADIANS_PER_PIXEL = 0.005;
const WALK_METRES_PER_SECOND = 1.5;

export interface Controls {
  /** Advances the head by the keys held since the last call. */
  update(now: number): void;
  dispose(): void;
}

export function attachControls(element: HTMLElement, pose: HeadPose): Controls {
  const held = new Set<string>();
  let dragging = false;
  let last: number | null = null;

  // Runs when a mouse button goes down on the view: start looking around.
  const onPointerDown = (e: PointerEvent) => {
    dragging = true;
    element.setPointerCapture?.(e.pointerId);
  };
  // Runs while the pointer moves: turn the head if a drag is on.
  const onPointerMove = (e: PointerEvent) => {
    if (!dragging) return;
    // Drag right to look right, drag up to look up.
    look(pose, -e.movementX * LOOK_RADIANS_PER_PIXEL, -e.movementY * LOOK_RADIANS_PER_PIXEL);
  };
  // Runs when the drag ends.
  const onPointerUp = () => {
    dragging = false;
  };
  // Runs on key presses anywhere on the page: remember which movement keys are held.
  const onKey = (e: KeyboardEvent) => {
    const key = e.key.toLowerCase();
    if (!'wasdqe'.includes(key) || key.length !== 1) return;
    if (e.type === 'keydown') held.add(key);
    else held.delete(key);
  };
  // Runs when the page loses focus: drop held keys so the head does not drift.
  const onBlur = () => held.clear();

  element.addEventListener('pointerdown', onPointerDown);
  element.addEventListener('pointermove', onPointerMove);
  element.addEventListener('pointerup', onPointerUp);
  window.addEventListener('keydown', onKey);
  window.addEventListener('keyup', onKey);
  window.addEventListener('blur', onBlur);

  return {
    update(now) {
      const dt = last === null ? 0 : Math.min(0.1, (now - last) / 1000);
      last = now;
      if (held.size === 0) return;
      const step = WALK_METRES_PER_SECOND * dt;
      const axis = (plus: string, minus: string) => (held.has(plus) ? 1 : 0) - (held.has(minus) ? 1 : 0);
      walk(pose, axis('w', 's') * step, axis('d', 'a') * step, axis('e', 'q') * step);
    },
    dispose() {
      element.removeEventListener('pointerdown', onPointerDown);
      element.removeEventListener('pointermove', onPointerMove);
      element.removeEventListener('pointerup', onPointerUp);
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keyup', onKey);
      window.removeEventListener('blur', onBlur);
    },
  };
}
