// Where new versions of guests come from (effects; the decisions are in compositor.ts):
//   - the dev server: Vite's watcher, through tooling/guest-watch.ts's custom HMR event;
//   - any other URL: polling about once a second. Each poll is a conditional request made by the
//     browser's HTTP cache (`cache: 'no-cache'` revalidates with the stored ETag/Last-Modified, so
//     an unchanged file costs a 304); the body's content hash decides whether it changed (servers
//     without validators, or that do not expose ETag cross-origin, are covered the same way).
import { sourceHash } from './source-hash';
import { isJavaScriptMime } from '../../shared/module-imports';
import { MAX_SOURCE_BYTES } from '../../shared/limits';

/** The text of a guest module and its hash, fetched fresh (revalidated against the server). */
export interface FetchedSource {
  text: string;
  hash: string;
  etag: string | null;
}


const FETCH_TIMEOUT_MS = 5_000;

/** Fetches a guest module's current text; rejects with a readable reason. */
export async function fetchSource(url: string): Promise<FetchedSource> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-cache', mode: 'cors', credentials: 'omit', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (e) {
    throw new Error(`could not fetch ${url}: ${e instanceof Error && e.name === 'TimeoutError' ? `no answer in ${FETCH_TIMEOUT_MS / 1000} s` : 'network error, or no CORS header'}`, { cause: e });
  }
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  const type = response.headers.get('content-type') ?? '(none)';
  if (!isJavaScriptMime(type)) throw new Error(`${url} is served as ${type}, not as JavaScript`);
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > MAX_SOURCE_BYTES) throw new Error(`${url} is ${length} bytes, over the ${MAX_SOURCE_BYTES}-byte limit for a guest module`);
  const text = await response.text();
  if (text.length > MAX_SOURCE_BYTES) throw new Error(`${url} is over the ${MAX_SOURCE_BYTES}-byte limit for a guest module`);
  return { text, hash: sourceHash(text), etag: response.headers.get('etag') };
}

export const POLL_INTERVAL_MS = 1_000;

interface Watched {
  url: string;
  /** Hash of the version the compositor knows (live, or being vetted). */
  hash: string;
  etag: string | null;
  busy: boolean;
}

/**
 * Polls guest URLs for changes. `onChange` runs with the new text when a URL's content hash
 * differs from the one last known for it.
 */
export class Poller {
  private readonly watched = new Map<string, Watched>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly onChange: (url: string, source: FetchedSource) => void, private readonly intervalMs = POLL_INTERVAL_MS) {}

  /** Watches `url`, whose known content has `hash` (updates the hash if already watched). */
  watch(url: string, hash: string): void {
    const known = this.watched.get(url);
    if (known) known.hash = hash;
    else this.watched.set(url, { url, hash, etag: null, busy: false });
    // Runs about once a second while anything is watched: one conditional request per URL.
    this.timer ??= setInterval(() => this.pollAll(), this.intervalMs);
  }

  unwatch(url: string): void {
    this.watched.delete(url);
    if (this.watched.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  get size(): number {
    return this.watched.size;
  }

  dispose(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.watched.clear();
  }

  private pollAll(): void {
    for (const w of this.watched.values()) {
      if (w.busy) continue;
      w.busy = true;
      void fetchSource(w.url)
        .then((source) => {
          w.etag = source.etag;
          if (source.hash !== w.hash && this.watched.get(w.url) === w) {
            w.hash = source.hash;
            this.onChange(w.url, source);
          }
        })
        .catch(() => {
          // Unreachable for now (server restarting, file mid-save): try again next time.
        })
        .finally(() => {
          w.busy = false;
        });
    }
  }
}
