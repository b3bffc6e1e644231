// The label over each version's preview panel, so its progress and measured frame rate show where
// the preview is (in a headset too, where there is no DOM HUD): "v3 · measuring 12/30 · 58 fps".
// The text is pure; the labels are drawn on a 2-D canvas and kept as textures, one per version
// under vetting, redrawn only when their text changes.
import type { ReloadStats } from '../stats';
import { uploadCanvas } from '../gl/canvas-texture';

export const LABEL_PIXELS = { width: 320, height: 40 } as const;

/** What a preview's label says about its vetting. */
export function previewLabelText(vetting: NonNullable<ReloadStats['vetting']>): string {
  const what = vetting.revertTo !== undefined ? `back to v${vetting.revertTo}` : `new version (${vetting.trigger})`;
  const progress = vetting.state === 'measuring' ? `measuring ${vetting.frames}/${vetting.windowFrames}` : vetting.state;
  const fps = vetting.frames > 0 ? ` · ${vetting.fps.toFixed(0)} fps` : '';
  return `${what} · ${progress}${fps}`;
}

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
