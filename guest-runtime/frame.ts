// The guest's sandboxed iframe (sandbox="allow-scripts", so an opaque origin): it exists only
// to start the guest's worker where the guest gets no origin, no storage and no DOM of the
// compositor's, and, in Chromium, a renderer process apart from the compositor's.
//
// It waits for the compositor's boot message, starts the guest runtime as a classic worker from
// a blob (module workers from blob: do not start in an opaque origin), and hands the runtime its
// private control port straight through: frames never pass this page. It reports only what the
// compositor cannot see from outside: that a worker started (the frame's process is alive),
// messages guest code posted on the worker's public channel (counted) and worker errors.
//
// A restart of the same guest reuses this frame (and its process, the most expensive part of a
// start): the compositor's reboot message ends the current worker, busy or not, and starts a
// fresh runtime with a new control port. Nothing of the old worker survives it: guest code only
// ever ran in the worker, and its handlers are detached before it is terminated.
import type { FrameBootMessage, FrameHostMessage, FrameRebootMessage } from '../shared/protocol';

import { FLOOD_MESSAGES_PER_FRAME } from '../shared/limits';

const REPORT_MS = 50;

/** What the first boot set up, kept for reboots: the runtime's blob URL and the report channel. */
let booted: { runtimeUrl: string; report: (message: FrameHostMessage) => void } | null = null;
let worker: Worker | null = null;
let stray = 0;

/** Ends the current worker (if any) and starts a runtime with `controlPort`. */
function startWorker(runtimeUrl: string, report: (message: FrameHostMessage) => void, controlPort: MessagePort, name: string): void {
  endWorker();
  const current = new Worker(runtimeUrl, { name });
  worker = current;
  // Runs for every message guest code posts on its worker's public channel: count it, free any
  // bitmap. At flood level, report at once and stop reading: the compositor is about to end it.
  current.onmessage = (e: MessageEvent<unknown>) => {
    stray += 1;
    if (stray > FLOOD_MESSAGES_PER_FRAME) {
      const count = stray;
      endWorker();
      report({ type: 'stray', count });
      return;
    }
    const bitmap = (e.data as { bitmap?: unknown } | null)?.bitmap;
    if (bitmap instanceof ImageBitmap) bitmap.close();
  };
  // Runs if the worker fails to start or an error escapes it.
  current.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    report({ type: 'worker-error', message: String(e.message || 'the guest worker failed') });
  };
  current.postMessage({ type: 'boot', controlPort }, [controlPort]);
  report({ type: 'started' });
}

/** Ends the current worker, its handlers detached first, so nothing of it is reported after. */
function endWorker(): void {
  if (!worker) return;
  worker.onmessage = null;
  worker.onerror = null;
  worker.terminate();
  worker = null;
  stray = 0;
}

// Runs for each message from the compositor: the first boot, then a reboot per restart.
function onMessage(event: MessageEvent<FrameBootMessage | FrameRebootMessage>): void {
  if (event.source !== window.parent) return;
  const data = event.data;
  if (data?.type === 'frame-boot' && booted === null) {
    const { runtime, controlPort, hostPort, name } = data;
    const report = (message: FrameHostMessage) => hostPort.postMessage(message);
    booted = { runtimeUrl: URL.createObjectURL(runtime), report };
    setInterval(() => {
      if (stray === 0) return;
      report({ type: 'stray', count: stray });
      stray = 0;
    }, REPORT_MS);
    startWorker(booted.runtimeUrl, report, controlPort, name);
  } else if (data?.type === 'frame-reboot' && booted !== null) {
    startWorker(booted.runtimeUrl, booted.report, data.controlPort, data.name);
  }
}

window.addEventListener('message', onMessage);
