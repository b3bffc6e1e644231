import { describe, expect, it } from 'vitest';
import { surfaceViews } from '../../compositor/timewarp/request-views';
import { FrameClock } from '../../compositor/frame-clock';
import type { WireView } from '../../shared/protocol';

const view = (eye: 'left' | 'right'): WireView => ({
  eye,
  projectionMatrix: new Float32Array(16),
  viewMatrix: new Float32Array(16),
  viewport: { x: 0, y: 0, width: 0, height: 0 },
});

describe('splitting a guest surface among views', () => {
  it('puts two eyes side by side covering every column exactly once', () => {
    const [l, r] = surfaceViews([view('left'), view('right')], { width: 129, height: 64 });
    expect(l!.viewport).toEqual({ x: 0, y: 0, width: 64, height: 64 });
    expect(r!.viewport).toEqual({ x: 64, y: 0, width: 65, height: 64 });
  });
  it('gives a single view the whole surface', () => {
    expect(surfaceViews([view('left')], { width: 100, height: 50 })[0]!.viewport).toEqual({ x: 0, y: 0, width: 100, height: 50 });
  });
});

describe('frame clock (injected timestamps)', () => {
  it('measures presentation rate and mean work over its window', () => {
    const clock = new FrameClock();
    expect(clock.fps()).toBe(0);
    for (let i = 0; i < 61; i++) clock.record(i * 16.6667, i % 2 ? 2 : 1);
    expect(clock.fps()).toBeCloseTo(60, 1);
    expect(clock.meanWorkMs()).toBeCloseTo(1.49, 1);
  });
  it('forgets frames older than its window', () => {
    const clock = new FrameClock();
    for (let i = 0; i < 200; i++) clock.record(i * 10, 1);
    for (let i = 200; i < 320; i++) clock.record(2000 + (i - 200) * 20, 3);
    expect(clock.fps()).toBeCloseTo(50, 1);
    expect(clock.meanWorkMs()).toBe(3);
  });
});
