// three.js as its users write it: `import * as THREE from 'three'` and `three/addons/…` inside a
// guest from another origin resolve to the runtime's own three.js and its addons (served from the
// compositor's origin); hot reload keeps working; an unknown bare specifier fails saying so; and
// three.js runs in a guest's worker only once the guest uses it.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, layer, openCompositor, waitForLayerState } from '../../tooling/driver/harness';
import { capture } from '../../tooling/driver/capture';

const app = inject('appUrl');
const cross = inject('crossUrl'); // serves test/fixtures with CORS, from another origin
const dir = resolve(import.meta.dirname, '../fixtures/scratch-three');
let browser: Browser;
beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A room of yellow lines (three's BoxLineGeometry addon) on a plain background, written as a three.js page would be. */
function roomSource(background: string): string {
  return `import * as THREE from 'three';
import { BoxLineGeometry } from 'three/addons/geometries/BoxLineGeometry.js';
let scene;
let stereo;
let geometry;
let sameThree = false;
export default {
  setup(ctx) {
    sameThree = ctx.THREE === THREE;
    scene = new THREE.Scene();
    scene.background = new THREE.Color(${background});
    geometry = new BoxLineGeometry(4, 4, 4, 8, 8, 8).translate(0, 1.6, 0);
    scene.add(new THREE.LineSegments(geometry, new THREE.LineBasicMaterial({ color: 0xffff00 })));
    stereo = ctx.createThreeRenderer();
  },
  frame() {
    stereo.render(scene);
  },
  snapshot() {
    return { sameThree, addonIsThreeGeometry: geometry instanceof THREE.BufferGeometry };
  },
};
`;
}

let n = 0;
function write(source: string): string {
  const name = `three-${process.pid}-${++n}.js`;
  writeFileSync(resolve(dir, name), source);
  return name;
}

/** Counts of yellow (line) and of background-coloured pixels in the left eye. */
async function colours(page: Page, background: number[]): Promise<{ lines: number; background: number }> {
  const eye = (await capture(page, { x: 0, y: 0, width: 1, height: 1 })).views[0]!.viewport;
  const shot = await capture(page, eye);
  let lines = 0;
  let bg = 0;
  for (let i = 0; i < shot.pixels.length; i += 4) {
    const [r, g, b] = [shot.pixels[i]!, shot.pixels[i + 1]!, shot.pixels[i + 2]!];
    if (r > 200 && g > 200 && b < 80) lines += 1;
    else if (Math.abs(r - background[0]!) < 8 && Math.abs(g - background[1]!) < 8 && Math.abs(b - background[2]!) < 8) bg += 1;
  }
  return { lines, background: bg };
}

describe('three.js imports as pages write them', () => {
  it('a guest from another origin imports three and an addon by their bare names: it draws, with the runtime’s own three.js; a hot reload keeps working', async () => {
    const name = write(roomSource('0, 0, 1'));
    const page = await openCompositor(browser, app, { guests: [`${cross}/scratch-three/${name}`], extra: { hud: '0' } });
    await waitForLayerState(page, 1, ['running']);
    const state = (await page.evaluate(() => window.compositor.snapshot(1))) as { sameThree: boolean; addonIsThreeGeometry: boolean };
    expect(state, 'ctx.THREE is the module the guest imported as three; the addon built a geometry of that three').toEqual({ sameThree: true, addonIsThreeGeometry: true });
    await expect.poll(() => colours(page, [0, 0, 255]), { timeout: 10_000 }).toMatchObject({ lines: expect.any(Number) });
    const drawn = await colours(page, [0, 0, 255]);
    expect(drawn.lines, 'the addon’s lines are drawn').toBeGreaterThan(100);
    expect(drawn.background, 'over the background').toBeGreaterThan(1000);
    // Saved again, with a red background: polled, vetted and swapped in like any guest.
    writeFileSync(resolve(dir, name), roomSource('1, 0, 0'));
    await page.waitForFunction(() => window.compositor.stats().layers[0]!.version === 2, null, { timeout: 20_000 });
    await expect.poll(async () => (await colours(page, [255, 0, 0])).background, { timeout: 10_000 }).toBeGreaterThan(1000);
    expect((await colours(page, [255, 0, 0])).lines).toBeGreaterThan(100);
    expect((await layer(page, 1)).restarts).toBe(0);
    await page.close();
  });

  it('a three.js example ported with its imports unchanged shows both controllers’ models, loaded from the compositor’s origin', async () => {
    const page = await openCompositor(browser, app, { guests: ['demos/xr-cubes.js'], extra: { hud: '0' } });
    await waitForLayerState(page, 1, ['running']);
    await page.evaluate(() => {
      window.compositor.focus(1); // a guest gets the controllers while it has focus
      window.compositor.emulator!.input('left', { aim: [-0.5, 1.4, -2] });
      window.compositor.emulator!.input('right', { aim: [0.5, 1.4, -2] });
    });
    await expect
      .poll(async () => ((await page.evaluate(() => window.compositor.snapshot(1))) as { modelsLoaded: number }).modelsLoaded, { timeout: 30_000, message: 'controller models loaded' })
      .toBe(2);
    const { profilesPath } = (await page.evaluate(() => window.compositor.snapshot(1))) as { profilesPath: string };
    expect(profilesPath, 'XRControllerModelFactory’s default path is the compositor’s own copy of the profiles').toBe(`${app}/@steadfast/webxr-input-profiles/profiles`);
    expect((await layer(page, 1)).restarts).toBe(0);
    await page.close();
  });

  it.each(['sandbox', 'worker'] as const)('three.js runs in a guest’s worker only when the guest first reads ctx.THREE, and works from then on (isolation=%s)', async (isolation) => {
    const page = await openCompositor(browser, app, { guests: [`${cross}/late-three.js`], extra: { hud: '0', isolation } });
    await waitForLayerState(page, 1, ['running']);
    // Its scene's background, green, fills the eye once it draws with three.js.
    await expect.poll(async () => (await colours(page, [0, 255, 0])).background, { timeout: 15_000 }).toBeGreaterThan(1000);
    const { registeredAt, threeMs } = (await page.evaluate(() => window.compositor.snapshot(1))) as { registeredAt: string | null; threeMs: number };
    console.log(`late three.js (${isolation}): its first ctx.THREE and renderer took ${threeMs} ms in frame 3`);
    expect(registeredAt, 'three.js ran (its devtools hook heard it) in the frame that first read ctx.THREE, not with the runtime').toBe('frame 3');
    // Running three.js blocks that frame for as long as it takes (hundreds of ms here, over the
    // 250 ms hang limit): the runtime says so first, and the guest is busy, not hung.
    const l = await layer(page, 1);
    expect(l.restarts, `restarted: ${l.error ?? ''}`).toBe(0);
    await page.close();
  });

  it('without three.js to hand (its script could not be fetched), a guest that imports it fails at load saying so; a plain guest beside it runs', async () => {
    const context = await browser.newContext();
    await context.route('**/@steadfast/three.js', (route) => route.abort());
    const name = write(roomSource('0, 0, 1'));
    const page = await openCompositor(context, app, { guests: [`${cross}/scratch-three/${name}`, 'demos/solid.js?color=00ff00'], extra: { hud: '0' } });
    const failed = await waitForLayerState(page, 1, ['failed']);
    expect(failed.errorPhase).toBe('load');
    expect(failed.error).toMatch(/three\.js is not available to this guest: the compositor could not fetch \/@steadfast\/three\.js/);
    await waitForLayerState(page, 2, ['running']);
    await context.close();
  });

  it('an unknown bare specifier fails at load, naming it and what to do', async () => {
    const name = write("import GUI from 'lil-gui';\nexport default { frame() {} };\n");
    const page = await openCompositor(browser, app, { guests: [`${cross}/scratch-three/${name}`], extra: { hud: '0' } });
    await waitForLayerState(page, 1, ['failed']);
    const l = await layer(page, 1);
    expect(l.errorPhase).toBe('load');
    expect(l.error).toMatch(/the bare specifier "lil-gui" \(imported by http:.*three-.*\.js\) does not resolve/);
    await page.close();
  });
});
