// The boundary between the compositor and one guest: everything that knows where a guest
// runs is in this file. Two containers:
//   - 'sandbox': a sandboxed iframe (sandbox="allow-scripts", an opaque origin, in Chromium
//     its own renderer process) that starts the runtime as a blob: worker. The guest gets no
//     origin, storage or DOM of the compositor's, and no channel to other guests.
//   - 'worker': a plain worker on the compositor's origin and in its process (no isolation;
//     kept for comparison and as the control case of the security tests).
// Either way, frames travel on a private MessagePort straight from the guest's worker to the
// compositor (never relayed through the frame), with the protocol of shared/protocol.ts;
// control calls (init, snapshot, restore) go by comlink on a second private port, each with a
// deadline. Every message from the guest side is validated before it reaches the caller.
import * as Comlink from 'comlink';
import {
  parseFrameHostMessage,
  parseGuestMessage,
  parseInitResult,
  parsePrewarmResult,
  parseRestoreResult,
  parseSnapshotResult,
  type RestoreResult,
  type SnapshotResult,
  type FrameDelivery,
  type FrameRequest,
  type GuestControl,
  type GuestErrorReport,
  type InitResult,
  type BootMessage,
  type FrameBootMessage,
  type FrameRebootMessage,
} from '../shared/protocol';
import { CONTROL_CALL_TIMEOUT_MS, FLOOD_MESSAGES_PER_FRAME, PORT_MESSAGES_PER_FRAME } from '../shared/limits';
import { admit, createBudget, newFrame } from './policy/message-budget';
import type { LifeSign } from './policy/watchdog';
import { THREE_ADDONS_PATH } from '../shared/bare-specifiers';

export interface GuestHostEvents {
  /** Any valid message arrived (frame, heartbeat, error): the guest's thread is alive; `sign` says what it was (policy/watchdog.ts). */
  onLife(sign: LifeSign): void;
  /** A validated frame arrived; the receiver owns `frame.bitmap` from now on. */
  onFrame(frame: FrameDelivery): void;
  /** The guest reported an error it caught (phase, message, stack). */
  onError(report: GuestErrorReport): void;
  /** The guest sent something the protocol does not allow, or flooded; `reason` says what. Called once. */
  onProtocolError(reason: string): void;
}

export interface GuestHost {
  /** Whether it runs in a warm container, made before it was asked for (live editing's warm staging). */
  readonly warm: boolean;
  /** Loads and sets up the guest; settles with its result, or a load failure on timeout, worker error or teardown. */
  start(): Promise<InitResult>;
  /** Asks the guest for a frame. Never blocks. */
  requestFrame(request: FrameRequest): void;
  /** Asks the guest for its state; rejects on timeout, teardown or a malformed answer. */
  snapshot(): Promise<SnapshotResult>;
  /** Hands the guest the live version's latest state (restore); rejects on timeout, teardown or a malformed answer. */
  restore(state: unknown): Promise<RestoreResult>;
  /** Starts a new compositor frame's message allowance. */
  beginFrame(): void;
  /** Messages the guest's own code posted on the worker's public channel (ignored, counted). */
  readonly strayMessages: number;
  /** Frame-port messages over the per-frame cap (dropped, counted). */
  readonly droppedMessages: number;
  /** Ends the guest at once; never waits for its thread. Idempotent. */
  terminate(): void;
  /**
   * Ends the guest at once like terminate(), but keeps its container (a sandboxed frame, and so
   * its process: most of a start's cost to the machine) and starts a fresh runtime in it, for the
   * same guest's restart (spawnGuest's `prepared`). Null where it cannot be kept (a plain worker,
   * a frame that never booted or reported something malformed): then the container is ended too.
   */
  recycle(): PreparedGuest | null;
}

export interface Surface { width: number; height: number }

export type Isolation = 'sandbox' | 'worker';

const RUNTIME_URL = '/@steadfast/guest-runtime.js';
const THREE_URL = '/@steadfast/three.js';
const FRAME_PATH = '/@steadfast/guest-frame.html';

let frameCount = 0;
/**
 * Where a guest's frame document comes from. Sandboxed frames of one *site* share one renderer
 * process in Chromium (so one guest's out-of-memory crash, or its WebGL contexts, would count
 * against all of them). When the compositor is served from a loopback address, each guest frame
 * is loaded from its own `g<N>.localhost` host (which browsers resolve to loopback), a site of its
 * own, so it gets a process of its own. Elsewhere, frames come from the compositor's own host.
 */
