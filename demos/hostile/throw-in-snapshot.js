// Hostile fixture: renders fine, but snapshot() throws.
export default {
  frame(ctx) {
    ctx.gl.clearColor(0, 0.4, 0, 1);
    ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT);
  },
  snapshot() {
    throw new Error('snapshot exploded on purpose');
  },
};
