// What the compositor does about pose: a public contract (URL `timewarp`, `fallback`,
// `prediction`; API `setTimewarp`; `stats().timewarp`).

/** What a reprojected layer shows where its guest rendered nothing: the nearest rendered edge, or nothing. */
export type Fallback = 'clamp' | 'transparent';
export const FALLBACKS: readonly Fallback[] = ['clamp', 'transparent'];

export interface TimewarpSettings {
  /** Reproject every layer from the pose it was rendered for to the pose being shown. */
  enabled: boolean;
  fallback: Fallback;
  /** Ask guests to render for the pose predicted at the time their frame will be shown. */
  prediction: boolean;
}

export const DEFAULT_TIMEWARP: TimewarpSettings = { enabled: true, fallback: 'clamp', prediction: true };
