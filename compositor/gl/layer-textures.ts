// One texture per layer, holding the newest frame it delivered. Uploading closes the
// bitmap at once: the texture is the only copy the compositor keeps.
export interface LayerTexture {
  texture: WebGLTexture;
  width: number;
  height: number;
}

export class LayerTextures {
  private readonly textures = new Map<number, LayerTexture>();

  constructor(private readonly gl: WebGL2RenderingContext) {}

  get(layerId: number): LayerTexture | undefined {
    return this.textures.get(layerId);
  }

  get size(): number {
    return this.textures.size;
  }

  /** Uploads `bitmap` as layer `layerId`'s current frame and closes the bitmap. */
  upload(layerId: number, bitmap: ImageBitmap): LayerTexture {
    const gl = this.gl;
    try {
      let entry = this.textures.get(layerId);
      if (!entry) {
        const texture = gl.createTexture();
        gl.bindTexture(gl.TEXTURE_2D, texture);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
        entry = { texture, width: 0, height: 0 };
        this.textures.set(layerId, entry);
      }
      gl.bindTexture(gl.TEXTURE_2D, entry.texture);
      if (entry.width !== bitmap.width || entry.height !== bitmap.height) {
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, bitmap);
        entry.width = bitmap.width;
        entry.height = bitmap.height;
      } else {
        gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, gl.RGBA, gl.UNSIGNED_BYTE, bitmap);
      }
      return entry;
    } finally {
      bitmap.close();
    }
  }

  /** Hands layer `from`'s texture to layer `to` (a vetted version taking over its layer). */
  rename(from: number, to: number): void {
    const entry = this.textures.get(from);
    this.release(to);
    if (!entry) return;
    this.textures.delete(from);
    this.textures.set(to, entry);
  }

  release(layerId: number): void {
    const entry = this.textures.get(layerId);
    if (!entry) return;
    this.gl.deleteTexture(entry.texture);
    this.textures.delete(layerId);
  }
}