export function frameUrl(location: Pick<Location, 'protocol' | 'hostname' | 'port' | 'origin'>, n: number): string {
  const loopback = location.hostname === 'localhost' || location.hostname === '127.0.0.1' || location.hostname === '[::1]';
  if (!loopback || location.protocol !== 'http:') return `${location.origin}${FRAME_PATH}`;
  return `http://g${n}.localhost${location.port ? `:${location.port}` : ''}${FRAME_PATH}`;
}

/** Where a guest's runtime runs, as the host sees it. */
interface Container {
  /** Hands the runtime its control port (queued until the container is ready). */
  boot(message: BootMessage): void;
  /**
   * Ends the current runtime's worker, busy or not, and starts a fresh runtime in the same
   * container (the same process) with this control port; its reports go to `events` once the
   * container says the new worker started. False (nothing done) where it cannot: a plain worker,
   * a container not booted yet, ended, or one that reported something malformed.
   */
  reboot(message: BootMessage, events: ContainerEvents): boolean;
  terminate(): void;
}

interface ContainerEvents {
  /** The container started a worker for its latest boot (a sandboxed frame says so: its process is alive). */
  onStarted(): void;
  /** Guest code posted `count` messages on its worker's public channel (never read). */
  onStray(count: number): void;
  /** The worker failed to start or an error escaped it. */
  onFailure(message: string): void;
  /** The container reported something malformed. */
  onViolation(reason: string): void;
}

let runtimeBlob: Promise<Blob> | null = null;
/** The runtime's source, fetched once per page and shared by every sandboxed guest. */
function runtimeSource(): Promise<Blob> {
  runtimeBlob ??= fetch(RUNTIME_URL).then((r) => {
    if (!r.ok) throw new Error(`guest runtime: HTTP ${r.status}`);
    return r.blob();
  });
  runtimeBlob.catch(() => (runtimeBlob = null));
  return runtimeBlob;
}

let threeBlob: Promise<Blob | string> | null = null;
/**
 * three.js's script, fetched once per page and handed to every guest's runtime in its init call
 * (a Blob is a handle: nothing is copied until a runtime runs it, for a guest that uses three); or
 * why it could not be fetched (then only a guest that uses three fails, saying so; the next start
 * tries again).
 */
function threeSource(): Promise<Blob | string> {
  threeBlob ??= fetch(THREE_URL)
    .then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return r.blob();
    })
    .catch((e: unknown) => {
      threeBlob = null;
      return `the compositor could not fetch ${THREE_URL}: ${e instanceof Error ? e.message : String(e)}`;
    });
  return threeBlob;
}

function workerContainer(url: string, events: ContainerEvents): Container {
  const worker = new Worker(RUNTIME_URL, { name: `guest ${url}` });
  // Runs when guest code posts on the worker's public channel (the runtime never does).
  worker.onmessage = (event: MessageEvent<unknown>) => {
    closeTransferred(event.data);
    events.onStray(1);
  };
  // Runs when the worker script fails, or an error escapes it.
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    events.onFailure(event.message || 'the guest worker failed');
  };
  return {
    boot: (message) => {
      worker.postMessage(message, [message.controlPort]);
      events.onStarted();
    },
    reboot: () => false,
    terminate: () => {
      worker.onmessage = null;
      worker.terminate();
    },
  };
}

