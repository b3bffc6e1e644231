// A quad layer: a flat panel in the world, drawn by the compositor at the current pose every
// frame (so it is world-locked without any warp). Four corners from gl_VertexID, placed by one
// matrix: current clip from the panel's unit square.
import type { mat4 } from 'gl-matrix';
import { SURFACE_TO_TEXTURE, texturedProgram } from './uniforms';

const VERTEX = `#version 300 es
uniform mat4 u_clipFromPanel; // the panel's unit square (-0.5..0.5, z = 0) to current clip
out vec2 v_st;
void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
  v_st = corner;
  gl_Position = u_clipFromPanel * vec4(corner - 0.5, 0.0, 1.0);
}`;

const FRAGMENT = `#version 300 es
precision highp float;
uniform sampler2D u_texture;
in vec2 v_st;
out vec4 color;
${SURFACE_TO_TEXTURE}
void main() {
  color = texture(u_texture, surfaceToTexture(v_st));
}`;

export class QuadPass {
  private readonly program: WebGLProgram;
  private readonly u: Record<'u_texture' | 'u_clipFromPanel', WebGLUniformLocation | null>;

  constructor(private readonly gl: WebGL2RenderingContext) {
    ({ program: this.program, u: this.u } = texturedProgram(gl, VERTEX, FRAGMENT, ['u_texture', 'u_clipFromPanel'] as const));
  }

  draw(texture: WebGLTexture, clipFromPanel: mat4): void {
    const gl = this.gl;
    gl.useProgram(this.program);
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.uniformMatrix4fv(this.u.u_clipFromPanel, false, clipFromPanel);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  }

  dispose(): void {
    this.gl.deleteProgram(this.program);
  }
}
