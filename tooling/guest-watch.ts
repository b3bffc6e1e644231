// Vite plugin: tells the compositor page when a guest file changes, so it can hot-reload that
// guest (vet the new version, then swap it in) without reloading the page. Vite's own watcher
// sees every file under the project; a changed .js/.mjs is announced as a custom HMR event
// `steadfast:guest-change` with its path (as served, e.g. `/demos/cubes.js`). Guest files are
// served raw (never through Vite's module graph), and this plugin claims their updates, so Vite
// never answers one with a full page reload.
import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { Plugin } from 'vite';
import { GUEST_CHANGE_EVENT, type GuestChange } from '../shared/live-edit.ts';
import { MAX_SOURCE_BYTES } from '../shared/limits.ts';

const GUEST_FILE = /\.m?js$/;

export function guestWatch(root: string): Plugin {
  const served = (file: string): string | null => {
    const rel = relative(root, file);
    if (rel.startsWith('..') || rel.split(sep).includes('node_modules') || !GUEST_FILE.test(rel)) return null;
    return `/${rel.split(sep).join('/')}`;
  };
  return {
    name: 'steadfast-guest-watch',
    apply: 'serve',
    configureServer(server) {
      // Runs when the dev server's watcher sees a file change: announce guest files to every page,
      // with the new text (the page vets it without fetching it again).
      server.watcher.on('change', (file) => {
        const path = served(file);
        if (!path) return;
        void readFile(file, 'utf8')
          .then((text) => (text.length <= MAX_SOURCE_BYTES ? text : undefined), () => undefined)
          .then((source) => server.ws.send({ type: 'custom', event: GUEST_CHANGE_EVENT, data: { path, ...(source === undefined ? {} : { source }) } satisfies GuestChange }));
      });
    },
    // Runs for every file Vite considers for HMR: guest files are ours (announced above), never a page reload.
    hotUpdate({ file }) {
      if (served(file) && !file.includes(`${sep}compositor${sep}`) && !file.includes(`${sep}guest-runtime${sep}`)) return [];
      return undefined;
    },
  };
}
