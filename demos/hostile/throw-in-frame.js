// Hostile fixture: frame throws (after a few good frames).
export default {
  frame(ctx) {
    if (ctx.frame >= 3) throw new Error('frame exploded on purpose');
    ctx.gl.clearColor(1, 1, 0, 1);
    ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT);
  },
};
