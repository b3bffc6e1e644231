// Chaos as a timeline: `npx tsx tooling/chaos-timeline.ts` loads the default page (512×256
// surfaces), presses chaos, and prints every 5 s for 80 s the compositor's frame rate and which
// guests are still going, with the supervision policy's notices (quarantines).
// The README's chaos figures come from it.
import { launchBrowser, newPage } from './driver/harness';
import { startServers } from './driver/servers';
const servers = await startServers();
const browser = await launchBrowser();
try {
  const page = await newPage(browser, { width: 1280, height: 720 });
  page.on('console', (m) => { const t = m.text(); if (t.includes('too slow') || t.includes('quarantin')) console.log('   console:', t.slice(0, 200)); });
  await page.goto(`${servers.appUrl}/?emulator&surface=512x256`);
  await page.waitForFunction(() => window.compositor?.stats().layers.every((l) => l.state === 'running'), null, { timeout: 60_000 });
  await page.click('.hud-chaos');
  const t0 = Date.now();
  let frames = await page.evaluate(() => window.compositor.stats().frames);
  for (let i = 0; i < 16; i++) {
    await page.waitForTimeout(5000);
    const s = await page.evaluate(() => window.compositor.stats());
    const fps = (s.frames - frames) / 5;
    frames = s.frames;
    const counts: Record<string, number> = {};
    for (const l of s.layers) counts[l.state] = (counts[l.state] ?? 0) + 1;
    const alive = s.layers.filter((l) => !['quarantined', 'failed', 'closed'].includes(l.state)).map((l) => `${l.url.replace(/^.*\//, '')}:${l.state}:r${l.restarts}`);
    console.log(`${((Date.now() - t0) / 1000).toFixed(0)}s fps ${fps.toFixed(1)} ${JSON.stringify(counts)} alive: ${alive.join(' ')}`);
  }
  const s = await page.evaluate(() => window.compositor.stats());
  for (const l of s.layers) if (l.state === 'quarantined') console.log(`   ${l.error}`);
} finally {
  await browser.close();
  await servers.close();
}
