import { startServers } from '/work/main/test/browser/servers';
import { launchBrowser, newPage } from '/work/main/test/browser/harness';
const s = await startServers();
const b = await launchBrowser();
for (const fx of process.argv.slice(2)) {
  const page = await newPage(b, { width: 480, height: 240 });
  page.on('crash', () => console.log('PAGE CRASH'));
  await page.goto(`${s.appUrl}/?emulator&surface=128x64&startupMs=1500&guest=demos/solid.js&guest=demos/hostile/${fx}`);
  const t0 = Date.now();
  let last = '';
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(500);
    const st: any = await page.evaluate(() => window.compositor.stats()).catch((e) => ({ err: String(e) }));
    if (st.err) { console.log(fx, 'eval failed', st.err.slice(0, 100)); break; }
    const h = st.layers[0], x = st.layers[1];
    const line = `${x.state} r=${x.restarts} m=${x.missed} pace=${x.pacing} lat=${x.latencyMs.toFixed(0)} stray=${x.strayMessages}`;
    if (line !== last) console.log(`${fx} t=${Date.now() - t0} fps=${st.fps.toFixed(0)} healthy=${h.state}/${h.presented}/${st.frames} ${line} ${x.error ?? ''} ${x.stateReason ?? ''}`.slice(0, 400));
    last = line;
    if (['quarantined', 'failed'].includes(x.state)) break;
  }
  await page.close().catch(() => {});
}
await b.close(); await s.close();
