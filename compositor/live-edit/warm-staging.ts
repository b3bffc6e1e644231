// Warm staging: one guest container kept ready for the next save (its process and worker started,
// the runtime and three.js evaluated, its GL context made), so a new version's vetting starts at
// its own module's load. A save takes it; a new one is made in the background: while guests can
// be edited (something is watched), once no guest has been starting and no version under
// vetting for QUIET_MS (FIRST_QUIET_MS before the page's first save). Making one is a process start, the most expensive moment of a guest's
// life for everyone else, so never beside another start; but not only when the compositor is
// under no pressure either: on a slow machine (this one, at the defaults) that is rarely, and
// every save would then pay the start itself, in the user's wait rather than in the background.
import type { PreparedGuest } from '../guest-host';

/** How long the page must have been quiet before a warm container is made, once a save has come... */
export const QUIET_MS = 1_500;
/**
 * ...and before the first save: a user opens the page and then edits (the container is ready by
 * then), while a page nobody edits never pays for one in its first seconds (a test suite of
 * short-lived pages, on two cores, was 90 s slower with one made in every page).
 */
export const FIRST_QUIET_MS = 10_000;

/** What the page is doing, each frame, as far as making a warm container is concerned. */
export interface WarmConditions {
  /** Guests are watched for edits (a save may come). */
  wanted: boolean;
  /** A guest is starting or waiting to, or a version is under vetting. */
  busy: boolean;
}

export class WarmStaging {
  private warm: PreparedGuest | null = null;
  private quietSince: number | null = null;
  /** A save has come (the page is being edited): the next container is made sooner. */
  private editing = false;
  /** Warm containers made, and taken by a save (stats, tests, the bench). */
  readonly counts = { made: 0, taken: 0 };

  constructor(private readonly prepare: () => PreparedGuest) {}

  /** A save came: the warm container, if one is ready (the caller's from now on). */
  take(): PreparedGuest | null {
    this.editing = true;
    const warm = this.warm;
    if (!warm?.ready) return null;
    this.warm = null;
    this.counts.taken += 1;
    return warm;
  }

  /** Whether a warm container is ready now. */
  get ready(): boolean {
    return this.warm?.ready ?? false;
  }

  /** Runs once a frame: makes a warm container when one is wanted and the page has been quiet long enough; drops one that failed. */
  tick(now: number, conditions: WarmConditions): void {
    if (this.warm?.failed) {
      this.warm.dispose();
      this.warm = null;
    }
    if (!conditions.wanted) {
      this.dispose();
      this.quietSince = null;
      return;
    }
    if (conditions.busy) {
      this.quietSince = null;
      return;
    }
    this.quietSince ??= now;
    if (this.warm === null && now - this.quietSince >= (this.editing ? QUIET_MS : FIRST_QUIET_MS)) {
      this.warm = this.prepare();
      this.counts.made += 1;
      this.quietSince = null;
    }
  }

  /** Ends the warm container, if any (nothing is watched any more, or the page goes). */
  dispose(): void {
    this.warm?.dispose();
    this.warm = null;
  }
}
