// The heads-up display: one line per layer (state, counters, error) over the view.
// It only reads stats(); guest-supplied text is set with textContent, never as HTML.
import { ordinal, type CompositorStats, type LayerStats } from './stats';

const REFRESH_MS = 250;

export function mountHud(root: HTMLElement, read: () => CompositorStats, notes: readonly string[], retry: (id: number) => void): () => void {
  root.replaceChildren();
  const header = el('div', 'hud-header');
  const list = el('ol', 'hud-layers');
  const noteList = el('ul', 'hud-notes');
  for (const note of notes) noteList.append(el('li', '', note));
  root.append(header, list, noteList);

  // Runs a few times a second: redraw the HUD from a fresh stats() snapshot.
  const refresh = () => {
    const stats = read();
    const warp = stats.timewarp.enabled ? `timewarp on (${stats.timewarp.fallback}${stats.timewarp.prediction ? ', predicted' : ''})` : 'timewarp off';
    header.textContent = `${stats.session} · ${stats.fps.toFixed(0)} fps · ${stats.frameMs.toFixed(2)} ms/frame · ${stats.frames} frames · ${warp}`;
    list.replaceChildren(...stats.layers.map((layer) => layerLine(layer, retry)));
  };
  refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  return () => clearInterval(timer);
}

function layerLine(layer: LayerStats, retry: (id: number) => void): HTMLElement {
  const item = el('li', `hud-layer state-${layer.state}`);
  item.dataset.layerId = String(layer.id);
  item.append(
    el('span', 'hud-state', layer.state),
    el('span', 'hud-url', shortUrl(layer.url)),
    el('span', 'hud-type', layer.declaration.type + (layer.declaration.type === 'projection' && layer.declaration.depth ? ' + depth' : '') + (layer.frozen ? ' · frozen' : '')),
    el('span', 'hud-counts', `presented ${layer.presented} · missed ${layer.missed} · restarts ${layer.restarts} · ${layer.latencyMs.toFixed(0)} ms${layer.poseAgeMs !== undefined ? ` · pose ${layer.poseAgeMs.toFixed(0)} ms old` : ''}`),
  );
  if (layer.pacing > 1) item.append(el('span', 'hud-pacing', `every ${ordinal(layer.pacing)} frame`));
  if (layer.stateReason) item.append(el('div', 'hud-reason', layer.stateReason));
  if (layer.error) item.append(el('div', 'hud-error', layer.error));
  if (layer.state === 'quarantined' || layer.state === 'failed') {
    const button = el('button', 'hud-retry', 'retry');
    // Runs when the user asks to give this guest another chance.
    button.onclick = () => retry(layer.id);
    item.append(button);
  }
  item.title = layer.url;
  return item;
}

function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.origin === location.origin ? u.pathname + u.search : u.host + u.pathname;
  } catch {
    return url;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
