// Bounding what a guest may send per compositor frame: up to `soft` messages are taken,
// the excess is dropped and counted, and past `hard` the guest is ended as a flood.
// Pure counters; the caller says when a new frame starts.
export interface MessageBudget {
  soft: number;
  hard: number;
  /** Messages seen since the current frame began. */
  inFrame: number;
  /** Messages dropped over the soft cap, all time. */
  dropped: number;
}

export type Admission = 'take' | 'drop' | 'flood';

export function createBudget(soft: number, hard: number): MessageBudget {
  return { soft, hard, inFrame: 0, dropped: 0 };
}

/** Counts one message and says what to do with it. */
export function admit(budget: MessageBudget): Admission {
  budget.inFrame += 1;
  if (budget.inFrame > budget.hard) return 'flood';
  if (budget.inFrame > budget.soft) {
    budget.dropped += 1;
    return 'drop';
  }
  return 'take';
}

/** Starts a new frame's allowance. */
export function newFrame(budget: MessageBudget): void {
  budget.inFrame = 0;
}
