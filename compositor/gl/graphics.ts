// Every GL resource the compositor owns on its context: the passes, the layers' textures, the
// preview labels, the pick's texel reader and the layer buffer, made together and remade together after a context loss.
import { PreviewLabels } from './preview-labels';
import { LayerBuffer } from './layer-buffer';
import { LayerTextures } from './layer-textures';
import { Passes } from './passes';
import { TexelReader } from './texel-reader';

export class Graphics {
  passes: Passes;
  textures: LayerTextures;
  readonly previewLabels: PreviewLabels;
  /** One texel of a layer read back (the input pick). */
  texels: TexelReader;
  /** Where layers are composited when they were all rendered far below the output's resolution. */
  layerBuffer: LayerBuffer;
  /** Times the context was lost and everything was rebuilt. */
  contextRestores = 0;

  constructor(readonly gl: WebGL2RenderingContext) {
    this.passes = new Passes(gl);
    this.textures = new LayerTextures(gl);
    this.previewLabels = new PreviewLabels(gl);
    this.texels = new TexelReader(gl);
    this.layerBuffer = new LayerBuffer(gl);
  }

  /** Rebuilds every GL resource after the context was restored; layers refill on their next frames. */
  rebuild(): void {
    this.passes = new Passes(this.gl);
    this.previewLabels.reset();
    this.textures = new LayerTextures(this.gl);
    this.texels = new TexelReader(this.gl);
    this.layerBuffer = new LayerBuffer(this.gl);
    this.contextRestores += 1;
  }
}
