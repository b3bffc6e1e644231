// Regenerates the README's screenshots: `npx tsx tooling/screenshots.ts` (headless Chromium,
// the test servers). emulator.png: the default page (demo guests, HUD). chaos.png: the HUD 30 s
// after the chaos button loaded the hostile gallery beside the demos. controller.png: the
// in-headset HUD panel (hud=panel) with the emulated controller's beam on one of its buttons.
import { resolve } from 'node:path';
import { launchBrowser, newPage } from './driver/harness';
import { startServers } from './driver/servers';
import { capture, projectToCanvas } from './driver/capture';

const out = resolve(import.meta.dirname, '../docs/screenshots');
const servers = await startServers();
const browser = await launchBrowser();
try {
  const page = await newPage(browser, { width: 1280, height: 640 });
  await page.goto(`${servers.appUrl}/?emulator&surface=1024x512`);
  await page.waitForFunction(() => window.compositor?.stats().layers.every((l) => l.state === 'running' && l.presented > 20), null, { timeout: 60_000 });
  await page.evaluate(() => window.compositor.emulator!.setPose([0, 1.6, 0.3], [0, Math.sin(-0.12), 0, Math.cos(-0.12)]));
  await page.waitForTimeout(1500);
  await page.screenshot({ path: resolve(out, 'emulator.png') });
  await page.close();
  // The in-headset HUD panel, the head turned towards it, the controller on a layer's reload button.
  const headset = await newPage(browser, { width: 1280, height: 640 });
  await headset.goto(`${servers.appUrl}/?emulator&hud=panel&surface=1024x512`);
  await headset.waitForFunction(() => window.compositor?.stats().layers.every((l) => l.state === 'running' && l.presented > 20), null, { timeout: 60_000 });
  // 0.7 m in front of the panel (1 m ahead, 25° to the left), facing it, looking a little down.
  const yaw = (25 * Math.PI) / 180;
  const pitch = -0.1;
  // Yaw left about +y, then pitch down about the head's x: q = qy · qx.
  const [cy, sy, cp, sp] = [Math.cos(yaw / 2), Math.sin(yaw / 2), Math.cos(pitch / 2), Math.sin(pitch / 2)];
  await headset.evaluate((q) => window.compositor.emulator!.setPose([-0.25, 1.42, -0.37], q), [cy * sp, sy * cp, -sy * sp, cy * cp] as [number, number, number, number]);
  await headset.waitForTimeout(1000);
  const panel = (await headset.evaluate(() => window.compositor.hudPanel()))!;
  const button = panel.buttons.find((b) => b.action === 'reload') ?? panel.buttons[0]!;
  const u = (button.x + button.width / 2) / panel.pixels.width - 0.5;
  const v = 0.5 - (button.y + button.height / 2) / panel.pixels.height;
  const angle = 2 * Math.atan2(panel.pose.orientation![1]!, panel.pose.orientation![3]!);
  const [px, py, pz] = panel.pose.position as [number, number, number];
  const world: [number, number, number, number] = [px + Math.cos(angle) * u * panel.pose.width, py + v * panel.pose.height, pz - Math.sin(angle) * u * panel.pose.width, 1];
  const c = await capture(headset, { x: 0, y: 0, width: 1, height: 1 });
  const [sx, syy] = projectToCanvas(c.views[1]!, world);
  await headset.mouse.move(sx, 640 - syy);
  await headset.waitForTimeout(500);
  await headset.screenshot({ path: resolve(out, 'controller.png') });
  await headset.close();
  // Chaos on smaller surfaces (17 guests on this 2-core, software-GL machine), once the policy has acted.
  const chaos = await newPage(browser, { width: 1280, height: 720 });
  await chaos.goto(`${servers.appUrl}/?emulator&surface=512x256`);
  await chaos.waitForFunction(() => window.compositor?.stats().layers.every((l) => l.state === 'running'), null, { timeout: 60_000 });
  await chaos.click('.hud-chaos');
  await chaos.waitForTimeout(30_000);
  await chaos.screenshot({ path: resolve(out, 'chaos.png') });
  await chaos.close();
} finally {
  await browser.close();
  await servers.close();
}
