// The smallest guest: plain WebGL, no imports. Fills a part of each eye with one colour.
// Its URL query sets both, so tests and demos can place known pixels:
//   solid.js?color=ff0000&alpha=1&rect=0,0,1,0.5   (rect: x,y,w,h as fractions of each eye, origin bottom-left)
const query = new URL(import.meta.url).searchParams;
const hex = query.get('color') ?? 'ff00ff';
const rgb = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
const alpha = Number(query.get('alpha') ?? '1');
const rect = (query.get('rect') ?? '0,0,1,1').split(',').map(Number);

export default {
  frame(ctx) {
    const { gl } = ctx;
    gl.disable(gl.SCISSOR_TEST);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.enable(gl.SCISSOR_TEST);
    for (const { viewport: v } of ctx.views) {
      gl.scissor(
        Math.round(v.x + rect[0] * v.width),
        Math.round(v.y + rect[1] * v.height),
        Math.round(rect[2] * v.width),
        Math.round(rect[3] * v.height),
      );
      // Premultiplied alpha, as the compositor blends.
      gl.clearColor(rgb[0] * alpha, rgb[1] * alpha, rgb[2] * alpha, alpha);
      gl.clear(gl.COLOR_BUFFER_BIT);
    }
    gl.disable(gl.SCISSOR_TEST);
  },
};
