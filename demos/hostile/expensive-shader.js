// Hostile fixture: a full-surface fragment shader with a very long loop per pixel: its GPU
// work competes with every other context in the one GPU process. `?draws=N` (default 1) draws it
// N times a frame: a hog costly even at a new worker's smallest admission frames.
const draws = Math.max(1, Number(new URL(import.meta.url).searchParams.get('draws') ?? 1) || 1);
let program;
export default {
  setup(ctx) {
    const { gl } = ctx;
    const vs = `#version 300 es
      void main() { vec2 p = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1)); gl_Position = vec4(p * 2.0 - 1.0, 0, 1); }`;
    const fs = `#version 300 es
      precision highp float; out vec4 color; uniform float u_t;
      void main() {
        float a = 0.0;
        for (int i = 0; i < 4000; i++) a += sin(gl_FragCoord.x * 0.01 + float(i) * 0.001 + u_t) * cos(gl_FragCoord.y * 0.013 + a);
        color = vec4(fract(a), 0.2, 0.5, 1.0);
      }`;
    program = gl.createProgram();
    for (const [type, src] of [[gl.VERTEX_SHADER, vs], [gl.FRAGMENT_SHADER, fs]]) {
      const s = gl.createShader(type);
      gl.shaderSource(s, src);
      gl.compileShader(s);
      gl.attachShader(program, s);
    }
    gl.linkProgram(program);
  },
  frame(ctx) {
    const { gl } = ctx;
    gl.viewport(0, 0, ctx.width, ctx.height);
    gl.useProgram(program);
    gl.uniform1f(gl.getUniformLocation(program, 'u_t'), ctx.time * 0.001);
    for (let i = 0; i < draws; i++) gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  },
};
