// The in-headset HUD panel's layout (pure) and its controller hit test.
import { describe, expect, it } from 'vitest';
import { vec3 } from 'gl-matrix';
import { hitButton, panelLayout } from '../../compositor/hud-panel/layout';
import type { CompositorStats, LayerStats } from '../../compositor/stats';

const layer = (over: Partial<LayerStats>): LayerStats => ({ id: 1, url: 'http://x/demos/a.js', state: 'running', presented: 0, missed: 0, restarts: 0, error: undefined, version: 1, versions: 1, ...over }) as LayerStats;
const stats = (layers: LayerStats[]) => ({ fps: 60, frameMs: 1, timewarp: { enabled: true }, layers }) as unknown as CompositorStats;

describe('HUD panel layout', () => {
  it('gives each layer the buttons its state allows, and finds the one under a point', () => {
    const l = panelLayout(stats([layer({ id: 1, version: 2, versions: 3 }), layer({ id: 2, state: 'quarantined', error: 'frame failed for x' })]));
    const of = (id: number) => l.buttons.filter((b) => b.layer === id).map((b) => b.action);
    expect(of(1)).toEqual(['reload', 'undo', 'redo', 'unload']);
    expect(of(2)).toEqual(['retry', 'reload', 'unload']);
    expect(l.lines.some((line) => line.text.includes('frame failed for x'))).toBe(true);
    const retry = l.buttons.find((b) => b.layer === 2 && b.action === 'retry')!;
    expect(hitButton(l, retry.x + 1, retry.y + 1)).toEqual(retry);
    expect(hitButton(l, 1, 1)).toBeNull();
  });
});

describe('HUD panel hit test', async () => {
  // HudPanel needs a 2-D canvas only to draw; the hit test is pure geometry.
  (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas ??= class {
    getContext() {
      return {};
    }
  };
  const { HudPanel, PANEL_POSE } = await import('../../compositor/hud-panel/hud-panel');
  const panel = new HudPanel({} as WebGL2RenderingContext, () => {});
  it('meets the panel where a ray from the eye through its centre points, and misses beside it', () => {
    const origin = vec3.fromValues(0, 1.6, 0);
    const centre = vec3.fromValues(...PANEL_POSE.position);
    const direction = vec3.normalize(vec3.create(), vec3.sub(vec3.create(), centre, origin));
    const hit = panel.hit({ origin, direction, pressed: false })!;
    expect(hit[0]).toBeCloseTo(320, 3);
    expect(hit[1]).toBeCloseTo(200, 3);
    expect(panel.hit({ origin, direction: vec3.fromValues(1, 0, 0), pressed: false })).toBeNull();
    expect(panel.hit({ origin, direction: vec3.fromValues(0, 0, 1), pressed: false })).toBeNull();
  });
});
