// The emulator's two controllers: webxr-polyfill input sources, each with an 'xr-standard'
// gamepad (buttons: 0 trigger, 1 squeeze, 2 touchpad (none), 3 thumbstick press; axes 2 and 3:
// the thumbstick). The right one is aimed by the mouse (controller.ts); the left one is held low
// to the left, pointing where the head looks, and joins the session on first use (its keys, or
// emulator.input), as a controller wakes when picked up. Scripted input (emulator.input) sets any
// of it: a scripted aim wins over the mouse until it is given back (`aim: null`).
import { mat4, vec3 } from 'gl-matrix';
import * as v from 'valibot';
import XRInputSource from 'webxr-polyfill/src/api/XRInputSource.js';
import { aimFromHand } from './aim';
import { HAND_OFFSET, emulatedHand } from './hand';

export type Hand = 'left' | 'right';

const finite = v.pipe(v.number(), v.finite());
const unit = v.pipe(finite, v.minValue(-1), v.maxValue(1));
const press = v.optional(v.union([v.boolean(), v.pipe(finite, v.minValue(0), v.maxValue(1))]));
/** What a script (or a test) may set on one controller; fields left out keep their value. */
const controllerInputSchema = v.strictObject({
  /** Whether the controller is there at all (the left one joins on first use). */
  connected: v.optional(v.boolean()),
  /** A world point (metres) to aim at, from the hand; null gives the aim back (to the mouse, for the right hand). */
  aim: v.optional(v.nullable(v.strictTuple([finite, finite, finite]))),
  /** Trigger: pressed (true/false) or its value 0..1 (pressed from 0.5). */
  trigger: press,
  /** Squeeze (grip): as the trigger. */
  squeeze: press,
  /** Thumbstick [x, y], each −1..1 (as the Gamepad API: x right, y down, i.e. +1 pulled back). */
  thumbstick: v.optional(v.strictTuple([unit, unit])),
});
export type ControllerInput = v.InferOutput<typeof controllerInputSchema>;

/** Checks scripted input (emulator.input) before it reaches a controller; a clear reason if it is wrong. */
export function checkControllerInput(hand: unknown, input: unknown): { ok: true; hand: Hand; input: ControllerInput } | { ok: false; reason: string } {
  if (hand !== 'left' && hand !== 'right') return { ok: false, reason: `hand must be 'left' or 'right', got ${String(hand)}` };
  const parsed = v.safeParse(controllerInputSchema, input);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    return { ok: false, reason: `${issue.path?.map((p) => String(p.key)).join('.') ?? 'input'}: ${issue.message}` };
  }
  return { ok: true, hand, input: parsed.output };
}

interface ButtonLike {
  pressed: boolean;
  touched: boolean;
  value: number;
}

/** What the Gamepad API offers, as far as WebXR content reads it. */
export interface EmulatedGamepad {
  readonly id: string;
  readonly index: number;
  readonly connected: boolean;
  readonly mapping: 'xr-standard';
  readonly buttons: ButtonLike[];
  readonly axes: number[];
  timestamp: number;
  readonly hapticActuators: [];
}

const clamp = (x: number, lo: number, hi: number) => (Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : 0);
const valueOf = (v: boolean | number) => (typeof v === 'boolean' ? (v ? 1 : 0) : clamp(v, 0, 1));

/** The left hand's offset in head space: the right one's, mirrored. */
const LEFT_OFFSET: readonly [number, number, number] = [-HAND_OFFSET[0], HAND_OFFSET[1], HAND_OFFSET[2]];

export class EmulatedController {
  readonly source: XRInputSource;
  readonly gamepad: EmulatedGamepad;
  connected: boolean;
  /** World from controller this frame (target ray along −z), or null: none this frame. */
  pose: mat4 | null = null;
  /** A scripted aim point, winning over the mouse. */
  scriptedAim: vec3 | null = null;
  private pressed = { trigger: false, squeeze: false };

  constructor(readonly hand: Hand) {
    this.gamepad = {
      id: `steadfast-emulator-${hand}`,
      index: -1,
      connected: true,
      mapping: 'xr-standard',
      buttons: Array.from({ length: 4 }, () => ({ pressed: false, touched: false, value: 0 })),
      axes: [0, 0, 0, 0],
      timestamp: 0,
      hapticActuators: [],
    };
    this.source = new XRInputSource({ handedness: hand, targetRayMode: 'tracked-pointer', profiles: ['generic-trigger-squeeze-thumbstick'], gamepad: this.gamepad });
    this.connected = hand === 'right';
  }

  /**
   * Applies `input`; returns the press changes it made (trigger and squeeze going down or up), for
   * the device to fire as select and squeeze events.
   */
  set(input: ControllerInput): { trigger?: boolean; squeeze?: boolean } {
    if (input.connected !== undefined) this.connected = input.connected;
    else if (input.trigger !== undefined || input.squeeze !== undefined || input.thumbstick !== undefined || input.aim) this.connected = true;
    if (input.aim !== undefined) this.scriptedAim = input.aim ? vec3.fromValues(...input.aim) : null;
    if (input.thumbstick) {
      this.gamepad.axes[2] = clamp(input.thumbstick[0], -1, 1);
      this.gamepad.axes[3] = clamp(input.thumbstick[1], -1, 1);
      this.gamepad.buttons[3]!.touched = input.thumbstick[0] !== 0 || input.thumbstick[1] !== 0;
    }
    const changes: { trigger?: boolean; squeeze?: boolean } = {};
    for (const [name, index] of [['trigger', 0], ['squeeze', 1]] as const) {
      const v = input[name];
      if (v === undefined) continue;
      const button = this.gamepad.buttons[index]!;
      button.value = valueOf(v);
      button.pressed = button.value >= 0.5;
      button.touched = button.value > 0;
      if (button.pressed !== this.pressed[name]) {
        this.pressed[name] = button.pressed;
        changes[name] = button.pressed;
      }
    }
    this.gamepad.timestamp = performance.now();
    return changes;
  }

  /** This frame's pose for the eyes given: the scripted aim, else `mouseAim` (the right hand), else the left hand's rest. */
  update(views: readonly { viewMatrix: ArrayLike<number> }[], mouseAim: mat4 | null): void {
    if (!this.connected) {
      this.pose = null;
      return;
    }
    const hand = this.hand === 'right' ? emulatedHand(views) : emulatedHand(views, LEFT_OFFSET);
    if (this.scriptedAim && hand) {
      this.pose = aimFromHand(hand, this.scriptedAim);
      return;
    }
    if (this.hand === 'right') {
      this.pose = mouseAim;
      return;
    }
    // At rest: where the head looks, from the left hand.
    const first = views[0];
    const worldFromEye = first ? mat4.invert(mat4.create(), first.viewMatrix as mat4) : null;
    if (!hand || !worldFromEye) {
      this.pose = null;
      return;
    }
    const ahead = vec3.transformMat4(vec3.create(), [0, 0, -2], worldFromEye);
    this.pose = aimFromHand(hand, ahead);
  }
}
