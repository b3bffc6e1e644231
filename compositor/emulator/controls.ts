// Desktop controls for the emulated head: click to capture the mouse and look (pointer lock; Esc
// releases), or drag to look; WASD to walk, Q/E down/up, Shift to go faster; V toggles stereo/mono.
import { look, walk, type HeadPose } from './head-pose';

const LOOK_RADIANS_PER_PIXEL = 0.005;
const WALK_METRES_PER_SECOND = 1.5;
const SHIFT_FACTOR = 3;

export interface Controls {
  /** Advances the head by the keys held since the last call. */
  update(now: number): void;
  dispose(): void;
}

export function attachControls(element: HTMLElement, pose: HeadPose, toggleView: () => void = () => {}): Controls {
  const held = new Set<string>();
  let shift = false;
  let dragging = false;
  let last: number | null = null;

  // Runs when a mouse button goes down on the view: start looking around.
  const onPointerDown = (e: PointerEvent) => {
    dragging = true;
    element.setPointerCapture?.(e.pointerId);
    // Ask for pointer lock: mouse-look without holding a button (refused without a user gesture; dragging still works).
    if (document.pointerLockElement !== element) void Promise.resolve(element.requestPointerLock?.()).catch(() => {});
  };
  // Runs while the pointer moves: turn the head if the mouse is captured or a drag is on.
  const onPointerMove = (e: PointerEvent) => {
    if (!dragging && document.pointerLockElement !== element) return;
    // Drag right to look right, drag up to look up.
    look(pose, -e.movementX * LOOK_RADIANS_PER_PIXEL, -e.movementY * LOOK_RADIANS_PER_PIXEL);
  };
  // Runs when the drag ends.
  const onPointerUp = () => {
    dragging = false;
  };
  // Runs on key presses anywhere on the page: remember which movement keys are held.
  const onKey = (e: KeyboardEvent) => {
    shift = e.shiftKey;
    const key = e.key.toLowerCase();
    if (key === 'v' && e.type === 'keydown' && !e.altKey && !e.ctrlKey && !e.metaKey && !(e.target instanceof HTMLInputElement)) {
      toggleView();
      return;
    }
    if (e.target instanceof HTMLInputElement) return;
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
      const step = WALK_METRES_PER_SECOND * (shift ? SHIFT_FACTOR : 1) * dt;
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
