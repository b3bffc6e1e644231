// The labels over the preview panels of versions under vetting (live-edit/preview-label.ts says
// what they read): drawn on a 2-D canvas and kept as textures, one per version under vetting,
// redrawn only when their text changes.
import { uploadCanvas } from './canvas-texture';

export const LABEL_PIXELS = { width: 320, height: 40 } as const;

export class PreviewLabels {
  private readonly canvas = new OffscreenCanvas(LABEL_PIXELS.width, LABEL_PIXELS.height);
  private readonly g = this.canvas.getContext('2d')!;
  private readonly labels = new Map<number, { texture: WebGLTexture; text: string }>();

  constructor(private readonly gl: WebGL2RenderingContext) {}

  /** The label texture for staging layer `id` saying `text` (redrawn if the text changed). */
  texture(id: number, text: string): WebGLTexture {
    const label = this.labels.get(id);
    if (label?.text === text) return label.texture;
    const { width, height } = LABEL_PIXELS;
    const g = this.g;
    g.clearRect(0, 0, width, height);
    g.fillStyle = 'rgba(10, 14, 24, 0.9)';
    g.fillRect(0, 0, width, height);
    g.fillStyle = '#e8f0ff';
    g.font = '20px system-ui, sans-serif';
    g.textBaseline = 'middle';
    g.fillText(text, 8, height / 2, width - 16);
    const texture = uploadCanvas(this.gl, label?.texture ?? null, this.canvas);
    this.labels.set(id, { texture, text });
    return texture;
  }

  /** Frees the labels of versions no longer under vetting (`staging`: those still are). */
  keepOnly(staging: readonly { id: number }[]): void {
    for (const [id, label] of this.labels) {
      if (staging.some((layer) => layer.id === id)) continue;
      this.gl.deleteTexture(label.texture);
      this.labels.delete(id);
    }
  }

  /** Forgets GL objects (after a context loss; the next draw makes them again). */
  reset(): void {
    this.labels.clear();
  }
}
