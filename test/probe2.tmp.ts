import { launchBrowser } from '/work/main/test/browser/harness';
const b = await launchBrowser();
const page = await b.newPage();
await page.goto('about:blank');
const r = await page.evaluate(async () => {
  const src = `
    const out = {};
    out.memory = typeof performance.memory;
    out.used = performance.memory?.usedJSHeapSize;
    out.limit = performance.memory?.jsHeapSizeLimit;
    const big = []; for (let i=0;i<5;i++) big.push(new Array(4e6).fill(1.5));
    out.used2 = performance.memory?.usedJSHeapSize;
    const c = new OffscreenCanvas(64, 64); const gl = c.getContext('webgl2');
    out.timer = !!gl.getExtension('EXT_disjoint_timer_query_webgl2');
    c.width = 16384; c.height = 16384;
    out.dbw = gl.drawingBufferWidth; out.dbh = gl.drawingBufferHeight;
    gl.clearColor(1,0,0,1); gl.clear(gl.COLOR_BUFFER_BIT);
    try { const bm = c.transferToImageBitmap(); out.bm = [bm.width, bm.height]; } catch (e) { out.err = String(e); }
    postMessage(out);`;
  const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
  return await new Promise((res) => { w.onmessage = (e) => res(e.data); w.onerror = (e) => res('err ' + e.message); });
});
console.log(JSON.stringify(r));
await b.close();
