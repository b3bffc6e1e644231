// Hostile fixture: after a few frames, closes its own worker.
export default {
  frame(ctx) {
    if (ctx.frame >= 5) self.close();
    ctx.gl.clearColor(0.3, 0.3, 0.3, 1);
    ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT);
  },
};
