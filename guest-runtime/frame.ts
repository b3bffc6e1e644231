// The guest's sandboxed iframe (sandbox="allow-scripts", so an opaque origin): it exists only
// to start the guest's worker where the guest gets no origin, no storage and no DOM of the
// compositor's, and, in Chromium, a renderer process apart from the compositor's.
//
// It waits for the compositor's single boot message, starts the guest runtime as a classic
// worker from a blob (module workers from blob: do not start in an opaque origin), and hands
// the runtime its private control port straight through: frames never pass this page. It
// reports only what the compositor cannot see from outside: messages guest code posted on
// the worker's public channel (counted) and worker errors.
import type { FrameBootMessage, FrameHostMessage } from '../shared/protocol';

import { FLOOD_MESSAGES_PER_FRAME } from '../shared/limits';

const REPORT_MS = 50;

// Runs once, for the compositor's boot message.
function onBoot(event: MessageEvent<FrameBootMessage>): void {
  if (event.source !== window.parent || event.data?.type !== 'frame-boot') return;
  window.removeEventListener('message', onBoot);
  const { runtime, controlPort, hostPort, name } = event.data;
  const report = (message: FrameHostMessage) => hostPort.postMessage(message);
  let stray = 0;
  const worker = new Worker(URL.createObjectURL(runtime), { name });
  // Runs for every message guest code posts on its worker's public channel: count it, free any
  // bitmap. At flood level, report at once and stop reading: this process is shared with other
  // guests, and the compositor is about to end this one anyway.
  worker.onmessage = (e: MessageEvent<unknown>) => {
    stray += 1;
    if (stray > FLOOD_MESSAGES_PER_FRAME) {
      worker.onmessage = null;
      worker.terminate();
      report({ type: 'stray', count: stray });
      stray = 0;
      return;
    }
    const bitmap = (e.data as { bitmap?: unknown } | null)?.bitmap;
    if (bitmap instanceof ImageBitmap) bitmap.close();
  };
  // Runs if the worker fails to start or an error escapes it.
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    report({ type: 'worker-error', message: String(e.message || 'the guest worker failed') });
  };
  setInterval(() => {
    if (stray === 0) return;
    report({ type: 'stray', count: stray });
    stray = 0;
  }, REPORT_MS);
  worker.postMessage({ type: 'boot', controlPort }, [controlPort]);
}

window.addEventListener('message', onBoot);
