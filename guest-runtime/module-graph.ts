// A guest's module graph, loaded from text: the guest's module (a version's exact text) and every
// module it imports statically, each fetched once per worker, its imports rewritten (relative
// ones made absolute, bare ones resolved by shared/bare-specifiers.ts, each pointed at the blob:
// URL its module runs from), and run from a blob: URL as if from its own URL (`import.meta.url`
// kept). So 'three' and three's addons resolve anywhere in the graph, an addon imported twice is
// one module, and an addon or helper module shared by successive versions in one worker is
// fetched and compiled once. Literal dynamic imports are fetched ahead too (their modules run
// only when imported); one that cannot be is left to the engine, as is a module in an import cycle.
import { importSites, isBare, isJavaScriptMime, rewriteModule, type ImportSite } from '../shared/module-imports';
import { patchAddon, resolveBare, type BareContext } from '../shared/bare-specifiers';
import { GuestLoadError } from './guest-load-error';

/** Fetches a module's text (with the importer, for the message); throws GuestLoadError naming what failed. */
export type FetchModule = (url: string, importer: string) => Promise<string>;

export const fetchModuleText: FetchModule = async (url, importer) => {
  let response: Response;
  try {
    response = await fetch(url, { mode: 'cors', credentials: 'omit' });
  } catch {
    throw new GuestLoadError(`could not fetch ${url} (imported by ${importer}): network error, or a cross-origin server that sends no Access-Control-Allow-Origin header`);
  }
  if (!response.ok) throw new GuestLoadError(`HTTP ${response.status} for ${url} (imported by ${importer})`);
  const type = response.headers.get('content-type') ?? '(none)';
  if (!isJavaScriptMime(type)) throw new GuestLoadError(`${url} (imported by ${importer}) is served as ${type}, not as JavaScript`);
  return response.text();
};

export class ModuleGraph {
  /** Each module URL's blob: URL, loaded at most once per worker. */
  private readonly loaded = new Map<string, Promise<string>>();
  /** Every blob: URL made, by the module URL it stands for (errors and stacks name the module). */
  readonly aliases = new Map<string, string>();
  /** Each module's text by URL (a syntax error is located in the module that has it). */
  readonly sources = new Map<string, string>();
  /** Modules fetched (not served from this worker's cache), for the figures. */
  fetched = 0;

  constructor(
    private readonly bare: () => Promise<BareContext>,
    private readonly fetchModule: FetchModule = fetchModuleText,
  ) {}

  /** The blob: URL the module at `url` with text `source` runs from, its graph loaded first. */
  async fromSource(url: string, source: string, path: readonly string[] = []): Promise<string> {
    this.sources.set(url, source);
    const sites = importSites(source) ?? [];
    const targets = new Map<string, string>();
    const key = (site: ImportSite) => `${site.dynamic ? 'd' : 's'}:${site.specifier}`;
    for (const site of sites) {
      if (targets.has(key(site))) continue;
      targets.set(key(site), await this.target(site, url, [...path, url]));
    }
    const text = rewriteModule(source, url, (site) => targets.get(key(site)));
    const blob = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    this.aliases.set(blob, url);
    return blob;
  }

  /** The blob: URL of the module at `url`, fetched and loaded once. */
  fromUrl(url: string, importer: string, path: readonly string[] = []): Promise<string> {
    let loading = this.loaded.get(url);
    if (!loading) {
      this.fetched += 1;
      loading = this.fetchModule(url, importer).then(async (source) => this.fromSource(url, patchAddon(source, url, (await this.bare()).addonsBase), path));
      this.loaded.set(url, loading);
      loading.catch(() => this.loaded.delete(url));
    }
    return loading;
  }

  /** What one import site becomes: a blob: URL, or the absolute URL left for the engine. */
  private async target(site: ImportSite, importer: string, path: readonly string[]): Promise<string> {
    let url: string;
    if (isBare(site.specifier)) {
      const resolved = resolveBare(site.specifier, importer, await this.bare());
      if (!resolved.ok) throw new GuestLoadError(resolved.message);
      url = resolved.url;
    } else {
      url = new URL(site.specifier, importer).href;
    }
    if (!/^https?:/.test(url) || path.includes(url)) return url; // blob: (three), data:, or a cycle: as it is
    if (!site.dynamic) return this.fromUrl(url, importer, path);
    // A dynamic import runs later, if at all: fetched ahead when it can be, else left to the engine then.
    return this.fromUrl(url, importer, path).catch(() => url);
  }
}
