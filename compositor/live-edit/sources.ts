// Where new versions of guests come from (effects; the decisions are in compositor.ts):
//   - the dev server: Vite's watcher, through tooling/guest-watch.ts's custom HMR event;
//   - any other URL: polling every 250 ms, a conditional request each time; an unchanged file
//     costs a 304 and no read or hash of its text (Poller, below).
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

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Asks for a guest module, revalidating the browser's copy; resolves with the checked response (body unread). */
async function requestSource(url: string, fetchImpl: Fetch): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(url, { cache: 'no-cache', mode: 'cors', credentials: 'omit', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (e) {
    throw new Error(`could not fetch ${url}: ${e instanceof Error && e.name === 'TimeoutError' ? `no answer in ${FETCH_TIMEOUT_MS / 1000} s` : 'network error, or no CORS header'}`, { cause: e });
  }
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  const type = response.headers.get('content-type') ?? '(none)';
  if (!isJavaScriptMime(type)) throw new Error(`${url} is served as ${type}, not as JavaScript`);
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > MAX_SOURCE_BYTES) throw new Error(`${url} is ${length} bytes, over the ${MAX_SOURCE_BYTES}-byte limit for a guest module`);
  return response;
}

async function readSource(url: string, response: Response): Promise<FetchedSource> {
  const text = await response.text();
  if (text.length > MAX_SOURCE_BYTES) throw new Error(`${url} is over the ${MAX_SOURCE_BYTES}-byte limit for a guest module`);
  return { text, hash: sourceHash(text), etag: response.headers.get('etag') };
}

/** Fetches a guest module's current text; rejects with a readable reason. */
export async function fetchSource(url: string, fetchImpl: Fetch = fetch): Promise<FetchedSource> {
  return readSource(url, await requestSource(url, fetchImpl));
}

/** At most this long between two polls of one URL (each a conditional request). */
export const POLL_INTERVAL_MS = 250;
/**
 * Validators (ETag, Last-Modified, Content-Length) are trusted to mean "unchanged" only once a
 * body was hashed this long after they first appeared. Last-Modified, and many servers' ETags,
 * have a resolution of one second: a second save within that second, of the same length, keeps
 * every validator as it was, and only a body read after that second can tell.
 */
export const VALIDATOR_SETTLE_MS = 2_000;

/** What a poll knows of a URL's response validators (readable cross-origin: Last-Modified and Content-Length always, ETag when exposed). */
function validatorsOf(response: Response): string | null {
  const parts = ['etag', 'last-modified', 'content-length'].map((name) => response.headers.get(name) ?? '');
  return parts.some((p) => p !== '') ? parts.join('|') : null;
}

interface Watched {
  url: string;
  /** Hash of the version the compositor knows (live, or being vetted). */
  hash: string;
  busy: boolean;
  /** The validators last seen, when they first appeared (the poll's start), and whether a body read long enough after that matched them. */
  validators: string | null;
  validatorsSince: number;
  settled: boolean;
}

/** A change a poll found: the new text, how long its fetch took, and when it was found. */
export interface PolledChange {
  source: FetchedSource;
  fetchMs: number;
}

/**
 * Polls guest URLs for changes, every POLL_INTERVAL_MS. Each poll is a conditional request made
 * by the browser's HTTP cache (`cache: 'no-cache'` revalidates with the stored ETag or
 * Last-Modified; cross-origin, no request header of our own, so no preflight). An unchanged file
 * costs no read, no hash: its validators are as they were and have settled (VALIDATOR_SETTLE_MS).
 * Otherwise the body's content hash decides (servers without validators are covered the same way).
 * `onChange` runs with the new text when a URL's hash differs from the one last known for it.
 */
export class Poller {
  private readonly watched = new Map<string, Watched>();
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Polls that read and hashed a body, and those answered by validators alone (for tests and the bench). */
  readonly counts = { read: 0, skipped: 0 };

  constructor(
    private readonly onChange: (url: string, change: PolledChange) => void,
    private readonly intervalMs = POLL_INTERVAL_MS,
    private readonly fetchImpl: Fetch = (url, init) => fetch(url, init),
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Watches `url`, whose known content has `hash` (updates the hash if already watched). */
  watch(url: string, hash: string): void {
    const known = this.watched.get(url);
    if (known) known.hash = hash;
    else this.watched.set(url, { url, hash, busy: false, validators: null, validatorsSince: 0, settled: false });
    // Runs every POLL_INTERVAL_MS while anything is watched: one conditional request per URL not already in flight.
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

  /** Polls every watched URL not already being polled (the timer's job; tests call it directly). */
  pollAll(): Promise<void>[] {
    const polls: Promise<void>[] = [];
    for (const w of this.watched.values()) {
      if (w.busy) continue;
      w.busy = true;
      polls.push(
        this.poll(w)
          .catch(() => {
            // Unreachable for now (server restarting, file mid-save): try again next time.
          })
          .finally(() => {
            w.busy = false;
          }),
      );
    }
    return polls;
  }

  private async poll(w: Watched): Promise<void> {
    const started = this.now();
    const response = await requestSource(w.url, this.fetchImpl);
    const validators = validatorsOf(response);
    if (validators !== null && validators === w.validators && w.settled) {
      this.counts.skipped += 1;
      void response.body?.cancel().catch(() => undefined);
      return;
    }
    const source = await readSource(w.url, response);
    this.counts.read += 1;
    if (validators !== w.validators) {
      w.validators = validators;
      w.validatorsSince = started;
      w.settled = false;
    } else if (validators !== null && started - w.validatorsSince >= VALIDATOR_SETTLE_MS) {
      w.settled = true;
    }
    if (source.hash !== w.hash && this.watched.get(w.url) === w) {
      w.hash = source.hash;
      w.settled = false; // (the body changed under the same validators: trust them again only once they settle anew)
      w.validatorsSince = started;
      this.onChange(w.url, { source, fetchMs: this.now() - started });
    }
  }
}
