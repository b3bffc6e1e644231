// The emulator's two controllers (compositor/emulator/emulated-controllers.ts): their gamepad as
// WebXR content reads it, the press changes that become select and squeeze events, where each
// hand points, and scripted input checked before use.
import { mat4, vec3 } from 'gl-matrix';
import { describe, expect, it } from 'vitest';
import { checkControllerInput, EmulatedController } from '../../compositor/emulator/emulated-controllers';

/** Eyes of a head at (0, 1.6, 0) looking down −z. */
const views = [-0.03, 0.03].map((x) => ({ viewMatrix: mat4.invert(mat4.create(), mat4.fromTranslation(mat4.create(), [x, 1.6, 0]))! }));
const rayOf = (pose: mat4) => ({ origin: [pose[12], pose[13], pose[14]], direction: vec3.normalize(vec3.create(), [-pose[8], -pose[9], -pose[10]]) });

describe('emulated controllers', () => {
  it('reports presses as changes, and the xr-standard gamepad as the Gamepad API gives it', () => {
    const c = new EmulatedController('right');
    expect(c.set({ trigger: true })).toEqual({ trigger: true });
    expect(c.set({ trigger: 0.8 }), 'still pressed: no change').toEqual({});
    expect(c.set({ trigger: 0.2, squeeze: true })).toEqual({ trigger: false, squeeze: true });
    c.set({ thumbstick: [0.5, -1] });
    expect(c.gamepad.mapping).toBe('xr-standard');
    expect(c.gamepad.buttons.map((b) => [b.pressed, b.value])).toEqual([[false, 0.2], [true, 1], [false, 0], [false, 0]]);
    expect(c.gamepad.axes).toEqual([0, 0, 0.5, -1]);
  });

  it('keeps the left hand away until first used, then holds it low and left, pointing where the head looks', () => {
    const left = new EmulatedController('left');
    left.update(views, null);
    expect(left.pose).toBeNull();
    left.set({ squeeze: false });
    left.update(views, null);
    const { origin, direction } = rayOf(left.pose!);
    expect(origin[0]).toBeLessThan(-0.1);
    expect(origin[1]).toBeLessThan(1.6);
    expect(direction[2]).toBeLessThan(-0.9);
  });

  it('aims at a scripted point over the mouse, and gives the right hand back to the mouse on null', () => {
    const right = new EmulatedController('right');
    const mouse = mat4.create();
    right.set({ aim: [1, 1.6, -2] });
    right.update(views, mouse);
    const { origin, direction } = rayOf(right.pose!);
    const toTarget = vec3.normalize(vec3.create(), vec3.sub(vec3.create(), [1, 1.6, -2], origin as vec3));
    expect(vec3.dot(direction, toTarget)).toBeCloseTo(1, 5);
    right.set({ aim: null });
    right.update(views, mouse);
    expect(right.pose).toBe(mouse);
  });

  it('checks scripted input, naming what is wrong', () => {
    expect(checkControllerInput('right', { trigger: 0.5, aim: [0, 1, -1] })).toMatchObject({ ok: true, hand: 'right' });
    expect(checkControllerInput('middle', {})).toEqual({ ok: false, reason: "hand must be 'left' or 'right', got middle" });
    expect(checkControllerInput('left', { thumbstick: [2, 0] })).toMatchObject({ ok: false, reason: expect.stringMatching(/^thumbstick\.0: /) });
    expect(checkControllerInput('left', { grip: true })).toMatchObject({ ok: false });
  });
});
