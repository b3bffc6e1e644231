// Shared browser driver for tests, bench and tooling (tooling/driver/).
// PNG decoding for screenshot assertions.
import { PNG } from 'pngjs';

export function decodePng(buffer: Buffer): { width: number; height: number; data: Uint8Array } {
  const png = PNG.sync.read(buffer);
  return { width: png.width, height: png.height, data: png.data };
}
