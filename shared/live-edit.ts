// The dev server's guest-change event (tooling/guest-watch.ts sends it; the compositor listens).
export const GUEST_CHANGE_EVENT = 'steadfast:guest-change';

export interface GuestChange {
  /** The changed file's path on the dev server, from its root, e.g. `/demos/scenes/cubes-room.js`. */
  path: string;
  /** Its new text, read by the dev server as it saw the change (so the page need not fetch it again); absent past MAX_SOURCE_BYTES. */
  source?: string;
  /** When the file was last modified (its mtime, ms since the epoch): a reload's "detect" phase counts from here. */
  savedAt?: number;
}
