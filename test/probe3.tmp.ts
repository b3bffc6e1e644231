import http from 'node:http';
import { launchBrowser } from '/work/main/test/browser/harness';
const worker = `let big=[]; setInterval(()=>{ big.push(new Array(2e6).fill(1.5)); postMessage(big.length); }, 50);`;
const page0 = `<script>
window.results=[];
const w = new Worker('/w.js', {name:'guest-a'});
w.onmessage = e => window.n = e.data;
async function loop(){ const t=performance.now(); try { const m = await performance.measureUserAgentSpecificMemory(); 
 window.results.push({ms: performance.now()-t, n: window.n, bd: m.breakdown.filter(b=>b.bytes>0).map(b=>({bytes:b.bytes, att:b.attribution.map(a=>a.scope+':'+(a.url||'').slice(-10))})) }); } catch(e) { window.results.push(String(e)); } setTimeout(loop, 10); }
loop();
</script>`;
const srv = http.createServer((req, res) => {
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  if (req.url === '/w.js') { res.setHeader('Content-Type', 'text/javascript'); res.end(worker); }
  else { res.setHeader('Content-Type', 'text/html'); res.end(page0); }
}).listen(0, '127.0.0.1');
await new Promise(r => setTimeout(r, 100));
const port = (srv.address() as any).port;
const b = await launchBrowser();
const page = await b.newPage();
await page.goto(`http://127.0.0.1:${port}/`);
await page.waitForTimeout(25000);
console.log(await page.evaluate(() => (self as any).crossOriginIsolated));
console.log(JSON.stringify(await page.evaluate(() => (window as any).results), null, 0).slice(0, 3000));
await b.close(); srv.close();
