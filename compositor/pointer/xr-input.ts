// The session's controller as the compositor's pointer: the same code reads a headset's
// controller and the emulator's (a webxr-polyfill input source driven by the mouse).
import { rayFromPose, type PointerRay, type PointerSource } from './ray';

/** The session's first tracked controller (else its first input source): its target ray, and its select (trigger) state. */
export function controllerPointer(session: XRSession): PointerSource {
  let pressed = false;
  // Run when the controller's trigger goes down and comes up.
  session.addEventListener('selectstart', () => (pressed = true));
  session.addEventListener('selectend', () => (pressed = false));
  return (frame, space): PointerRay | null => {
    const source = [...session.inputSources].find((s) => s.targetRayMode === 'tracked-pointer') ?? session.inputSources[0];
    const pose = source ? frame.getPose(source.targetRaySpace, space) : null;
    if (!pose) return null;
    const ray = rayFromPose(pose.transform);
    // A tracked controller's beam starts at the controller; a gaze or screen ray's at the eye (cursor only).
    return { ...ray, pressed, beamFrom: source?.targetRayMode === 'tracked-pointer' ? ray.origin : null, source };
  };
}
