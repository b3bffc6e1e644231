// Bench section: what bare three.js imports cost a guest. A guest from another origin imports
// three by name and a set of addons (BoxLineGeometry, GLTFLoader, XRControllerModelFactory,
// OrbitControls, BufferGeometryUtils: the last two import more addons and three itself); the
// same guest without the addon imports (three by name only) is the baseline. Each is loaded in a
// fresh browser context (cold: nothing in the HTTP cache), then saved again five times, each new
// version vetted in a new worker (warm: the HTTP cache holds the files; each worker still
// fetches its graph through it and compiles it, once). The figure is the runtime's own measure of
// the module graph's load (stats().layers[].loadMs, reload phases `load`), at the defaults.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compositorUrl, launchBrowser, newPage, TEST_VIEWPORT } from '../tooling/driver/harness';
import { median } from '../shared/median';

const ADDONS = [
  "import { BoxLineGeometry } from 'three/addons/geometries/BoxLineGeometry.js';",
  "import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';",
  "import { XRControllerModelFactory } from 'three/addons/webxr/XRControllerModelFactory.js';",
  "import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';",
  "import * as BufferGeometryUtils from 'three/addons/utils/BufferGeometryUtils.js';",
];

function source(addons: boolean, edit: number): string {
  return `import * as THREE from 'three';
${addons ? ADDONS.join('\n') : ''}
// edit ${edit}
let scene, stereo;
export default {
  setup(ctx) {
    scene = new THREE.Scene();
    scene.background = new THREE.Color(0.1, 0.1, ${edit % 2});
    ${addons ? "scene.add(new THREE.LineSegments(new BoxLineGeometry(4, 4, 4, 8, 8, 8), new THREE.LineBasicMaterial()));\n    void GLTFLoader; void XRControllerModelFactory; void OrbitControls; void BufferGeometryUtils;" : ''}
    stereo = ctx.createThreeRenderer();
  },
  frame() { stereo.render(scene); },
};
`;
}

export async function benchThreeImports(appUrl: string, crossUrl: string): Promise<void> {
  const dir = resolve(import.meta.dirname, '../test/fixtures/scratch-bench-three');
  mkdirSync(dir, { recursive: true });
  const browser = await launchBrowser();
  try {
    console.log('\n10. Bare three.js imports in a guest from another origin: module-graph load, ms (runtime-measured; default surface, page 1280×720)');
    console.log('   guest                                         cold   warm (median of 5 versions)');
    const rows: [string, number, number][] = [];
    for (const addons of [false, true]) {
      const name = `bench-${addons ? 'addons' : 'plain'}-${process.pid}.js`;
      const file = resolve(dir, name);
      writeFileSync(file, source(addons, 0));
      const context = await browser.newContext({ viewport: TEST_VIEWPORT });
      const page = await newPage(context, TEST_VIEWPORT);
      await page.goto(compositorUrl(appUrl, { guests: [`${crossUrl}/scratch-bench-three/${name}`], extra: { hud: '0' } }));
      await page.waitForFunction(() => window.compositor?.stats().layers[0]?.state === 'running', null, { timeout: 60_000 });
      const cold = (await page.evaluate(() => window.compositor.stats().layers[0]!.loadMs)) ?? NaN;
      const warm: number[] = [];
      for (let edit = 1; edit <= 5; edit++) {
        writeFileSync(file, source(addons, edit));
        await page.waitForFunction((v) => window.compositor.stats().layers[0]!.version === v && window.compositor.stats().layers[0]!.reload.vetting === null, edit + 1, { timeout: 30_000 });
        warm.push((await page.evaluate(() => window.compositor.stats().layers[0]!.reload.last?.phases?.load)) ?? NaN);
      }
      rows.push([addons ? `three + ${ADDONS.length} addon imports (their own imports too)` : 'three only (baseline)', cold, median(warm)]);
      await context.close();
      rmSync(file, { force: true });
    }
    for (const [name, cold, warm] of rows) console.log(`   ${name.padEnd(44)} ${String(Math.round(cold)).padStart(5)}   ${String(Math.round(warm)).padStart(5)}`);
    console.log(`   addons' share: cold +${Math.round(rows[1]![1] - rows[0]![1])} ms, warm +${Math.round(rows[1]![2] - rows[0]![2])} ms per worker`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
