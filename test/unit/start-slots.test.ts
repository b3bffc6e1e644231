// Start slots: at most N starts at once, the rest waiting in order; a start past its costly part
// gives its slot back before its first frame.
import { describe, expect, it } from 'vitest';
import { StartSlots } from '../../compositor/guests/start-slots';

describe('start slots', () => {
  it('lets two start, queues the rest in order, and hands a freed slot to the first still waiting', () => {
    const slots = new StartSlots<string, string>(2);
    expect([slots.ask('a'), slots.ask('b')]).toEqual([true, true]);
    slots.began('a');
    slots.began('b');
    expect([slots.ask('c'), slots.ask('d'), slots.ask('c')]).toEqual([false, false, false]);
    expect(slots.counts).toEqual({ starting: 2, waiting: 2 });
    expect(slots.ended('a')).toBe(true);
    expect(slots.ended('a')).toBe(false);
    expect(slots.next((who) => who !== 'c')).toBe('d'); // 'c' no longer wants to start
    expect(slots.counts).toEqual({ starting: 1, waiting: 0 });
  });

  it('frees the slots of the starts the caller says are past their costly part', () => {
    const slots = new StartSlots<string, string>(2);
    slots.began('idle-setup');
    slots.began('spawning');
    slots.ask('next');
    expect(slots.release((run) => run === 'idle-setup')).toBe(true);
    expect(slots.release(() => false)).toBe(false);
    expect(slots.next(() => true)).toBe('next');
    expect(slots.ended('idle-setup')).toBe(false); // its slot was already given back
  });
});
