// Warm staging's rules: a container made only out of surplus (wanted, and quiet long enough),
// taken only when ready, dropped when it fails or nothing is watched.
import { describe, expect, it } from 'vitest';
import { FIRST_QUIET_MS, QUIET_MS, WarmStaging } from '../../compositor/live-edit/warm-staging';
import type { PreparedGuest } from '../../compositor/guest-host';

function fake() {
  const made: { ready: boolean; failed: boolean; disposed: boolean }[] = [];
  const warm = new WarmStaging(() => {
    const g = { ready: false, failed: false, disposed: false, dispose: () => void (g.disposed = true) };
    made.push(g);
    return g satisfies PreparedGuest;
  });
  return { warm, made };
}

describe('warm staging', () => {
  it('makes one container once the page has been quiet for FIRST_QUIET_MS (QUIET_MS once a save has come), and only while guests are watched', () => {
    const { warm, made } = fake();
    warm.tick(0, { wanted: false, busy: false });
    warm.tick(FIRST_QUIET_MS * 3, { wanted: false, busy: false });
    expect(made).toHaveLength(0);
    warm.tick(100_000, { wanted: true, busy: false });
    warm.tick(100_000 + FIRST_QUIET_MS - 1, { wanted: true, busy: false });
    expect(made).toHaveLength(0);
    warm.tick(100_000 + FIRST_QUIET_MS, { wanted: true, busy: false });
    warm.tick(200_000, { wanted: true, busy: false });
    expect(made).toHaveLength(1);
    made[0]!.ready = true;
    warm.take(); // a save
    warm.tick(300_000, { wanted: true, busy: false });
    warm.tick(300_000 + QUIET_MS, { wanted: true, busy: false });
    expect(made, 'sooner once the page is being edited').toHaveLength(2);
  });

  it('waits while the page is busy (a guest starting, a version under vetting): quiet counts afresh', () => {
    const { warm, made } = fake();
    warm.take(); // the page is being edited (a save came, none was ready)
    warm.tick(0, { wanted: true, busy: false });
    warm.tick(QUIET_MS - 10, { wanted: true, busy: true });
    warm.tick(QUIET_MS + 10, { wanted: true, busy: false });
    warm.tick(2 * QUIET_MS, { wanted: true, busy: false });
    expect(made).toHaveLength(0);
    warm.tick(2 * QUIET_MS + 10, { wanted: true, busy: false });
    expect(made).toHaveLength(1);
  });

  it('is taken only when ready; a save takes it and the next is made after another quiet spell', () => {
    const { warm, made } = fake();
    warm.take(); // the page is being edited (a save came, none was ready)
    warm.tick(0, { wanted: true, busy: false });
    warm.tick(QUIET_MS, { wanted: true, busy: false });
    expect(warm.take(), 'not ready yet (its context is still being made)').toBeNull();
    made[0]!.ready = true;
    expect(warm.take()).toBe(made[0]);
    expect(warm.take()).toBeNull();
    warm.tick(QUIET_MS + 1, { wanted: true, busy: false });
    warm.tick(2 * QUIET_MS + 1, { wanted: true, busy: false });
    expect(made).toHaveLength(2);
    expect(warm.counts).toEqual({ made: 2, taken: 1 });
  });

  it('drops a failed container and one no longer wanted', () => {
    const { warm, made } = fake();
    warm.take(); // the page is being edited (a save came, none was ready)
    warm.tick(0, { wanted: true, busy: false });
    warm.tick(QUIET_MS, { wanted: true, busy: false });
    made[0]!.failed = true;
    warm.tick(QUIET_MS + 1, { wanted: true, busy: false });
    expect(made[0]!.disposed).toBe(true);
    warm.tick(2 * QUIET_MS + 1, { wanted: true, busy: false });
    expect(made).toHaveLength(2);
    warm.tick(2 * QUIET_MS + 2, { wanted: false, busy: false });
    expect(made[1]!.disposed).toBe(true);
  });
});
