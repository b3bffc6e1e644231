// Hostile fixture: loses its own WebGL context after a few frames (WEBGL_lose_context).
export default {
  frame(ctx) {
    if (ctx.frame === 5) ctx.gl.getExtension('WEBGL_lose_context')?.loseContext();
    ctx.gl.clearColor(0.6, 0.6, 0, 1);
    ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT);
  },
};
