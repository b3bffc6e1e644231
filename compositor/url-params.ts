// The page's URL query: a public contract (README "Page URL").
//   guest=<url>      repeatable; a guest module to load (relative or absolute, URL-encoded)
//   emulator         force the desktop emulator (any value but 0/false)
//   surface=WxH      guest surface size in pixels, both eyes side by side (default 1024x512)
//   hud=0            hide the HUD
//   hud=panel        show the HUD as the in-headset panel (a quad the compositor draws) instead of the page's
//   isolation=worker run guests in plain workers on this origin (no isolation; default: sandbox)
//   timewarp=0       no reprojection: layers shown as rendered, at their old pose (default on)
//   fallback=transparent  what a reprojected layer shows where its guest rendered nothing (default clamp)
//   prediction=0     ask guests to render for the current pose, not the predicted one (default on)
//   imports=<url>    a JSON import map ({ "imports": { name: url } }) for guests' bare specifiers
//   adapt=0          no dynamic resolution: guests render their full surface and the compositor its
//                    full output whatever they cost (pacing and eviction only); default on
//   compose=direct   draw every layer straight into the output, never into the layer buffer at the
//                    layers' own resolution (default auto)
//   motion=sweep|turn  play a built-in scripted head motion on the emulator (looped)
//   watch=0|1        poll guest URLs for new versions (default: on under the dev server, off in a build)
//   view=mono        emulator: one full-window eye instead of two side by side
//   ipd=63           emulator: distance between the eyes, mm
//   fov=90           emulator: vertical field of view, degrees
//   hz=60|72|90|120  emulator: refresh rate
//   path=<url>       emulator: play a recorded head path (JSON keyframes from emulator.stopRecording()), looped
//   hangMs, startupMs, graceFrames, maxRestarts, restartWindowMs, backoffBaseMs, backoffMaxMs,
//   maxDivisor, pacerWindow, pacerLateFraction, evictionCooldownMs, stormGuests, stormWindowMs
//                    override one figure of the supervision policy (shared/limits.ts DEFAULT_POLICY)
import { DEFAULT_POLICY, DEFAULT_SURFACE, MAX_SURFACE_SIDE, MIN_SURFACE_SIDE, type Policy } from '../shared/limits';
import { FALLBACKS, type Fallback, type TimewarpSettings } from './timewarp/settings';
import { MOTIONS, type MotionName } from './emulator/motions';
import { checkEmulatorSettings, type EmulatorSettings } from './emulator/settings';

export const DEFAULT_GUESTS = ['demos/cubes.js', 'demos/particles.js', 'demos/info-panel.js', 'demos/grab.js'] as const;

export interface PageParams {
  guests: string[];
  emulator: boolean;
  surface: { width: number; height: number };
  hud: boolean;
  /** Show the HUD as the in-headset panel (also on the desktop). */
  hudPanel: boolean;
  isolation: 'sandbox' | 'worker' | undefined;
  /** Poll guests for new versions (undefined: the default for how the page is served). */
  watch: boolean | undefined;
  /** Emulated headset settings given in the URL. */
  emulatorSettings: Partial<EmulatorSettings>;
  /** A recorded head path (JSON keyframes) for the emulator to play, by URL. */
  path: string | undefined;
  /** A built-in head motion for the emulator to play. */
  motion: MotionName | undefined;
  /** Timewarp settings given in the URL. */
  timewarp: Partial<TimewarpSettings>;
  /** Policy figures given in the URL. */
  policy: Partial<Policy>;
  /** Dynamic resolution of guests and of the output (adapt=0 turns it off). */
  adapt: boolean;
  /** Composite layers at their own resolution when it pays (compose=direct: never). */
  bufferLayers: boolean;
  /** The import map for guests' bare specifiers (imports=<url of a JSON import map>; relative to the page). */
  imports: string | undefined;
  /** Parameters that were present but unusable, each as a sentence for the HUD. */
  warnings: string[];
}

const flag = (value: string | null) => value !== null && value !== '0' && value.toLowerCase() !== 'false';

