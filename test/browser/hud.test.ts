// The desktop experience: every HUD action and shortcut, the URL box, stereo/mono and the other
// emulator settings, the recorded-path player, and the trace export.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { canvasSize, canvasToPage, launchBrowser, layer, openCompositor, stats, waitForLayerState } from '../../tooling/driver/harness';
import { capture, eyePixel, projectToCanvas } from '../../tooling/driver/capture';
import { HOSTILE_FIXTURES } from '../../demos/hostile/catalog';
import { emulatedHand } from '../../compositor/emulator/hand';

const app = inject('appUrl');
const scratch = resolve(import.meta.dirname, '../../demos/scratch');
let browser: Browser;
beforeAll(async () => {
  mkdirSync(scratch, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(resolve(scratch, `hud-${process.pid}.js`), { force: true });
});

/** Room for the whole HUD panel (it is fixed over the view and does not scroll). */

const row = (page: Page, id: number) => page.locator(`.hud-layer[data-layer-id="${id}"]`);

/** Colour of one canvas pixel (GL coordinates, origin bottom-left). */
async function pixel(page: Page, x: number, y: number): Promise<number[]> {
  const c = await capture(page, { x, y, width: 1, height: 1 });
  return Array.from(c.pixels.subarray(0, 3));
}

describe('HUD', () => {
  it('loads a guest from the URL box, says why a bad URL cannot load, and unloads from the layer’s button', async () => {
    const page = await openCompositor(browser, app, { guests: ['demos/solid.js?color=ff0000'] });
    await waitForLayerState(page, 1, ['running']);
    await page.fill('.hud-load-url', 'demos/solid.js?color=00ff00&rect=0.5,0,0.5,1');
    await page.click('.hud-load-button');
    await waitForLayerState(page, 2, ['running']);
    await expect.poll(() => row(page, 2).locator('.hud-state').textContent()).toBe('running');
    await page.fill('.hud-load-url', 'ftp://example.test/x.js');
    await page.click('.hud-load-button');
    await waitForLayerState(page, 3, ['failed']);
    await expect.poll(() => row(page, 3).locator('.hud-error').textContent()).toMatch(/must be http\(s\)/);
    await row(page, 2).locator('.hud-unload').click();
    await expect.poll(async () => (await stats(page)).layers.map((l) => l.id)).toEqual([1, 3]);
    await expect.poll(() => row(page, 2).count()).toBe(0);
    await page.close();
  });

  it('retries a quarantined guest from its button; reload, undo and redo buttons move between versions', async () => {
    const file = resolve(scratch, `hud-${process.pid}.js`);
    const colour = (rgb: string) => `export default { frame(ctx) { ctx.gl.clearColor(${rgb}, 1); ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT); } };\n`;
    writeFileSync(file, colour('1, 0, 0'));
    const page = await openCompositor(browser, app, {
      guests: [`demos/scratch/hud-${process.pid}.js`, 'demos/hostile/throw-in-frame.js'],
      extra: { maxRestarts: '0', watch: '0' }, // no automatic reloads: the button does it
    });
    await waitForLayerState(page, 1, ['running']);
    await waitForLayerState(page, 2, ['quarantined']);
    await row(page, 2).locator('.hud-retry').click();
    await expect.poll(async () => (await layer(page, 2)).history.some((h) => h.event === 'retried')).toBe(true);

    writeFileSync(file, colour('0, 1, 0'));
    await row(page, 1).locator('.hud-reload').click();
    await expect.poll(async () => (await layer(page, 1)).version, { timeout: 20_000 }).toBe(2);
    await expect.poll(() => eyePixel(page, 0, 0.5, 0.5)).toEqual([0, 255, 0]);
    await row(page, 1).locator('.hud-undo').click();
    await expect.poll(async () => (await layer(page, 1)).version, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => eyePixel(page, 0, 0.5, 0.5)).toEqual([255, 0, 0]);
    await expect.poll(() => row(page, 1).locator('.hud-redo').isVisible()).toBe(true);
    await row(page, 1).locator('.hud-redo').click();
    await expect.poll(async () => (await layer(page, 1)).version, { timeout: 20_000 }).toBe(2);
    await page.close();
  });

  it('chaos loads the whole hostile gallery beside what runs; Alt+H hides and shows the HUD', async () => {
    const page = await openCompositor(browser, app, { guests: ['demos/solid.js?color=ff0000'], extra: { startupMs: '1500' } });
    await page.click('.hud-chaos');
    const urls = (await stats(page)).layers.map((l) => l.url.replace(/^.*\/demos\//, ''));
    expect(urls).toEqual(['solid.js?color=ff0000', ...HOSTILE_FIXTURES.map((f) => `hostile/${f.file}`)]);
    await page.keyboard.press('Alt+H');
    expect(await page.locator('#hud').isHidden()).toBe(true);
    await page.keyboard.press('Alt+H');
    expect(await page.locator('#hud').isVisible()).toBe(true);
    await page.close();
  });

  it('exports the last seconds of frame timing as a trace that parses and holds frames, requests, deliveries, composites and restarts', async () => {
    const page = await openCompositor(browser, app, { guests: ['demos/solid.js?color=ff0000', 'demos/hostile/throw-in-frame.js'], extra: { maxRestarts: '1' } });
    await waitForLayerState(page, 2, ['quarantined']);
    await page.waitForTimeout(2500);
    const download = page.waitForEvent('download');
    await page.keyboard.press('Alt+T');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^steadfast-trace-.*\.json$/);
    const trace = JSON.parse(await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8')) as { traceEvents: { name: string; ph: string; tid: number; ts: number; dur?: number; args?: Record<string, unknown> }[] };
    const events = trace.traceEvents;
    const named = (name: string, tid?: number) => events.filter((e) => e.name === name && (tid === undefined || e.tid === tid));
    expect(named('thread_name').map((e) => e.args?.name)).toEqual(expect.arrayContaining(['compositor frames', expect.stringMatching(/^layer 1: .*solid\.js/), expect.stringMatching(/^layer 2: .*throw-in-frame\.js/)]));
    expect(named('compositor frame', 0).length).toBeGreaterThan(100);
    expect(named('compositor frame', 0).every((e) => e.ph === 'X' && e.dur! >= 1)).toBe(true);
    expect(named('frame requested', 1).length).toBeGreaterThan(50);
    expect(named('guest frame', 1).length).toBeGreaterThan(50);
    expect(named('composited', 1).length).toBeGreaterThan(50);
    expect(named('restart', 2).length).toBe(1);
    expect(named('state: quarantined', 2).length).toBe(1);
    const frames = named('compositor frame', 0).map((e) => e.ts);
    expect(frames).toEqual([...frames].sort((a, b) => a - b));
    // The HUD's button saves the same file.
    const viaButton = page.waitForEvent('download');
    await page.click('.hud-trace');
    expect((await viaButton).suggestedFilename()).toMatch(/^steadfast-trace-.*\.json$/);
    // And the same object through the API.
    const api = await page.evaluate(() => window.compositor.exportTrace(2).traceEvents.filter((e) => e.name === 'compositor frame').length);
    expect(api).toBeGreaterThan(60);
    expect(api).toBeLessThan(named('compositor frame', 0).length);
    await page.close();
  });
});

describe('in-headset HUD panel', () => {
  it('is drawn by the compositor in the world, and its buttons answer the emulated controller', async () => {
    const page = await openCompositor(browser, app, {
      guests: ['demos/solid.js?color=202020', 'demos/hostile/throw-in-frame.js'],
      // Exact pixels: points are projected to canvas pixels once and the mouse put there; an output
      // scale change mid-test (the compositor adapting to this machine) would move every one of them.
      extra: { hud: 'panel', maxRestarts: '0', adapt: '0' },
    });
    await waitForLayerState(page, 2, ['quarantined']);
    await page.waitForFunction(() => window.compositor.stats().layers[0]!.presented > 5); // the room is on screen
    expect(await page.locator('#hud').isHidden(), 'no DOM HUD').toBe(true);
    await page.waitForFunction(() => window.compositor.hudPanel()!.buttons.some((b) => b.layer === 2 && b.action === 'retry'));
    const panel = (await page.evaluate(() => window.compositor.hudPanel()))!;
    const retry = panel.buttons.find((b) => b.layer === 2 && b.action === 'retry')!;
    const c = await capture(page, { x: 0, y: 0, width: 1, height: 1 });
    const [px, py] = projectToCanvas(c.views[0]!, [...panelPoint(panel, retry.x + retry.width / 2, retry.y + retry.height / 2), 1]);
    // The panel is there on screen: at its centre (below the text) its body, rgba(10, 14, 24, 0.88),
    // blended over the room's grey (read in a corner of the eye the panel does not cover): about
    // (13, 16, 25) over 0x202020. Without the panel the pixel would be the room's (or, with no guest
    // drawn, the clear colour (5, 5, 8)); both are far outside the margin.
    const [cx, cy] = projectToCanvas(c.views[0]!, [...panel.pose.position, 1]);
    const body = await pixel(page, Math.round(cx), Math.round(cy));
    const room = await pixel(page, 2, 2);
    expect(room, 'the room (solid.js 202020) behind the panel').toEqual([0x20, 0x20, 0x20]);
    const panelOverRoom = [10, 14, 24].map((c, i) => c * 0.88 + room[i]! * 0.12);
    for (let i = 0; i < 3; i++) expect(Math.abs(body[i]! - panelOverRoom[i]!), `panel pixel ${body}, expected about ${panelOverRoom.map(Math.round)}`).toBeLessThanOrEqual(4);
    await page.mouse.move(...(await canvasToPage(page, px, py)));
    await expect.poll(async () => (await page.evaluate(() => window.compositor.hudPanel()!.hovered))?.action).toBe('retry');
    await page.keyboard.down('f');
    await page.waitForTimeout(100);
    await page.keyboard.up('f');
    await expect.poll(async () => (await layer(page, 2)).history.some((h) => h.event === 'retried')).toBe(true);
    // The loader row at its foot (a headset has no keyboard for a URL): load the info panel demo.
    const load = panel.buttons.find((b) => b.action === 'load' && b.url === 'demos/info-panel.js')!;
    expect(load, `loader offers ${panel.buttons.filter((b) => b.action === 'load').map((b) => b.url)}`).toBeTruthy();
    const [lx, ly] = projectToCanvas(c.views[0]!, [...panelPoint(panel, load.x + load.width / 2, load.y + load.height / 2), 1]);
    await page.mouse.move(...(await canvasToPage(page, lx, ly)));
    await expect.poll(async () => (await page.evaluate(() => window.compositor.hudPanel()!.hovered))?.url).toBe('demos/info-panel.js');
    await page.keyboard.down('f');
    await page.waitForTimeout(100);
    await page.keyboard.up('f');
    await expect.poll(async () => (await stats(page)).layers.map((l) => l.url.replace(/^.*\//, ''))).toContain('info-panel.js');
    await page.close();
  });
});

/** A point of the HUD panel (panel pixels, origin top-left) in the world: its own plane, then its pose. */
function panelPoint(panel: { pose: { position: number[]; orientation?: number[] | undefined; width: number; height: number }; pixels: { width: number; height: number } }, x: number, y: number): [number, number, number] {
  const u = x / panel.pixels.width - 0.5;
  const v = 0.5 - y / panel.pixels.height;
  const [qx, qy, qz, qw] = panel.pose.orientation ?? [0, 0, 0, 1];
  const local = [u * panel.pose.width, v * panel.pose.height, 0];
  // Rotate by the quaternion (v' = q v q*), then place.
  const cross = (a: number[], b: number[]) => [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
  const t = cross([qx!, qy!, qz!], local).map((c) => 2 * c);
  const rotated = local.map((c, i) => c + qw! * t[i]! + cross([qx!, qy!, qz!], t)[i]!);
  return rotated.map((c, i) => c + panel.pose.position[i]!) as [number, number, number];
}

describe('emulated controller', () => {
  it('points at a quad layer, shows its beam and cursor, and its trigger selects it for the edit shortcuts', async () => {
    const page = await openCompositor(browser, app, {
      guests: ['demos/solid.js?color=202020', `${inject('crossUrl')}/panel.js?type=quad&pos=0.3,1.6,-2&size=0.6,0.4`],
      // Exact pixels, as above: no output scale change under the projected points.
      extra: { hud: '0', adapt: '0' },
    });
    await waitForLayerState(page, 2, ['running']);
    const c = await capture(page, { x: 0, y: 0, width: 1, height: 1 });
    const target: [number, number, number] = [0.35, 1.62, -2];
    const [x, y] = projectToCanvas(c.views[0]!, [...target, 1]);
    const under = () => pixel(page, Math.floor(x), Math.floor(y));
    // No pointer until the mouse is over the view: the quad's own green there.
    expect(await under()).toEqual([0, 255, 0]);
    await page.mouse.move(...(await canvasToPage(page, x, y)));
    await expect.poll(async () => (await stats(page)).pointedLayer).toBe(2);
    // The cursor on the quad where the mouse points: light blue, not the quad's green.
    await expect.poll(async () => (await under())[2]).toBeGreaterThan(200);
    // The beam, from the hand low and to the right to the cursor: near its midpoint on screen
    // something bluish, where the quad is green and the room dark grey.
    const hand = emulatedHand(c.views)!;
    const mid: [number, number, number, number] = [(hand[0] + target[0]) / 2, (hand[1] + target[1]) / 2, (hand[2] + target[2]) / 2, 1];
    const [bx, by] = projectToCanvas(c.views[0]!, mid);
    const around = await capture(page, { x: Math.round(bx) - 4, y: Math.round(by) - 4, width: 9, height: 9 });
    const bluest = Math.max(...Array.from({ length: 81 }, (_, i) => around.pixels[i * 4 + 2]!));
    expect(bluest, 'beam near its midpoint').toBeGreaterThan(120);
    // Pointing away: nothing pointed at, the cursor gone from the quad.
    await page.mouse.move(20, 20);
    await expect.poll(async () => (await stats(page)).pointedLayer).toBeNull();
    await expect.poll(under).toEqual([0, 255, 0]);
    // The trigger held: the cursor turns warm white (red up, where light blue has less); the press selects.
    await page.mouse.move(...(await canvasToPage(page, x, y)));
    await page.keyboard.down('f');
    await expect.poll(async () => (await under())[0]).toBeGreaterThan(200);
    await page.keyboard.up('f');
    await expect.poll(async () => (await stats(page)).lastEdited).toBe(2);
    // The mouse leaving the view takes the pointer with it.
    await page.mouse.move(...(await canvasToPage(page, x, y)));
    await page.dispatchEvent('#view', 'pointerleave');
    await expect.poll(async () => (await stats(page)).pointedLayer).toBeNull();
    await page.close();
  });
});

describe('emulator', () => {
  it('toggles stereo side by side and one full-window eye with V (and view=mono)', async () => {
    // Each eye's left half red: stereo shows two red quarters, mono one red half.
    const page = await openCompositor(browser, app, { guests: ['demos/solid.js?color=ff0000&rect=0,0,0.5,1'], extra: { hud: '0' } });
    await waitForLayerState(page, 1, ['running']);
    // Four points across the middle of the canvas, one in each quarter.
    const rowOf = async (p: Page) => {
      const { width, height } = await canvasSize(p);
      return Promise.all([0.125, 0.375, 0.625, 0.875].map(async (f) => (await pixel(p, Math.floor(f * width), Math.floor(height / 2)))[0]! > 200));
    };
    const row = () => rowOf(page);
    await expect.poll(row).toEqual([true, false, true, false]);
    await page.keyboard.press('v');
    await expect.poll(row).toEqual([true, true, false, false]);
    const mono = await capture(page, { x: 0, y: 0, width: 1, height: 1 });
    const size = await canvasSize(page);
    expect(mono.views.map((v) => v.viewport)).toEqual([{ x: 0, y: 0, width: size.width, height: size.height }]);
    await page.keyboard.press('v');
    await expect.poll(row).toEqual([true, false, true, false]);
    await page.close();
    const fromUrl = await openCompositor(browser, app, { guests: ['demos/solid.js?color=ff0000&rect=0,0,0.5,1'], extra: { hud: '0', view: 'mono' } });
    // The page presents before its guest has started (spawning it takes about a second here, longer on a
    // loaded machine): wait for the guest's first frame, not for a fixed time.
    await waitForLayerState(fromUrl, 1, ['running']);
    await expect.poll(() => rowOf(fromUrl)).toEqual([true, true, false, false]);
    await fromUrl.close();
  });

  it('walks with WASD and Q/E, faster with Shift; Alt+R reloads the layer most recently edited', async () => {
    const file = resolve(scratch, `hud-${process.pid}.js`);
    writeFileSync(file, 'export default { frame(ctx) { ctx.gl.clearColor(1, 0, 0, 1); ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT); } };\n');
    const page = await openCompositor(browser, app, { guests: [`demos/scratch/hud-${process.pid}.js`], extra: { hud: '0', watch: '0' } });
    await waitForLayerState(page, 1, ['running']);
    const z = async () => (await page.evaluate(() => window.compositor.emulator!.pose())).position[2];
    const walk = async (keys: string[], ms: number) => {
      const before = await z();
      for (const k of keys) await page.keyboard.down(k);
      await page.waitForTimeout(ms);
      for (const k of [...keys].reverse()) await page.keyboard.up(k);
      return before - (await z());
    };
    const plain = await walk(['w'], 600);
    const fast = await walk(['Shift', 'W'], 600);
    expect(plain, 'W walks forward (−z) at about 1.5 m/s').toBeGreaterThan(0.4);
    expect(fast / plain, 'Shift triples the speed').toBeGreaterThan(2);
    const up = (await page.evaluate(() => window.compositor.emulator!.pose())).position[1];
    await page.keyboard.down('e');
    await page.waitForTimeout(300);
    await page.keyboard.up('e');
    expect((await page.evaluate(() => window.compositor.emulator!.pose())).position[1]).toBeGreaterThan(up + 0.2);

    writeFileSync(file, 'export default { frame(ctx) { ctx.gl.clearColor(0, 0, 1, 1); ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT); } };\n');
    await page.keyboard.press('Alt+R');
    await expect.poll(async () => (await layer(page, 1)).version, { timeout: 20_000 }).toBe(2);
    await expect.poll(() => eyePixel(page, 0, 0.5, 0.5)).toEqual([0, 0, 255]);
    await page.close();
  });

  it('takes IPD, field of view and refresh rate from the URL and the API, and records a head path that plays back', async () => {
    const page = await openCompositor(browser, app, { extra: { hud: '0', ipd: '70', fov: '100', hz: '90' }, guests: ['demos/solid.js'] });
    const c = await capture(page, { x: 0, y: 0, width: 1, height: 1 });
    const [left, right] = c.views;
    // View matrices are eye-from-world: their x translations differ by the IPD.
    expect(left!.viewMatrix[12]! - right!.viewMatrix[12]!).toBeCloseTo(0.07, 6);
    expect(left!.projectionMatrix[5]).toBeCloseTo(1 / Math.tan((50 * Math.PI) / 180), 5);
    await page.waitForTimeout(2000);
    // Frames come on the emulated display's 90 Hz grid: each frame's time (the one its pose is
    // for) is a whole number of 11.1 ms ticks after the previous one. A frame that runs long skips
    // ticks, as on a headset; how many pass depends on the machine (the headless page itself
    // presents at 60 Hz and the GPU process holds frames back), not the grid. The page's own 60 Hz
    // would put frames 16.7 ms (1.5 ticks) apart.
    const times = await page.evaluate(() => window.compositor.exportTrace(1.5).traceEvents.filter((e) => e.name === 'compositor frame').map((e) => Number((e.args as { time: number }).time)));
    const tick = 1000 / 90;
    const ticks = times.slice(1).map((t, i) => (t - times[i]!) / tick);
    expect(ticks.length, 'frames in 1.5 s').toBeGreaterThan(20);
    const offGrid = ticks.filter((n) => n < 0.98 || Math.abs(n - Math.round(n)) > 0.02);
    expect(offGrid, `intervals in ticks: ${ticks.map((n) => n.toFixed(2)).join(' ')}`).toEqual([]);
    const settings = await page.evaluate(() => window.compositor.emulator!.configure({ ipd: 0.06, hz: 60 }));
    expect(settings).toMatchObject({ ipd: 0.06, fovY: 100, hz: 60, view: 'stereo' });
    await expect(page.evaluate(() => window.compositor.emulator!.configure({ hz: 75 as 60 }))).rejects.toThrow(/hz=75 ignored/);

    await page.evaluate(() => window.compositor.emulator!.record());
    await page.evaluate(() => window.compositor.emulator!.setPose([0, 1.6, 0], [0, 0, 0, 1]));
    await page.waitForTimeout(200);
    await page.evaluate(() => window.compositor.emulator!.setPose([1, 1.6, 0], [0, Math.sin(0.25), 0, Math.cos(0.25)]));
    await page.waitForTimeout(200);
    const path = await page.evaluate(() => window.compositor.emulator!.stopRecording());
    expect(path.length).toBeGreaterThan(10);
    expect(path.at(-1)!.position.map((v) => +v.toFixed(5))).toEqual([1, 1.6, 0]);
    await page.evaluate((p) => window.compositor.emulator!.play(p), path);
    await page.waitForTimeout(100);
    expect((await page.evaluate(() => window.compositor.emulator!.pose())).position[0]).toBeLessThan(1);
    await page.waitForTimeout(600);
    expect((await page.evaluate(() => window.compositor.emulator!.pose())).position.map((v) => +v.toFixed(5))).toEqual([1, 1.6, 0]);
    await page.close();
  });
});
