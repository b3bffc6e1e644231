// A guest's module failed to load: the message says why, and where when known.
export class GuestLoadError extends Error {
  override name = 'GuestLoadError';
  /** The source line the failure is on, where known (syntax errors). */
  line: number | undefined;
  constructor(message: string, line?: number) {
    super(message);
    this.line = line;
  }
}
