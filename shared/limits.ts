// Every hard cap of the compositor, in one place (Monado's MULTI_MAX_* idea).
// A value here is a promise to guest authors: change it only with a README note.

/** Most layers the compositor will hold at once; `load()` past this fails. */
export const MAX_LAYERS = 64;

/** Guest surface (the OffscreenCanvas holding both eyes side by side), in pixels. */
export const DEFAULT_SURFACE = { width: 1024, height: 512 } as const;
export const MIN_SURFACE_SIDE = 16;
export const MAX_SURFACE_SIDE = 4096;

/** Views per frame request (stereo). */
export const MAX_VIEWS = 2;

/** Longest error text kept from a guest (message / stack), in characters. */
export const MAX_ERROR_MESSAGE = 2_000;
export const MAX_ERROR_STACK = 8_000;

/** Longest guest URL accepted by `load()`. */
export const MAX_URL_LENGTH = 2_048;

/** A control call to a guest (init, snapshot) that has not answered by then is rejected. */
export const CONTROL_CALL_TIMEOUT_MS = 10_000;

/** How often a guest runtime says it is alive, ms (so a busy but healthy guest is not taken for hung). */
export const HEARTBEAT_MS = 50;

/** Messages per compositor frame a guest may send on its frame port before the excess is dropped... */
export const PORT_MESSAGES_PER_FRAME = 8;
/** ...and past which it is ended as a flood (the same threshold ends it on the worker's public channel). */
export const FLOOD_MESSAGES_PER_FRAME = 64;

/** Default supervision policy; every figure can be overridden per page (README "Page URL"). */
export const DEFAULT_POLICY = {
  /** Frames a stale layer keeps being shown with its last frame before it is dropped (SteamVR: 10). */
  graceFrames: 10,
  /** A started guest with no frame and no sign of life for this long is hung, ms. */
  hangMs: 250,
  /** First frame must arrive within this long of spawning, ms (Meta VRC: 4 s). */
  startupMs: 4000,
  /** More than this many restarts within restartWindowMs quarantines the guest (Erlang/OTP intensity). */
  maxRestarts: 3,
  restartWindowMs: 30_000,
  /** Backoff before the n-th restart in the window: base × 2^(n−1), capped. */
  backoffBaseMs: 100,
  backoffMaxMs: 2_000,
  /** Throttling: the guest is asked for every 1st, 2nd … maxDivisor-th frame. */
  maxDivisor: 3,
  /** Frame-return samples the pacer judges over, and the share of late ones that means "steadily slow". */
  pacerWindow: 8,
  pacerLateFraction: 0.75,
  /**
   * After a guest is evicted as too slow, nobody else is for this long, ms: GPU work it queued
   * keeps every other guest slow until it drains (about a second here), and they are not to blame.
   */
  evictionCooldownMs: 3_000,
} as const;

export type Policy = { -readonly [K in keyof typeof DEFAULT_POLICY]: number };
