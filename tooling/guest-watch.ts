// Vite plugin: tells the compositor page when a guest file changes, so it can hot-reload that
// guest (vet the new version, then swap it in) without reloading the page. Vite's own watcher
// sees every file under the project; a changed .js/.mjs is announced as a custom HMR event
// `steadfast:guest-change` with its path (as served, e.g. `/demos/cubes.js`). Guest files are
// served raw (never through Vite's module graph), and this plugin claims their updates, so Vite
// never answers one with a full page reload.
import { readFile, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { Plugin } from 'vite';
import { GUEST_CHANGE_EVENT, type GuestChange } from '../shared/live-edit.ts';
import { MAX_SOURCE_BYTES } from '../shared/limits.ts';

const GUEST_FILE = /\.m?js$/;
/**
 * A save is read once the file has been quiet this long. An editor's save (or a test's
 * writeFileSync) truncates, then writes: the watcher can fire between the two, and a read then
 * would announce an empty or half-written file as a version of its own.
 */
export const SETTLE_MS = 10;
/**
 * And read again this long after the last change, announced if it differs from what was: the
 * watcher may fire once, for the truncation, and never for the write (a clean-clone run saw a
 * save announced empty and its text never), when both land within the file system's timestamp
 * resolution. An empty file is announced only by the last of these reads.
 */
export const CONFIRM_MS = [150, 1_000] as const;

interface Watched {
  timers: ReturnType<typeof setTimeout>[];
  /** Changes seen; a read started for an older one than the latest is dropped. */
  change: number;
  /** The text last announced (null: none yet; undefined: announced without text). */
  sent: string | undefined | null;
}

/**
 * Announces each changed file once it has settled: its text read SETTLE_MS after the last change
 * and again at each CONFIRM_MS, in the order of the changes (a read that a newer change overtook is
 * dropped), never the same text twice in a row (an editor's save can fire the watcher twice), and
 * an empty file only once it has stayed empty.
 */
export function changeAnnouncer(announce: (path: string, source: string | undefined, savedAt: number | undefined) => void, settleMs = SETTLE_MS, confirmMs: readonly number[] = CONFIRM_MS) {
  const files = new Map<string, Watched>();
  const read = (path: string, file: string, entry: Watched, change: number, last: boolean) => {
    const savedAt = stat(file).then((s) => s.mtimeMs, () => undefined);
    void readFile(file, 'utf8')
      .then((text) => (text.length <= MAX_SOURCE_BYTES ? text : undefined), () => undefined)
      .then(async (source) => {
        if (change !== entry.change) return;
        if (source === '' && !last) return; // (caught between its truncation and its write, maybe)
        if (source !== undefined && source === entry.sent) return;
        entry.sent = source;
        announce(path, source, await savedAt);
      });
  };
  return {
    changed(path: string, file: string): void {
      const entry = files.get(path) ?? { timers: [], change: 0, sent: null };
      files.set(path, entry);
      const change = ++entry.change;
      for (const timer of entry.timers) clearTimeout(timer);
      const delays = [settleMs, ...confirmMs];
      // Each runs once the file has been quiet that long: read it, and announce what is new.
      entry.timers = delays.map((delay, i) => setTimeout(() => read(path, file, entry, change, i === delays.length - 1), delay));
    },
  };
}

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
      const announcer = changeAnnouncer((path, source, savedAt) =>
        server.ws.send({ type: 'custom', event: GUEST_CHANGE_EVENT, data: { path, ...(source === undefined ? {} : { source }), ...(savedAt === undefined ? {} : { savedAt }) } satisfies GuestChange }),
      );
      // Runs when the dev server's watcher sees a file change: announce guest files to every page,
      // with the new text (the page vets it without fetching it again).
      server.watcher.on('change', (file) => {
        const path = served(file);
        if (path) announcer.changed(path, file);
      });
    },
    // Runs for every file Vite considers for HMR: guest files are ours (announced above), never a page reload.
    hotUpdate({ file }) {
      if (served(file) && !file.includes(`${sep}compositor${sep}`) && !file.includes(`${sep}guest-runtime${sep}`)) return [];
      return undefined;
    },
  };
}
