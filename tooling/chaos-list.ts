// Vite plugin: the compositor page's chaos button loads every hostile fixture of the gallery. The
// list is demos/'s (demos/hostile/catalog.ts); product code never imports demos/, so the page
// carries it, as a JSON data block the compositor reads at boot (compositor/hud-panel/panel-actions.ts).
import type { Plugin } from 'vite';
import { HOSTILE_FIXTURES } from '../demos/hostile/catalog';

/** The id of the page's JSON block listing the chaos guests' URLs (relative to the page). */
export const CHAOS_LIST_ID = 'steadfast-chaos-guests';

export function chaosList(): Plugin {
  return {
    name: 'steadfast-chaos-list',
    transformIndexHtml(html, context) {
      if (!/(^|\/)index\.html$/.test(context.path)) return html;
      const urls = HOSTILE_FIXTURES.map((fixture) => `demos/hostile/${fixture.file}`);
      return [{ tag: 'script', attrs: { type: 'application/json', id: CHAOS_LIST_ID }, children: JSON.stringify(urls), injectTo: 'body' }];
    },
  };
}
