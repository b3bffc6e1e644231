// The loop bound the guest runtime puts on guest shaders (guest-runtime/shader-loops.ts): where it
// puts the check and the counter, on source text. (That the bounded shaders compile and stop where
// they should is a browser test: test/browser/gpu-bounds.test.ts draws them.)
import { describe, expect, it } from 'vitest';
import { boundShaderLoops } from '../../guest-runtime/shader-loops';

const CHECK = 'if (!steadfast_loop_continues()) break;';
const DECLARE = 'highp int steadfast_loop_iterations = 0; bool steadfast_loop_continues() { steadfast_loop_iterations += 1; return steadfast_loop_iterations <= 64; } ';
const bound = (s: string) => boundShaderLoops(s, 64);
/** Shaders without `#version 300 es` are GLSL ES 1.00, whose fragment shaders may lack highp. */
const DECLARE_100 = DECLARE.replace('highp', 'mediump');
const lines = (s: string) => s.split('\n').length;

describe('bounding loops in guest shaders', () => {
  it('leaves a shader without loops exactly as it was', () => {
    const src = '#version 300 es\nprecision highp float;\nout vec4 c;\nvoid main() { c = vec4(1.0); }\n';
    expect(bound(src)).toBe(src);
  });

  it('declares the counter on the first code line after #version and #extension, keeping every line number', () => {
    const src = '#version 300 es\n#extension GL_OVR_multiview2 : enable\nprecision highp float;\nvoid main() {\n  for (int i = 0; i < 10; i++) { x += 1.0; }\n}\n';
    const out = bound(src);
    expect(out.split('\n')[2]).toBe(`${DECLARE}precision highp float;`);
    expect(out.split('\n')[4]).toBe(`  for (int i = 0; i < 10; i++) { ${CHECK} x += 1.0; }`);
    expect(lines(out)).toBe(lines(src));
    expect(out.startsWith('#version 300 es\n')).toBe(true);
  });

  it('wraps a body without braces, nested loops and an if/else body included', () => {
    const src = 'void main() {\nfor (int i = 0; i < 3; i++) a += 1.0;\nfor (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) b += f(i, j);\nwhile (c < 1.0) if (d) c += 0.1; else c += 0.2;\n}';
    const out = bound(src).split('\n');
    expect(out[1]).toBe(`for (int i = 0; i < 3; i++) { ${CHECK} a += 1.0; }`);
    expect(out[2]).toBe(`for (int i = 0; i < 3; i++) { ${CHECK} for (int j = 0; j < 3; j++) { ${CHECK} b += f(i, j); } }`);
    expect(out[3]).toBe(`while (c < 1.0) { ${CHECK} if (d) c += 0.1; else c += 0.2; }`);
  });

  it('bounds a do-while once, braced or not, and an endless loop', () => {
    const src = 'void main() {\ndo { n++; } while (n < 5);\ndo n++; while (n < 9);\nfor (;;) { n++; }\nwhile (true);\n}';
    const out = bound(src).split('\n');
    expect(out[1]).toBe(`do { ${CHECK} n++; } while (n < 5);`);
    expect(out[2]).toBe(`do { ${CHECK} n++; } while (n < 9);`);
    expect(out[3]).toBe(`for (;;) { ${CHECK} n++; }`);
    expect(out[4]).toBe(`while (true){ ${CHECK} ; }`);
  });

  it('ignores loop keywords in comments, in preprocessor lines and inside longer names', () => {
    const src = '#define REPEAT for (int k = 0; k < 4; k++)\n// for (;;) {}\n/* while (true) {}\n for(;;) */\nvoid main() { float format = 1.0; int whiles = 2; }\n';
    expect(bound(src)).toBe(src);
  });

  it('declares the counter between declarations only, outside #if blocks and comments', () => {
    const src = ['#version 300 es', '#if 1', 'uniform float a,', '#endif', '  b; /* a comment', 'that spans lines */', 'void main() { for (int i = 0; i < 2; i++) {} }'].join('\n');
    const out = bound(src).split('\n');
    expect(out.slice(0, 6)).toEqual(src.split('\n').slice(0, 6));
    expect(out[6]).toBe(`${DECLARE}void main() { for (int i = 0; i < 2; i++) { ${CHECK}} }`);
    const commentOnDirective = '#version 300 es\n#define A 1 /* for (;;)\n while (1) */\nvoid main() { for (;;) {} }';
    expect(bound(commentOnDirective).split('\n')[3]).toBe(`${DECLARE}void main() { for (;;) { ${CHECK}} }`);
  });

  it('declares it after a function body, and leaves a shader whose loops come before any such place alone', () => {
    const after = '#version 300 es\n#if 1\nfloat f() { return 1.0; }\n#endif\nvoid main() { while (x) { y(); } }';
    expect(bound(after).split('\n')[4]).toBe(`${DECLARE}void main() { while (x) { ${CHECK} y(); } }`);
    const onOneLine = '#version 300 es\nvoid main() { for (;;) {} }';
    expect(bound(onOneLine)).toBe(`#version 300 es\n${DECLARE}void main() { for (;;) { ${CHECK}} }`);
    const nowhere = '#version 300 es\n#if 1\nvoid main() { for (;;) {} }\n#endif';
    expect(bound(nowhere)).toBe(nowhere);
  });

  it('reads numbers with exponents and suffixes as numbers, not names', () => {
    const src = 'void main() { float e = 1e5; uint u = 0x1Fu; for (int i = 0; i < 2; i++) e += 2.0e-3; }';
    expect(bound(src)).toBe(`${DECLARE_100}void main() { float e = 1e5; uint u = 0x1Fu; for (int i = 0; i < 2; i++) { ${CHECK} e += 2.0e-3; } }`);
  });
});
