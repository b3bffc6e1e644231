// Hostile fixture: resizes its surface to 16384×16384 and draws into it.
export default {
  frame(ctx) {
    ctx.canvas.width = 16384;
    ctx.canvas.height = 16384;
    ctx.gl.viewport(0, 0, 16384, 16384);
    ctx.gl.clearColor(1, 0, 1, 1);
    ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT);
  },
};