export function parsePageParams(search: string): PageParams {
  const query = new URLSearchParams(search);
  const warnings: string[] = [];
  const guests = query.getAll('guest').map((g) => g.trim()).filter((g) => g.length > 0);

  let surface: PageParams['surface'] = { ...DEFAULT_SURFACE };
  const rawSurface = query.get('surface');
  if (rawSurface !== null) {
    const match = /^(\d+)x(\d+)$/i.exec(rawSurface.trim());
    const ok = (n: number) => n >= MIN_SURFACE_SIDE && n <= MAX_SURFACE_SIDE;
    if (match && ok(Number(match[1])) && ok(Number(match[2]))) {
      surface = { width: Number(match[1]), height: Number(match[2]) };
    } else {
      warnings.push(`surface=${rawSurface} ignored: expected WxH with each side ${MIN_SURFACE_SIDE}–${MAX_SURFACE_SIDE}`);
    }
  }

  const policy: Partial<Policy> = {};
  for (const key of Object.keys(DEFAULT_POLICY) as (keyof Policy)[]) {
    const raw = query.get(key);
    if (raw === null) continue;
    const value = Number(raw);
    if (raw.trim() !== '' && Number.isFinite(value) && value >= 0) policy[key] = value;
    else warnings.push(`${key}=${raw} ignored: expected a non-negative number`);
  }

  const rawIsolation = query.get('isolation');
  let isolation: PageParams['isolation'];
  if (rawIsolation === 'sandbox' || rawIsolation === 'worker') isolation = rawIsolation;
  else if (rawIsolation !== null) warnings.push(`isolation=${rawIsolation} ignored: expected sandbox or worker`);

  const timewarp: Partial<TimewarpSettings> = {};
  if (query.get('timewarp') !== null) timewarp.enabled = flag(query.get('timewarp'));
  if (query.get('prediction') !== null) timewarp.prediction = flag(query.get('prediction'));
  const rawFallback = query.get('fallback');
  if (rawFallback !== null) {
    if ((FALLBACKS as readonly string[]).includes(rawFallback)) timewarp.fallback = rawFallback as Fallback;
    else warnings.push(`fallback=${rawFallback} ignored: expected ${FALLBACKS.join(' or ')}`);
  }

  const rawMotion = query.get('motion');
  let motion: MotionName | undefined;
  if (rawMotion !== null) {
    if ((MOTIONS as readonly string[]).includes(rawMotion)) motion = rawMotion as MotionName;
    else warnings.push(`motion=${rawMotion} ignored: expected ${MOTIONS.join(' or ')}`);
  }

  const rawWatch = query.get('watch');
  const rawIpd = query.get('ipd');
  const emulator = checkEmulatorSettings({
    view: query.get('view') ?? undefined,
    ipd: rawIpd === null ? undefined : Number(rawIpd) / 1000,
    fovY: query.get('fov') ?? undefined,
    hz: query.get('hz') ?? undefined,
  });
  warnings.push(...emulator.problems);
  return {
    isolation,
    timewarp,
    motion,
    watch: rawWatch === null ? undefined : flag(rawWatch),
    emulatorSettings: emulator.settings,
    path: query.get('path') ?? undefined,
    policy,
    adapt: query.get('adapt') === null || flag(query.get('adapt')),
    bufferLayers: composeParam(query.get('compose'), warnings),
    imports: importMapUrl(query.get('imports'), warnings),
    guests: guests.length > 0 ? guests : [...DEFAULT_GUESTS],
    emulator: flag(query.get('emulator')),
    surface,
    hud: query.get('hud') === null || (query.get('hud') !== 'panel' && flag(query.get('hud'))),
    hudPanel: query.get('hud') === 'panel',
    warnings,
  };
}

/** compose=auto (the default) or compose=direct; anything else is ignored, with a warning. */
function composeParam(raw: string | null, warnings: string[]): boolean {
  if (raw === null || raw === 'auto') return true;
  if (raw === 'direct') return false;
  warnings.push(`compose=${raw} ignored: expected auto or direct`);
  return true;
}

/** The import map's URL as given (relative to the page, or absolute http(s)); a bad one is ignored, with a warning. */
function importMapUrl(raw: string | null, warnings: string[]): string | undefined {
  if (raw === null || raw === '') return undefined;
  try {
    const url = new URL(raw, 'http://page.invalid/');
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw;
  } catch {
    // reported below
  }
  warnings.push(`imports=${raw} ignored: expected the http(s) URL of a JSON import map`);
  return undefined;
}
