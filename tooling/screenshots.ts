// Regenerates the README's screenshots: `npx tsx tooling/screenshots.ts` (headless Chromium,
// the test servers). emulator.png: the default page (demo guests, HUD). chaos.png: the HUD 30 s
// after the chaos button loaded the hostile gallery beside the demos.
import { resolve } from 'node:path';
import { launchBrowser, newPage } from '../test/browser/harness';
import { startServers } from '../test/browser/servers';

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
