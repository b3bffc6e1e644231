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

/** Draw calls a guest may submit per frame; one more fails its frame (guest-runtime/gpu-caps.ts). */
export const MAX_DRAWS_PER_FRAME = 20_000;
/** Vertices (times instances) a guest may draw per frame; more fails its frame. */
export const MAX_VERTICES_PER_FRAME = 50_000_000;

/**
 * Loop iterations one shader invocation may run in all, every loop it enters counted (nested ones
 * too); past that each loop it is in ends at its next iteration (guest-runtime/shader-loops.ts).
 */
export const MAX_SHADER_LOOP_ITERATIONS = 4_096;

/** The largest guest module (source text) live editing takes, bytes. */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/** Input for one frame (shared/protocol.ts FrameInput): sources, and events held for a guest between two of its frames (the oldest dropped past it). */
export const MAX_INPUT_SOURCES = 8;
export const MAX_INPUT_EVENTS = 64;
export const MAX_PROFILES = 8;
export const MAX_PROFILE_LENGTH = 100;
export const MAX_GAMEPAD_BUTTONS = 16;
export const MAX_GAMEPAD_AXES = 8;

/** How often a guest runtime says it is alive, ms (so a busy but healthy guest is not taken for hung). */
export const HEARTBEAT_MS = 50;

/** Messages per compositor frame a guest may send on its frame port before the excess is dropped... */
export const PORT_MESSAGES_PER_FRAME = 8;
/** ...and past which it is ended as a flood (the same threshold ends it on the worker's public channel). */
export const FLOOD_MESSAGES_PER_FRAME = 64;

/**
 * Guest workers that may be starting at once (spawned, no first frame yet, their runtime up for
 * less than 1.5 s, or idle sooner: compositor/policy/watchdog.ts startPastCostlyPart). Each start is a
 * process, a runtime to parse, a GL context and shaders to compile in the shared GPU process: a
 * whole gallery starting together starves the compositor's own frame for seconds. Others wait.
 */
export const MAX_STARTING = 2;

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
  /**
   * A restart storm: once this many other guests have restarted within stormWindowMs, a guest that
   * crashes before it has delivered 60 frames is quarantined instead of restarted (0: never).
   */
  stormGuests: 3,
  stormWindowMs: 10_000,
  /** Throttling: the guest is asked for every 1st, 2nd … maxDivisor-th frame. */
  maxDivisor: 3,
  /**
   * Frame-return samples the pacer judges over, and the share of late ones that means "steadily
   * slow" (a slower pace; eviction at the bottom). A smaller scale takes only a quarter of them, or
   * this share where it is lower (compositor/policy/pacer.ts SCALE_LATE_FRACTION).
   */
  pacerWindow: 8,
  pacerLateFraction: 0.75,
  /**
   * After a guest is evicted as too slow, nobody else is for this long, ms: GPU work it queued
   * keeps every other guest slow until it drains (about a second here), and they are not to blame.
   */
  evictionCooldownMs: 3_000,
} as const;

export type Policy = { -readonly [K in keyof typeof DEFAULT_POLICY]: number };
