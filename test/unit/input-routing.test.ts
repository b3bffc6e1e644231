// Who gets the user's input (compositor/input/input-routing.ts) and which layer a press is on
// (compositor/input/pick.ts): events reach only the focused guest, in order, across frames; a
// press that moves focus, or that the compositor's UI takes, reaches no guest, start to end.
import { mat4 } from 'gl-matrix';
import { describe, expect, it } from 'vitest';
import { InputRouting } from '../../compositor/input/input-routing';
import { pickLayer, surfacePixel, type PickTarget } from '../../compositor/input/pick';
import type { InputEvent, InputEventType, WireView } from '../../shared/protocol';

const ev = (type: InputEventType, source = 1, time = 0): InputEvent => ({ type, source, time });
const layers = (...ids: number[]) => ({ type: 'layers' as const, layers: ids.map((id) => ({ id, live: true, running: true })) });
const types = (r: InputRouting, id: number) => r.inputFor(id, () => []).events.map((e) => e.type);

describe('input routing', () => {
  it('gives the focused guest its events in order across frames, and a blurred one nothing', () => {
    const r = new InputRouting();
    r.apply(layers(1, 2));
    r.route([ev('selectstart')]);
    r.route([ev('select'), ev('selectend'), ev('squeezestart', 2)]);
    expect(r.inputFor(2, () => []).visibility).toBe('visible-blurred');
    expect(types(r, 2)).toEqual([]);
    expect(types(r, 1)).toEqual(['selectstart', 'select', 'selectend', 'squeezestart']);
    expect(types(r, 1), 'taken once').toEqual([]);
  });

  it('keeps a press that moved focus from every guest, start to end, and the next press goes to the new focus', () => {
    const r = new InputRouting();
    r.apply(layers(1, 2));
    expect(r.apply({ type: 'press', picked: 2 })).toBe(true);
    r.route([ev('selectstart')], new Set([1]));
    r.route([ev('select'), ev('selectend')]); // a later frame: still the compositor's
    expect(types(r, 1)).toEqual([]);
    expect(types(r, 2)).toEqual([]);
    r.route([ev('selectstart'), ev('select'), ev('selectend')]);
    expect(types(r, 2)).toEqual(['selectstart', 'select', 'selectend']);
  });

  it('never gives a guest the end of a press whose start went to another, and nothing while the compositor’s UI has the user', () => {
    const r = new InputRouting();
    r.apply(layers(1, 2));
    r.route([ev('squeezestart')]);
    r.apply({ type: 'focus', id: 2 }); // focus moves while the grip is held
    r.route([ev('squeeze'), ev('squeezeend')]);
    expect(types(r, 2)).toEqual([]);
    r.apply({ type: 'trusted-ui', active: true });
    r.route([ev('selectstart')]);
    r.apply({ type: 'trusted-ui', active: false });
    r.route([ev('select'), ev('selectend')]);
    expect(types(r, 2), 'the press began on the UI').toEqual([]);
  });

  it('holds at most the protocol’s events for a guest, dropping the oldest', () => {
    const r = new InputRouting();
    r.apply(layers(1));
    r.route(Array.from({ length: 100 }, (_, i) => ev('squeeze', 1, i)));
    const events = r.inputFor(1, () => []).events;
    expect(events).toHaveLength(64);
    expect(events[0]!.time).toBe(36);
  });
});

describe('the pick', () => {
  // An eye at the origin looking down -z, 90° field of view, on a 100×100 viewport.
  const view: WireView = { eye: 'left', projectionMatrix: mat4.perspective(new Float32Array(16), Math.PI / 2, 1, 0.1, 100) as Float32Array, viewMatrix: mat4.create() as Float32Array, viewport: { x: 0, y: 0, width: 100, height: 100 } };
  const ray = { origin: [0, 0, 0], direction: [0, 0, -1] };
  const projection = (id: number, alpha: (x: number, y: number) => number): PickTarget => ({ id, declaration: { type: 'projection' }, views: [view], alphaAt: alpha });

  it('projects a world point to its surface pixel, and nothing behind the eye', () => {
    expect(surfacePixel(view, [0, 0, -2])).toEqual({ x: 50, y: 50 });
    expect(surfacePixel(view, [1, 0, -2])).toEqual({ x: 75, y: 50 });
    expect(surfacePixel(view, [0, 0, 2])).toBeNull();
  });

  it('takes the topmost layer with content under the ray: transparent pixels let the press through', () => {
    const seen: [number, number][] = [];
    const clear = projection(2, (x, y) => (seen.push([x, y]), 0));
    const opaque = projection(1, () => 255);
    expect(pickLayer(ray, 2, [clear, opaque])).toBe(1);
    expect(seen).toEqual([[50, 50]]);
    expect(pickLayer(ray, 2, [projection(2, () => 255), opaque])).toBe(2);
    expect(pickLayer(ray, 2, [clear])).toBeNull();
  });

  it('picks a quad by its geometry, and skips one the ray misses', () => {
    const quad = (id: number, x: number): PickTarget => ({ id, declaration: { type: 'quad', position: [x, 0, -2], width: 1, height: 1 }, views: null, alphaAt: () => null });
    expect(pickLayer(ray, 2, [quad(3, 5), quad(4, 0)])).toBe(4);
  });
});
