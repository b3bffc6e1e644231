// Hostile fixture: frame() throws from its 4th frame on (`?after=N`: after N good frames).
const after = Number(new URL(import.meta.url).searchParams.get('after') ?? '3');
export default {
  frame(ctx) {
    if (ctx.frame >= after) throw new Error('frame exploded on purpose');
    ctx.gl.clearColor(1, 1, 0, 1);
    ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT);
  },
};
