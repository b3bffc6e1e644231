// The label over each version's preview panel, so its progress and measured frame rate show where
// the preview is (in a headset too, where there is no DOM HUD): "v3 · measuring 12/30 · 58 fps".
// Pure text; gl/preview-labels.ts draws it.
import type { ReloadStats } from '../stats';

/** What a preview's label says about its vetting. */
export function previewLabelText(vetting: NonNullable<ReloadStats['vetting']>): string {
  const what = vetting.revertTo !== undefined ? `back to v${vetting.revertTo}` : `new version (${vetting.trigger})`;
  const progress = vetting.state === 'measuring' ? `measuring ${vetting.frames}/${vetting.windowFrames}` : vetting.state;
  const fps = vetting.frames > 0 ? ` · ${vetting.fps.toFixed(0)} fps` : '';
  return `${what} · ${progress}${fps}`;
}