function sandboxContainer(url: string, firstEvents: ContainerEvents): Container {
  // Where reports go: the first runtime's owner, then each reboot's once its worker started.
  let events = firstEvents;
  let next: ContainerEvents | null = null;
  let sent = false;
  let tainted = false;
  const frame = document.createElement('iframe');
  frame.sandbox.add('allow-scripts');
  frame.src = frameUrl(window.location, ++frameCount);
  frame.title = `guest ${url}`;
  frame.setAttribute('aria-hidden', 'true');
  frame.className = 'guest-frame';
  const host = new MessageChannel();
  let pending: BootMessage | null = null;
  let loaded = false;
  let gone = false;
  const send = () => {
    if (!pending || !loaded || gone) return;
    const boot = pending;
    pending = null;
    runtimeSource().then(
      (runtime) => {
        if (gone) return;
        const message: FrameBootMessage = { type: 'frame-boot', runtime, controlPort: boot.controlPort, hostPort: host.port2, name: `guest ${url}` };
        frame.contentWindow?.postMessage(message, '*', [boot.controlPort, host.port2]);
        sent = true;
      },
      (e: unknown) => events.onFailure(e instanceof Error ? e.message : String(e)),
    );
  };
  // Runs for each report from the frame's bootstrap (in the guest's process: validated).
  host.port1.onmessage = (event: MessageEvent<unknown>) => {
    const parsed = parseFrameHostMessage(event.data);
    if (!parsed.ok) {
      tainted = true;
      return (next ?? events).onViolation(`malformed frame report: ${parsed.reason}`);
    }
    const report = parsed.value;
    // After a reboot, what the frame said before its new worker started was about the old one.
    if (next !== null && report.type !== 'started') return;
    switch (report.type) {
      case 'started':
        if (next !== null) {
          events = next;
          next = null;
        }
        return events.onStarted();
      case 'stray':
        return events.onStray(report.count);
      case 'worker-error':
        return events.onFailure(report.message);
      default: {
        const check: never = report;
        return check;
      }
    }
  };
  // Runs once the frame document has loaded: its bootstrap is listening.
  frame.onload = () => {
    loaded = true;
    send();
  };
  document.body.append(frame);
  return {
    boot(message) {
      pending = message;
      send();
    },
    reboot(message, nextEvents) {
      if (!sent || gone || tainted || !frame.contentWindow) return false;
      next = nextEvents;
      const reboot: FrameRebootMessage = { type: 'frame-reboot', controlPort: message.controlPort, name: `guest ${url}` };
      frame.contentWindow.postMessage(reboot, '*', [message.controlPort]);
      return true;
    },
    terminate() {
      gone = true;
      host.port1.onmessage = null;
      host.port1.close();
      // Removing the frame ends its document and its worker, even one stuck in a busy loop.
      frame.remove();
    },
  };
}

/** Which version to start: its source text (else the URL is imported) and the state to hand its setup. */
export interface StartVersion {
  source?: string | undefined;
  state?: unknown;
  /** The page's import map for guests (URL parameter `imports`), if any. */
  imports?: string | undefined;
}


/**
 * A guest container made ahead of its guest (live editing's warm staging): its process and
 * worker started, the runtime evaluated and three.js run (prewarm), its GL context made. spawnGuest
 * takes it for the next version to vet, which then skips all of that.
 */
export interface PreparedGuest {
  /** Whether it is ready to be taken: prewarmed, not failed, not taken. */
  readonly ready: boolean;
  /** Whether it failed (it could not make its context, or its worker failed): it will never be ready. */
  readonly failed: boolean;
  /** Ends it (unused, or failed). Idempotent. */
  dispose(): void;
}

/** A booted container, its control port, and where its events go once a guest owns it. */
interface Booted extends PreparedGuest {
  readonly control: MessageChannel;
  readonly api: Comlink.Remote<GuestControl>;
  readonly container: Container;
  /** The guest that now owns it: its events go there from now on. False if it cannot be taken. */
  take(events: ContainerEvents): boolean;
  /** Makes its GL context ahead (prepareGuest), with the control calls' deadline: ready once done. */
  prewarm(): void;
}

/**
 * Boots a guest runtime: in a new container, or in `reuse`, the container its guest's last run
 * had (a restart: the frame's process is kept, see guest-runtime/frame.ts); null when `reuse`
 * cannot be rebooted. A new container is ready to be taken once prewarmed (warm staging); a
 * reused one once it says its new worker started (so its process is alive: a frame whose process
 * died with its guest, out of memory, never says so, and the restart boots a new container).
 */
