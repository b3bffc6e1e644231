// Hostile fixture: every frame takes 60 ms of CPU (steadily too slow for 60 Hz, even at every 3rd frame).
export default {
  frame(ctx) {
    const end = performance.now() + 60;
    while (performance.now() < end);
    ctx.gl.clearColor(0.8, 0.4, 0, 1);
    ctx.gl.clear(ctx.gl.COLOR_BUFFER_BIT);
  },
};
