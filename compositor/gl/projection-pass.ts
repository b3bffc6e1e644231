// Rotational timewarp of a projection layer's view, on the GPU. For each pixel of the current
// eye, the homography (see timewarp/homography.ts) gives where that direction was in the view
// the guest rendered; the pass samples the layer's surface there. Where the guest rendered
// nothing, the fallback is the nearest rendered edge (clamp) or nothing (transparent). Output
// is premultiplied alpha, blended over what is below. When there is nothing to warp (the head
// has not moved since the frame was rendered, or timewarp is off without overscan) a plain copy
// program draws instead: the cheapest path, and the baseline the bench measures reprojection against.
import type { mat3 } from 'gl-matrix';
import { FULLSCREEN_VERTEX, SURFACE_TO_TEXTURE, texturedProgram } from './uniforms';
import type { Viewport } from '../../shared/protocol';

const FRAGMENT = `#version 300 es
precision highp float;
uniform sampler2D u_texture;
uniform mat3 u_warp;   // current NDC -> rendered NDC (homogeneous)
uniform vec4 u_src;    // the rendered view's rectangle on the surface, normalised, origin bottom-left
uniform vec2 u_texel;  // one surface pixel, normalised
uniform bool u_clamp;  // fallback: clamp to the rendered edge, else transparent
in vec2 v_ndc;
out vec4 color;
${SURFACE_TO_TEXTURE}
void main() {
  vec3 p = u_warp * vec3(v_ndc, 1.0);
  if (p.z <= 1e-6) { color = vec4(0.0); return; } // behind the rendered view
  vec2 st = p.xy / p.z * 0.5 + 0.5;
  bool inside = all(greaterThanEqual(st, vec2(0.0))) && all(lessThanEqual(st, vec2(1.0)));
  if (!inside && !u_clamp) { color = vec4(0.0); return; }
  // Never sample past the view's own rectangle (the other eye is next to it on the surface).
  vec2 uv = clamp(u_src.xy + st * u_src.zw, u_src.xy + 0.5 * u_texel, u_src.xy + u_src.zw - 0.5 * u_texel);
  color = texture(u_texture, surfaceToTexture(uv));
}`;

const COPY_FRAGMENT = `#version 300 es
precision highp float;
uniform sampler2D u_texture;
uniform vec4 u_src;
in vec2 v_ndc;
out vec4 color;
${SURFACE_TO_TEXTURE}
void main() {
  color = texture(u_texture, surfaceToTexture(u_src.xy + (v_ndc * 0.5 + 0.5) * u_src.zw));
}`;

const UNIFORMS = ['u_texture', 'u_warp', 'u_src', 'u_texel', 'u_clamp'] as const;

/** Whether a homography is the identity (up to scale), so a copy draws the same picture. */
export function isIdentityWarp(h: ArrayLike<number>, tolerance = 1e-6): boolean {
  const scale = h[8]!;
  if (!(Math.abs(scale) > 1e-12)) return false;
  for (let i = 0; i < 9; i++) {
    const expected = i % 4 === 0 ? 1 : 0;
    if (Math.abs(h[i]! / scale - expected) > tolerance) return false;
  }
  return true;
}

export class ProjectionPass {
  private readonly program: WebGLProgram;
  private readonly u: Record<(typeof UNIFORMS)[number], WebGLUniformLocation | null>;
  private readonly copyProgram: WebGLProgram;
  private readonly copySrc: WebGLUniformLocation | null;

  constructor(private readonly gl: WebGL2RenderingContext) {
    ({ program: this.program, u: this.u } = texturedProgram(gl, FULLSCREEN_VERTEX, FRAGMENT, UNIFORMS));
    const copy = texturedProgram(gl, FULLSCREEN_VERTEX, COPY_FRAGMENT, ['u_src'] as const);
    this.copyProgram = copy.program;
    this.copySrc = copy.u.u_src;
  }

  /** Draws the rendered view `src` of a surface, warped by `warp`, over the current viewport. */
  draw(texture: WebGLTexture, src: Viewport, surface: { width: number; height: number }, warp: mat3, clampEdges: boolean): void {
    const gl = this.gl;
    gl.bindTexture(gl.TEXTURE_2D, texture);
    if (isIdentityWarp(warp)) {
      gl.useProgram(this.copyProgram);
      gl.uniform4f(this.copySrc, src.x / surface.width, src.y / surface.height, src.width / surface.width, src.height / surface.height);
      gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
      return;
    }
    gl.useProgram(this.program);
    gl.uniformMatrix3fv(this.u.u_warp, false, warp);
    gl.uniform4f(this.u.u_src, src.x / surface.width, src.y / surface.height, src.width / surface.width, src.height / surface.height);
    gl.uniform2f(this.u.u_texel, 1 / surface.width, 1 / surface.height);
    gl.uniform1i(this.u.u_clamp, clampEdges ? 1 : 0);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  }

  dispose(): void {
    this.gl.deleteProgram(this.program);
    this.gl.deleteProgram(this.copyProgram);
  }
}
