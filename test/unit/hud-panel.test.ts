// The in-headset HUD panel's layout (pure) and its controller hit test.
import { describe, expect, it } from 'vitest';
import { vec3 } from 'gl-matrix';
import { LOADER_SLOTS, PANEL_PIXELS, hitButton, panelLayout, sameButton } from '../../compositor/hud-panel/layout';
import type { CompositorStats, LayerStats } from '../../compositor/stats';

const layer = (over: Partial<LayerStats>): LayerStats => ({ id: 1, url: 'http://x/demos/a.js', state: 'running', presented: 0, missed: 0, restarts: 0, error: undefined, version: 1, versions: 1, ...over }) as LayerStats;
const stats = (layers: LayerStats[], focused: number | null = null) => ({ fps: 60, frameMs: 1, timewarp: { enabled: true }, focused, layers }) as unknown as CompositorStats;

describe('HUD panel layout', () => {
  it('gives each layer the buttons its state allows, and finds the one under a point', () => {
    const l = panelLayout(stats([layer({ id: 1, version: 2, versions: 3, visibility: 'visible' }), layer({ id: 2, state: 'quarantined', error: 'frame failed for x' }), layer({ id: 3 })], 1));
    const of = (id: number) => l.buttons.filter((b) => b.layer === id).map((b) => b.action);
    expect(of(1), 'the focused layer').toEqual(['reload', 'undo', 'redo', 'unload']);
    expect(of(2), 'an ended layer cannot take focus').toEqual(['retry', 'reload', 'unload']);
    expect(of(3)).toEqual(['focus', 'reload', 'unload']);
    expect(l.lines.find((line) => line.layer === 1)!.text).toMatch(/· focused$/);
    expect(l.lines.some((line) => line.text.includes('frame failed for x'))).toBe(true);
    const retry = l.buttons.find((b) => b.layer === 2 && b.action === 'retry')!;
    expect(hitButton(l, retry.x + 1, retry.y + 1)).toEqual(retry);
    expect(hitButton(l, 1, 1)).toBeNull();
  });
});

describe('HUD panel vetting line', () => {
  it('shows a version under vetting under its layer, as its preview label does', () => {
    const reload = { vetting: { state: 'measuring', frames: 5, windowFrames: 30, fps: 60, trigger: 'poll', revertTo: undefined, stateCarried: true, stateRestored: false, stagingId: 4 }, queued: false, last: null };
    const l = panelLayout(stats([layer({ id: 1, reload } as Partial<LayerStats>)]));
    expect(l.lines.map((line) => line.text)).toContain('vetting new version (poll) · measuring 5/30 · 60 fps');
  });
});

describe('HUD panel loader', () => {
  it('offers a button per loadable guest (at most LOADER_SLOTS) and chaos at the panel’s foot, below every layer', () => {
    const many = Array.from({ length: 30 }, (_, i) => layer({ id: i + 1 }));
    const urls = ['demos/cubes.js', 'demos/particles.js', 'demos/info-panel.js', 'https://x.example/a.js?b=1', 'demos/extra.js'];
    const l = panelLayout(stats(many), urls);
    const page = l.buttons.filter((b) => b.layer === 0);
    expect(page.map((b) => b.action)).toEqual(['load', 'load', 'load', 'load', 'chaos']);
    expect(page.filter((b) => b.action === 'load').map((b) => [b.url, b.label])).toEqual([
      ['demos/cubes.js', 'cubes.js'],
      ['demos/particles.js', 'particles.js'],
      ['demos/info-panel.js', 'info-panel.js'],
      ['https://x.example/a.js?b=1', 'a.js'],
    ]);
    expect(LOADER_SLOTS).toBe(4);
    const foot = Math.min(...page.map((b) => b.y));
    const layerButtons = l.buttons.filter((b) => b.layer !== 0);
    expect(Math.max(...layerButtons.map((b) => b.y + b.height))).toBeLessThan(foot);
    for (const b of l.buttons) expect(b.x + b.width).toBeLessThanOrEqual(PANEL_PIXELS.width);
    // Each load button is its own: the hit test finds the one under the point.
    const second = page[1]!;
    expect(hitButton(l, second.x + 2, second.y + 2)).toEqual(second);
    expect(sameButton(page[0]!, page[1]!)).toBe(false);
    expect(sameButton(page[1]!, { ...page[1]! })).toBe(true);
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
    const hit = panel.hit({ origin, direction })!;
    expect(hit.x).toBeCloseTo(320, 3);
    expect(hit.y).toBeCloseTo(200, 3);
    expect(hit.t).toBeCloseTo(vec3.distance(origin, centre), 6);
    expect(panel.hit({ origin, direction: vec3.fromValues(1, 0, 0) })).toBeNull();
    expect(panel.hit({ origin, direction: vec3.fromValues(0, 0, 1) })).toBeNull();
  });
});
