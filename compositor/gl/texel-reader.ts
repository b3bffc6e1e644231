// Reads one texel of a layer's texture back (the pick's alpha test, input/pick.ts): a framebuffer
// with the texture attached, and a 1×1 readPixels. A GPU round trip: used on a trigger press only.
import type { LayerTexture } from './layer-textures';

export class TexelReader {
  private framebuffer: WebGLFramebuffer | null = null;
  private readonly pixel = new Uint8Array(4);

  constructor(private readonly gl: WebGL2RenderingContext) {}

  /** The RGBA of `entry` at surface pixel (x, y), origin bottom-left (its rows are stored top first); null if unreadable. */
  read(entry: LayerTexture, x: number, y: number): Uint8Array | null {
    const gl = this.gl;
    if (x < 0 || y < 0 || x >= entry.width || y >= entry.height) return null;
    this.framebuffer ??= gl.createFramebuffer();
    const previous = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.framebuffer);
    try {
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, entry.texture, 0);
      if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) return null;
      gl.readPixels(x, entry.height - 1 - y, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, this.pixel);
      return this.pixel;
    } finally {
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, null, 0);
      gl.bindFramebuffer(gl.FRAMEBUFFER, previous);
    }
  }
}
