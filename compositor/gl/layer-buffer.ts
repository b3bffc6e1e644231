// The buffer layers are composited into when they were all rendered far below the output's
// resolution (policy/compose-scale.ts says when, and at what scale): a texture the size of the
// output's framebuffer, of which each frame uses the scaled part, with a depth buffer for
// positional timewarp's depth test. The layers are drawn into it exactly as into the output
// (premultiplied alpha over transparent); resolving draws each eye's part once over the output,
// upsampled, which blends the same as the layers drawn there one by one.
import type { Viewport } from '../../shared/protocol';
import { FULLSCREEN_VERTEX, texturedProgram } from './uniforms';

// The buffer's own rows run bottom to top, as every GL render target: no flip.
const RESOLVE_FRAGMENT = `#version 300 es
precision highp float;
uniform sampler2D u_texture;
uniform vec4 u_src;   // the eye's part of the buffer, normalised
uniform vec2 u_texel; // one buffer pixel, normalised
in vec2 v_ndc;
out vec4 color;
void main() {
  // Never sample past the eye's own part (the other eye is next to it).
  vec2 uv = clamp(u_src.xy + (v_ndc * 0.5 + 0.5) * u_src.zw, u_src.xy + 0.5 * u_texel, u_src.xy + u_src.zw - 0.5 * u_texel);
  color = texture(u_texture, uv);
}`;

/** `viewport` of the output scaled by `scale` (edges rounded, so neighbouring eyes stay apart). */
export function scaledViewport(viewport: Viewport, scale: number): Viewport {
  const x = Math.round(viewport.x * scale);
  const y = Math.round(viewport.y * scale);
  return { x, y, width: Math.max(1, Math.round((viewport.x + viewport.width) * scale) - x), height: Math.max(1, Math.round((viewport.y + viewport.height) * scale) - y) };
}

export class LayerBuffer {
  private readonly program: WebGLProgram;
  private readonly u: Record<'u_src' | 'u_texel', WebGLUniformLocation | null>;
  private readonly framebuffer: WebGLFramebuffer;
  private texture: WebGLTexture | null = null;
  private depth: WebGLRenderbuffer | null = null;
  private width = 0;
  private height = 0;
  /** A size the buffer could not be made at (not tried again until the output's size changes). */
  private failed = '';

  constructor(private readonly gl: WebGL2RenderingContext) {
    ({ program: this.program, u: this.u } = texturedProgram(gl, FULLSCREEN_VERTEX, RESOLVE_FRAGMENT, ['u_src', 'u_texel'] as const));
    this.framebuffer = gl.createFramebuffer();
  }

  /**
   * Binds the buffer for an output framebuffer of `width`×`height`, clears the part `scale` of it
   * to transparent (colour and depth), and returns each eye's viewport in it. Null if the buffer
   * cannot be made (the caller draws straight into the output).
   */
  begin(width: number, height: number, scale: number, viewports: readonly Viewport[]): Viewport[] | null {
    const gl = this.gl;
    if (!this.ensureSize(width, height)) return null;
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.framebuffer);
    const used = scaledViewport({ x: 0, y: 0, width, height }, scale);
    gl.enable(gl.SCISSOR_TEST);
    gl.scissor(0, 0, used.width, used.height);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
    gl.disable(gl.SCISSOR_TEST);
    return viewports.map((viewport) => scaledViewport(viewport, scale));
  }

  /** Draws each eye's part (`inner`, from begin) over `output`'s matching `viewports`, blended as the layers would be. */
  resolve(output: WebGLFramebuffer | null, viewports: readonly Viewport[], inner: readonly Viewport[]): void {
    const gl = this.gl;
    gl.bindFramebuffer(gl.FRAMEBUFFER, output);
    gl.useProgram(this.program);
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.uniform2f(this.u.u_texel, 1 / this.width, 1 / this.height);
    viewports.forEach((target, index) => {
      const src = inner[index];
      if (!src) return;
      gl.viewport(target.x, target.y, target.width, target.height);
      gl.uniform4f(this.u.u_src, src.x / this.width, src.y / this.height, src.width / this.width, src.height / this.height);
      gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
    });
  }

  /** Makes the texture and depth buffer `width`×`height` (again, when the output's size changed). */
  private ensureSize(width: number, height: number): boolean {
    const gl = this.gl;
    if (width === this.width && height === this.height && this.texture) return true;
    const size = `${width}x${height}`;
    if (size === this.failed) return false;
    this.release();
    if (width <= 0 || height <= 0) return false;
    this.texture = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA8, width, height);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    this.depth = gl.createRenderbuffer();
    gl.bindRenderbuffer(gl.RENDERBUFFER, this.depth);
    gl.renderbufferStorage(gl.RENDERBUFFER, gl.DEPTH_COMPONENT24, width, height);
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, this.texture, 0);
    gl.framebufferRenderbuffer(gl.FRAMEBUFFER, gl.DEPTH_ATTACHMENT, gl.RENDERBUFFER, this.depth);
    const complete = gl.checkFramebufferStatus(gl.FRAMEBUFFER) === gl.FRAMEBUFFER_COMPLETE;
    if (!complete) {
      this.release();
      this.failed = size;
      return false;
    }
    this.width = width;
    this.height = height;
    return true;
  }

  private release(): void {
    if (this.texture) this.gl.deleteTexture(this.texture);
    if (this.depth) this.gl.deleteRenderbuffer(this.depth);
    this.texture = null;
    this.depth = null;
    this.width = 0;
    this.height = 0;
  }

  dispose(): void {
    this.release();
    this.gl.deleteFramebuffer(this.framebuffer);
    this.gl.deleteProgram(this.program);
  }
}
