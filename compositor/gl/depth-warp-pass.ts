// Positional timewarp of a depth layer's view: a grid mesh over the rendered view whose every
// vertex is pushed to where its pixel's 3-D point appears now. Each vertex reads its depth
// (packed RGB, see shared/protocol.ts WireView.depthViewport), unprojects it through the view it
// was rendered for and projects it through the current one (one matrix: current clip from
// rendered NDC). Nearer surfaces win by depth test, so a foreground object slides over the
// background; a gap a moving edge opens is bridged by stretched cells (the usual artefact).
// Outside the mesh the layer shows nothing (the transparent fallback).
import type { mat4 } from 'gl-matrix';
import { SURFACE_TO_TEXTURE, texturedProgram } from './uniforms';
import type { Viewport } from '../../shared/protocol';

/** Grid cell side in surface pixels: finer follows depth edges better and costs more vertices. */
export const DEPTH_CELL_PX = 8;
const MAX_CELLS_PER_SIDE = 256;

const VERTEX = `#version 300 es
precision highp float;
precision highp int;
uniform highp sampler2D u_texture;
uniform ivec4 u_depth;      // the depth rectangle on the surface, pixels, origin bottom-left
uniform int u_surfaceHeight;
uniform ivec2 u_cells;      // grid cells across and up
uniform mat4 u_reproject;   // current clip from rendered NDC
out vec2 v_st;
const ivec2 CORNERS[6] = ivec2[6](ivec2(0, 0), ivec2(1, 0), ivec2(0, 1), ivec2(0, 1), ivec2(1, 0), ivec2(1, 1));
void main() {
  int cell = gl_VertexID / 6;
  ivec2 at = ivec2(cell % u_cells.x, cell / u_cells.x) + CORNERS[gl_VertexID % 6];
  vec2 st = vec2(at) / vec2(u_cells);
  ivec2 pixel = min(ivec2(st * vec2(u_depth.zw)), u_depth.zw - 1);
  ivec2 texel = ivec2(u_depth.x + pixel.x, u_surfaceHeight - 1 - (u_depth.y + pixel.y));
  vec3 packed = texelFetch(u_texture, texel, 0).rgb;
  float depth = dot(packed, vec3(255.0 / 256.0, 255.0 / 65536.0, 1.0 / 65536.0));
  vec4 clip = u_reproject * vec4(st * 2.0 - 1.0, depth * 2.0 - 1.0, 1.0);
  // Keep the far background (depth 1) inside the far plane after a step back.
  float z = clamp(clip.z / clip.w, -1.0, 0.999999);
  gl_Position = vec4(clip.xy, z * clip.w, clip.w);
  v_st = st;
}`;

const FRAGMENT = `#version 300 es
precision highp float;
uniform sampler2D u_texture;
uniform vec4 u_src;   // the colour rectangle, normalised, origin bottom-left
uniform vec2 u_texel;
in vec2 v_st;
out vec4 color;
${SURFACE_TO_TEXTURE}
void main() {
  vec2 uv = clamp(u_src.xy + v_st * u_src.zw, u_src.xy + 0.5 * u_texel, u_src.xy + u_src.zw - 0.5 * u_texel);
  color = texture(u_texture, surfaceToTexture(uv));
}`;

const UNIFORMS = ['u_texture', 'u_depth', 'u_surfaceHeight', 'u_cells', 'u_reproject', 'u_src', 'u_texel'] as const;

export class DepthWarpPass {
  private readonly program: WebGLProgram;
  private readonly u: Record<(typeof UNIFORMS)[number], WebGLUniformLocation | null>;

  constructor(private readonly gl: WebGL2RenderingContext) {
    ({ program: this.program, u: this.u } = texturedProgram(gl, VERTEX, FRAGMENT, UNIFORMS));
  }

  /**
   * Draws colour rectangle `src`, with depth from `depth`, reprojected by `reproject` into the
   * current viewport (`viewport`, whose depth it clears and tests against).
   */
  draw(texture: WebGLTexture, src: Viewport, depth: Viewport, surface: { width: number; height: number }, reproject: mat4, viewport: Viewport): void {
    const gl = this.gl;
    const cellsX = Math.max(1, Math.min(MAX_CELLS_PER_SIDE, Math.ceil(depth.width / DEPTH_CELL_PX)));
    const cellsY = Math.max(1, Math.min(MAX_CELLS_PER_SIDE, Math.ceil(depth.height / DEPTH_CELL_PX)));
    gl.useProgram(this.program);
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.uniform4i(this.u.u_depth, depth.x, depth.y, depth.width, depth.height);
    gl.uniform1i(this.u.u_surfaceHeight, surface.height);
    gl.uniform2i(this.u.u_cells, cellsX, cellsY);
    gl.uniformMatrix4fv(this.u.u_reproject, false, reproject);
    gl.uniform4f(this.u.u_src, src.x / surface.width, src.y / surface.height, src.width / surface.width, src.height / surface.height);
    gl.uniform2f(this.u.u_texel, 1 / surface.width, 1 / surface.height);
    gl.enable(gl.SCISSOR_TEST);
    gl.scissor(viewport.x, viewport.y, viewport.width, viewport.height);
    gl.clear(gl.DEPTH_BUFFER_BIT);
    gl.enable(gl.DEPTH_TEST);
    gl.depthFunc(gl.LESS);
    gl.drawArrays(gl.TRIANGLES, 0, cellsX * cellsY * 6);
    gl.disable(gl.DEPTH_TEST);
    gl.disable(gl.SCISSOR_TEST);
  }

  dispose(): void {
    this.gl.deleteProgram(this.program);
  }
}
