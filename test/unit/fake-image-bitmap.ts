// Node has no ImageBitmap: tests that validate messages stand in a class, so `instanceof`
// checks can pass and fail. Call at the top of a test file.
import { afterAll, beforeAll } from 'vitest';

export class FakeImageBitmap {
  close() {}
}

export function installFakeImageBitmap(): void {
  const g = globalThis as Record<string, unknown>;
  beforeAll(() => {
    g.ImageBitmap = FakeImageBitmap;
  });
  afterAll(() => {
    delete g.ImageBitmap;
  });
}
