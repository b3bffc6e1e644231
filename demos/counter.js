// A guest with state: counts its frames, and carries the count across versions through
// snapshot() and setup's ctx.state, then restore() at the swap (so no frame counted while the
// new version was vetted is lost). Draws its count's parity as green/blue.
let count = 0;
export default {
  setup(ctx) {
    count = typeof ctx.state?.count === 'number' ? ctx.state.count : 0;
  },
  frame(ctx) {
    count += 1;
    ctx.gl.clearColor(0, count % 2 ? 0.6 : 0, count % 2 ? 0 : 0.6, 1);
    ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT);
  },
  snapshot() {
    return { count };
  },
  restore(state) {
    if (typeof state?.count === 'number') count = state.count;
  },
};
