import { startServers } from '/work/main/test/browser/servers';
import { launchBrowser, newPage } from '/work/main/test/browser/harness';
import { HOSTILE_FIXTURES } from '/work/main/demos/hostile/catalog';
const s = await startServers();
const b = await launchBrowser();
const page = await newPage(b, { width: 480, height: 240 });
const q = new URLSearchParams({ emulator: '1', surface: '128x64' });
q.append('guest', 'demos/solid.js?color=00ff00&rect=0,0,1,0.5');
for (const f of HOSTILE_FIXTURES) q.append('guest', `demos/hostile/${f.file}`);
await page.goto(`${s.appUrl}/?${q}`);
for (let i = 0; i < 6; i++) {
  await page.waitForTimeout(8000);
  const st: any = await page.evaluate(() => window.compositor.stats());
  console.log(`--- t=${(i + 1) * 8}s fps=${st.fps.toFixed(0)}`);
  for (const l of st.layers) if (!['failed','quarantined'].includes(l.state)) console.log(`${l.url.split('/').pop().slice(0, 30).padEnd(30)} ${l.state} pace=${l.pacing} med=${l.medianLatencyMs.toFixed(0)} lat=${l.latencyMs.toFixed(0)} r=${l.restarts} ${l.stateReason ?? ''}`);
}
await b.close(); await s.close();
