import { startServers } from '/work/main/test/browser/servers';
import { launchBrowser } from '/work/main/test/browser/harness';
const s = await startServers(); const b = await launchBrowser(); const p = await b.newPage();
p.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 200)));
for (const u of ['/hostile.html', '/peer.html', '/?emulator&surface=128x64']) { await p.goto(s.appUrl + u); await p.waitForTimeout(3000); }
console.log(await p.evaluate(() => JSON.stringify(window.compositor.stats().layers.map((l) => l.state))));
await b.close(); await s.close();