function boot(isolation: Isolation, label: string, reuse?: Container): Booted | null {
  void threeSource(); // fetched while the runtime starts: its init call waits for it
  const control = new MessageChannel();
  const api = Comlink.wrap<GuestControl>(control.port1);
  let owner: ContainerEvents | null = null;
  let failed = false;
  let disposed = false;
  let prewarmed = false;
  let started = false;
  // Until a guest owns it, a container has nothing to report: anything it says makes it unusable.
  const unowned = () => (failed = true);
  const events: ContainerEvents = {
    onStarted: () => {
      started = true;
      owner?.onStarted();
    },
    onStray: (count) => (owner ? owner.onStray(count) : unowned()),
    onFailure: (message) => (owner ? owner.onFailure(message) : unowned()),
    onViolation: (reason) => (owner ? owner.onViolation(reason) : unowned()),
  };
  let container: Container;
  if (reuse) {
    if (!reuse.reboot({ type: 'boot', controlPort: control.port2 }, events)) {
      api[Comlink.releaseProxy]();
      control.port1.close();
      return null;
    }
    container = reuse;
  } else {
    container = (isolation === 'sandbox' ? sandboxContainer : workerContainer)(label, events);
    container.boot({ type: 'boot', controlPort: control.port2 });
  }
  const booted: Booted = {
    control,
    api,
    container,
    get ready() {
      return (reuse ? started : prewarmed) && !failed && !disposed && owner === null;
    },
    get failed() {
      return failed;
    },
    take(events) {
      if (owner !== null || disposed) return false;
      owner = events;
      return true;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      if (owner !== null) return; // (its guest ends it)
      container.terminate();
      api[Comlink.releaseProxy]();
      control.port1.close();
    },
    prewarm() {
      const timer = setTimeout(() => (failed = true), CONTROL_CALL_TIMEOUT_MS);
      threeSource().then((three): Promise<unknown> => api.prewarm(three)).then(
        (raw) => {
          clearTimeout(timer);
          const parsed = parsePrewarmResult(raw);
          if (parsed.ok && parsed.value.ok) prewarmed = true;
          else failed = true;
        },
        () => {
          clearTimeout(timer);
          failed = true;
        },
      );
    },
  };
  return booted;
}

/** Makes a guest container ahead of its guest: started, the runtime evaluated, its GL context made. */
export function prepareGuest(isolation: Isolation = 'sandbox'): PreparedGuest {
  const booted = boot(isolation, 'warm staging')!;
  booted.prewarm();
  return booted;
}

