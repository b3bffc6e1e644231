// The emulated headset's settings (URL `view`, `ipd`, `fov`, `hz`; API emulator.configure):
// stereo side by side or one full-window eye, the distance between the eyes, the vertical field
// of view, and the refresh rate its frames come at.
export type ViewMode = 'stereo' | 'mono';
export const VIEW_MODES: readonly ViewMode[] = ['stereo', 'mono'];
export const REFRESH_RATES = [60, 72, 90, 120] as const;
export type RefreshRate = (typeof REFRESH_RATES)[number];

export interface EmulatorSettings {
  view: ViewMode;
  /** Interpupillary distance, metres. */
  ipd: number;
  /** Vertical field of view, degrees (each eye; the horizontal follows the viewport's aspect). */
  fovY: number;
  /** Frames per second the emulated display asks for. */
  hz: RefreshRate;
}

export const DEFAULT_EMULATOR: EmulatorSettings = { view: 'stereo', ipd: 0.063, fovY: 90, hz: 60 };

/** Checks settings given through the URL or the API; returns the usable ones and a sentence per unusable one. */
export function checkEmulatorSettings(raw: Partial<Record<keyof EmulatorSettings, unknown>>): { settings: Partial<EmulatorSettings>; problems: string[] } {
  const settings: Partial<EmulatorSettings> = {};
  const problems: string[] = [];
  if (raw.view !== undefined) {
    if ((VIEW_MODES as readonly unknown[]).includes(raw.view)) settings.view = raw.view as ViewMode;
    else problems.push(`view=${String(raw.view)} ignored: expected stereo or mono`);
  }
  if (raw.ipd !== undefined) {
    const ipd = Number(raw.ipd);
    if (Number.isFinite(ipd) && ipd >= 0 && ipd <= 0.1) settings.ipd = ipd;
    else problems.push(`ipd=${String(raw.ipd)} ignored: expected 0–100 mm`);
  }
  if (raw.fovY !== undefined) {
    const fov = Number(raw.fovY);
    if (Number.isFinite(fov) && fov >= 30 && fov <= 150) settings.fovY = fov;
    else problems.push(`fov=${String(raw.fovY)} ignored: expected 30–150 degrees`);
  }
  if (raw.hz !== undefined) {
    const hz = Number(raw.hz);
    if ((REFRESH_RATES as readonly number[]).includes(hz)) settings.hz = hz as RefreshRate;
    else problems.push(`hz=${String(raw.hz)} ignored: expected ${REFRESH_RATES.join(', ')}`);
  }
  return { settings, problems };
}
