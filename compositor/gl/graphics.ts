// Every GL resource the compositor owns on its context: the passes, the layers' textures and the
// preview labels, made together and remade together after a context loss.
import { PreviewLabels } from './preview-labels';
import { LayerTextures } from './layer-textures';
import { Passes } from './passes';

export class Graphics {
  passes: Passes;
  textures: LayerTextures;
  readonly previewLabels: PreviewLabels;
  /** Times the context was lost and everything was rebuilt. */
  contextRestores = 0;

  constructor(readonly gl: WebGL2RenderingContext) {
    this.passes = new Passes(gl);
    this.textures = new LayerTextures(gl);
    this.previewLabels = new PreviewLabels(gl);
  }

  /** Rebuilds every GL resource after the context was restored; layers refill on their next frames. */
  rebuild(): void {
    this.passes = new Passes(this.gl);
    this.previewLabels.reset();
    this.textures = new LayerTextures(this.gl);
    this.contextRestores += 1;
  }
}
