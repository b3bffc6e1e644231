// Hostile fixture: keeps 32 MB more of JavaScript heap every frame, never letting go.
const hoard = [];
export default {
  frame(ctx) {
    hoard.push(new Array(4 * 1024 * 1024).fill(ctx.frame + 0.5));
    ctx.gl.clearColor(0.5, 0, 0.5, 1);
    ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT);
  },
};
