// A quad layer: a flat panel in the world, drawn by the compositor at the current pose every
// frame (so it is world-locked without any warp). Four corners from gl_VertexID, placed by one
// matrix: current clip from the panel's unit square.
import type { mat4 } from 'gl-matrix';
import { PLACED_SQUARE_VERTEX, SURFACE_TO_TEXTURE, texturedProgram } from './uniforms';

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
    ({ program: this.program, u: this.u } = texturedProgram(gl, PLACED_SQUARE_VERTEX, FRAGMENT, ['u_texture', 'u_clipFromPanel'] as const));
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