export function spawnGuest(url: string, surface: Surface, events: GuestHostEvents, isolation: Isolation = 'sandbox', version: StartVersion = {}, prepared?: PreparedGuest): GuestHost {
  const frames = new MessageChannel();
  let terminated = false;
  let strayMessages = 0;
  let violated = false;
  const portBudget = createBudget(PORT_MESSAGES_PER_FRAME, FLOOD_MESSAGES_PER_FRAME, performance.now());
  const strayBudget = createBudget(0, FLOOD_MESSAGES_PER_FRAME);
  const pendingCalls = new Set<(reason: string) => void>();

  const fail = (message: string): InitResult => ({ ok: false, phase: 'load', message });

  // Reports the first violation only: the guest is ended after this dispatch, nothing after counts.
  // Stop listening at once, so a backlog already queued on this thread is not even read.
  const violation = (reason: string) => {
    if (violated || terminated) return;
    violated = true;
    frames.port1.onmessage = null;
    events.onProtocolError(reason);
  };

  /** A control call with a deadline that also settles (rejects) if the guest is torn down first. */
  function call<T>(name: string, start: () => Promise<unknown>, parse: (raw: unknown) => { ok: true; value: T } | { ok: false; reason: string }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (terminated) return reject(new Error(`${name}: the guest is gone`));
      const done = (fn: () => void) => {
        clearTimeout(timer);
        pendingCalls.delete(abort);
        fn();
      };
      const abort = (reason: string) => done(() => reject(new Error(`${name}: ${reason}`)));
      const timer = setTimeout(() => abort(`no answer within ${CONTROL_CALL_TIMEOUT_MS} ms`), CONTROL_CALL_TIMEOUT_MS);
      pendingCalls.add(abort);
      start().then(
        (raw) => {
          const parsed = parse(raw);
          done(() => (parsed.ok ? resolve(parsed.value) : reject(new Error(`${name}: malformed answer: ${parsed.reason}`))));
        },
        (e: unknown) => abort(e instanceof Error ? e.message : String(e)),
      );
    });
  }

  const containerEvents: ContainerEvents = {
    // Runs when the container started this guest's worker: nothing to do (its init call is queued on the port).
    onStarted() {},
    // Runs when guest code posted on its worker's public channel: counted, and a flood ends it.
    onStray(count) {
      if (violated || terminated) return;
      strayMessages += count;
      strayBudget.inFrame += count - 1;
      // Counted where they were posted (the frame reports a flood at once), so one frame's caps,
      // not time since the frame began: the report arrives whenever the compositor reads it.
      if (admit(strayBudget) === 'flood') {
        violation(`message flood: more than ${FLOOD_MESSAGES_PER_FRAME} messages in one frame on the worker's public channel`);
        container.terminate();
      }
    },
    // Runs when the worker could not start or an error escaped it: pending calls fail with the reason.
    onFailure(message) {
      for (const abort of [...pendingCalls]) abort(message);
    },
    onViolation: (reason) => violation(reason),
  };
  // A warm container if one is ready (and still takeable), else one booted now.
  const warm = prepared?.ready && (prepared as Booted).take(containerEvents) ? (prepared as Booted) : null;
  const booted = warm ?? boot(isolation, url)!;
  if (!warm) booted.take(containerEvents);
  const { api, control, container } = booted;

  // Runs for each message on the frame port: validate, then hand on.
  frames.port1.onmessage = (event: MessageEvent<unknown>) => {
    if (terminated || violated) {
      closeTransferred(event.data);
      return;
    }
    const admission = admit(portBudget, performance.now());
    if (admission !== 'take') {
      closeTransferred(event.data);
      if (admission === 'flood') violation(`message flood: more than ${FLOOD_MESSAGES_PER_FRAME} messages in one frame`);
      return;
    }
    const parsed = parseGuestMessage(event.data);
    if (!parsed.ok) {
      closeTransferred(event.data);
      violation(`malformed message: ${parsed.reason}`);
      return;
    }
    const message = parsed.value;
    events.onLife(message.type !== 'alive' ? 'message' : message.compiling ? 'compiling' : message.waiting ? 'waiting' : 'beat');
    switch (message.type) {
      case 'frame':
        events.onFrame(message);
        return;
      case 'error':
        events.onError(message);
        return;
      case 'alive':
        return;
      default: {
        const check: never = message;
        return check;
      }
    }
  };

  return {
    /** Whether it runs in a warm container made ahead of it. */
    warm: warm !== null,
    get strayMessages() {
      return strayMessages;
    },
    get droppedMessages() {
      return portBudget.dropped;
    },
    beginFrame() {
      const now = performance.now();
      newFrame(portBudget, now);
      newFrame(strayBudget, now);
    },
    snapshot() {
      return call('snapshot', () => api.snapshot(), parseSnapshotResult);
    },
    restore(state) {
      return call('restore', () => api.restore(state), parseRestoreResult);
    },
    start() {
      return threeSource()
        .then((three) => {
          const params = { url, width: surface.width, height: surface.height, framePort: frames.port2, source: version.source, state: version.state, addonsBase: new URL(`${THREE_ADDONS_PATH}/`, location.href).href, imports: version.imports, three };
          return call('init', () => api.init(Comlink.transfer(params, [frames.port2])), parseInitResult);
        })
        .catch((e: unknown): InitResult => fail(e instanceof Error ? e.message : String(e)));
    },
    requestFrame(request) {
      if (!terminated) frames.port1.postMessage(request);
    },
    terminate() {
      end(true);
    },
    recycle() {
      if (terminated) return null;
      const spare = boot(isolation, url, container);
      end(spare === null);
      return spare;
    },
  };

  /** Ends this guest: its calls fail, its channels close; its container too, unless a reboot took it. */
  function end(endContainer: boolean): void {
    if (terminated) return;
    terminated = true;
    for (const abort of [...pendingCalls]) abort('the guest was terminated');
    if (endContainer) container.terminate();
    api[Comlink.releaseProxy]();
    frames.port1.close();
    control.port1.close();
  }
}

/** Closes any ImageBitmap inside a message we are not going to use, so GPU/CPU memory is freed now. */
function closeTransferred(data: unknown): void {
  if (typeof data !== 'object' || data === null) return;
  try {
    const bitmap = (data as { bitmap?: unknown }).bitmap;
    if (bitmap instanceof ImageBitmap) bitmap.close();
  } catch {
    // A hostile getter: nothing to close.
  }
}
