// Hostile fixture: not valid JavaScript.
export default {
  frame(ctx) {
    ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT)
  ,,,
};
