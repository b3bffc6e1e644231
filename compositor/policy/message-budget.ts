// Bounding what a guest may send per compositor frame: up to `soft` messages are taken,
// the excess is dropped and counted, and past `hard` the guest is ended as a flood.
// The allowance is per frame's worth of time: when the compositor's own thread stalls (a frame
// that took seconds), messages queued meanwhile arrive in one burst before the next frame, and
// a guest sending its heartbeat every 50 ms must not look like a flood. Pure: the caller says
// when a frame starts and what time it is.
export interface MessageBudget {
  soft: number;
  hard: number;
  /** Messages seen since the current frame began. */
  inFrame: number;
  /** Messages dropped over the soft cap, all time. */
  dropped: number;
  /** When the current frame began, ms. */
  frameStart: number;
}

export type Admission = 'take' | 'drop' | 'flood';

/** One frame's worth of time: the allowance grows by a frame's caps for each of these since the frame began. */
export const BUDGET_FRAME_MS = 1000 / 60;

/**
 * A new budget; `now`: when it starts counting (a guest's spawn). Until the compositor's first
 * frame (an immersive session waits for the user to enter VR), the allowance grows with the time
 * since then, as it does after a stall.
 */
export function createBudget(soft: number, hard: number, now = -Infinity): MessageBudget {
  return { soft, hard, inFrame: 0, dropped: 0, frameStart: now };
}

/** Counts one message arriving at `now` and says what to do with it. */
export function admit(budget: MessageBudget, now: number = budget.frameStart): Admission {
  budget.inFrame += 1;
  const frames = Number.isFinite(budget.frameStart) ? Math.max(1, (now - budget.frameStart) / BUDGET_FRAME_MS) : 1;
  if (budget.inFrame > budget.hard * frames) return 'flood';
  if (budget.inFrame > budget.soft * frames) {
    budget.dropped += 1;
    return 'drop';
  }
  return 'take';
}

/** Starts a new frame's allowance at `now`. */
export function newFrame(budget: MessageBudget, now = -Infinity): void {
  budget.inFrame = 0;
  budget.frameStart = now;
}
