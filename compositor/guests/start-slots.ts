// Start slots: at most MAX_STARTING guest workers start at once (spawned, no first frame yet, and
// their runtime up for less than a moment: see below);
// layers beyond that wait their turn in the order they asked, still `loading`. A start is the most
// expensive moment of a guest's life for the whole machine (a process, a runtime to parse, a GL
// context and shaders to compile in the GPU process every context shares), so a gallery loaded
// at once starts two by two instead of starving the compositor's frame together. Versions under
// vetting take a slot when they start but never wait for one: a live edit is not queued. A start
// whose runtime has been up for a while gives its slot back before its first frame (supervisor.ts):
// a setup awaiting its network, or one that never settles, loads nothing, and must not hold the
// gallery's starts back (in the HUD's chaos two such fixtures held both slots for seconds at a time).
export class StartSlots<Run, Waiting> {
  private readonly starting = new Set<Run>();
  private readonly waiting: Waiting[] = [];

  constructor(private readonly slots: number) {}

  /** Whether a start may begin now; if not, `who` waits (once) for a slot. */
  ask(who: Waiting): boolean {
    if (this.starting.size < this.slots) return true;
    if (!this.waiting.includes(who)) this.waiting.push(who);
    return false;
  }

  /** A run began starting (it holds a slot, or a vetting run took one without asking). */
  began(run: Run): void {
    this.starting.add(run);
  }

  /** The run delivered its first frame or ended: its slot is free. Returns whether it held one. */
  ended(run: Run): boolean {
    return this.starting.delete(run);
  }

  /** Frees the slots of the runs `done` says are past the costly part of their start; returns whether any was freed. */
  release(done: (run: Run) => boolean): boolean {
    let freed = false;
    for (const run of [...this.starting]) {
      if (!done(run)) continue;
      this.starting.delete(run);
      freed = true;
    }
    return freed;
  }

  /** The next waiter a free slot may start, or undefined; `stillWants` drops those that no longer wait (unloaded, retried). */
  next(stillWants: (who: Waiting) => boolean): Waiting | undefined {
    while (this.starting.size < this.slots && this.waiting.length > 0) {
      const who = this.waiting.shift()!;
      if (stillWants(who)) return who;
    }
    return undefined;
  }

  /** Whether any run holds a slot now (read every compositor frame: no allocation). */
  get taken(): boolean {
    return this.starting.size > 0;
  }

  /** How many runs are starting now, and how many layers wait. */
  get counts(): { starting: number; waiting: number } {
    return { starting: this.starting.size, waiting: this.waiting.length };
  }

  /** Whether this one is waiting for a slot. */
  isWaiting(who: Waiting): boolean {
    return this.waiting.includes(who);
  }
}
