// Hostile fixture: renders normally for 30 frames, then frame() never returns (busy loop).
export default {
  frame(ctx) {
    if (ctx.frame >= 30) for (;;);
    ctx.gl.clearColor(0.2, 0.2, 0.8, 1);
    ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT);
  },
};
