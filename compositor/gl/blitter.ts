// Draws a rectangle of a layer's texture into the bound framebuffer's current viewport,
// blended as premultiplied alpha. No vertex buffers: the quad comes from gl_VertexID.
import { createProgram } from './shader';
import type { Viewport } from '../../shared/protocol';

const VERTEX = `#version 300 es
uniform vec4 u_src; // source rect on the surface, normalised, origin bottom-left
out vec2 v_uv;
void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
  vec2 uv = u_src.xy + corner * u_src.zw;
  v_uv = vec2(uv.x, 1.0 - uv.y); // ImageBitmap rows run top to bottom
  gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}`;

const FRAGMENT = `#version 300 es
precision mediump float;
uniform sampler2D u_texture;
in vec2 v_uv;
out vec4 color;
void main() {
  color = texture(u_texture, v_uv);
}`;

export class Blitter {
  private readonly program: WebGLProgram;
  private readonly vao: WebGLVertexArrayObject;
  private readonly srcLocation: WebGLUniformLocation | null;

  constructor(private readonly gl: WebGL2RenderingContext) {
    this.program = createProgram(gl, VERTEX, FRAGMENT);
    this.vao = gl.createVertexArray();
    this.srcLocation = gl.getUniformLocation(this.program, 'u_src');
    gl.useProgram(this.program);
    gl.uniform1i(gl.getUniformLocation(this.program, 'u_texture'), 0);
  }

  /** Sets the state every blit of a frame shares. */
  begin(): void {
    const gl = this.gl;
    gl.useProgram(this.program);
    gl.bindVertexArray(this.vao);
    gl.activeTexture(gl.TEXTURE0);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.disable(gl.DEPTH_TEST);
    gl.disable(gl.CULL_FACE);
  }

  /** Draws `src` (pixels of a surface of `surfaceWidth`×`surfaceHeight`) over the current viewport. */
  draw(texture: WebGLTexture, src: Viewport, surfaceWidth: number, surfaceHeight: number): void {
    const gl = this.gl;
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.uniform4f(this.srcLocation, src.x / surfaceWidth, src.y / surfaceHeight, src.width / surfaceWidth, src.height / surfaceHeight);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  }

  dispose(): void {
    this.gl.deleteProgram(this.program);
    this.gl.deleteVertexArray(this.vao);
  }
}
