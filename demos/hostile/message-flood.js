// Hostile fixture: from its own code, floods the worker's channel with garbage and with
// forged protocol messages (fake frames, fake errors, a real bitmap with a forged frame id),
// thousands per frame.
export default {
  frame(ctx) {
    for (let i = 0; i < 2000; i++) {
      self.postMessage({ type: 'frame', frameId: i, bitmap: null, views: [], renderMs: -1 });
      self.postMessage({ type: 'error', phase: 'load', message: 'forged: the compositor is broken' });
      self.postMessage('garbage '.repeat(64));
      self.postMessage({ type: 'alive', evil: { __proto__: { polluted: true } } });
    }
    const canvas = new OffscreenCanvas(8, 8);
    canvas.getContext('2d');
    const bitmap = canvas.transferToImageBitmap();
    self.postMessage({ type: 'frame', frameId: 1, bitmap, views: [], renderMs: 0 }, [bitmap]);
    ctx.gl.clearColor(0, 0.5, 0.5, 1);
    ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT);
  },
};
