// Every hard cap of the compositor, in one place (Monado's MULTI_MAX_* idea).
// A value here is a promise to guest authors: change it only with a README note.

/** Most layers the compositor will hold at once; `load()` past this fails. */
export const MAX_LAYERS = 16;

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
