// What the eviction rule (policy/eviction.ts) needs to know about a guest's neighbours, read from
// the layers: whether any is starting, whether any is still in admission, and their fastest
// recent frames. Reads only; the supervisor decides.
import type { Policy } from '../../shared/limits';
import type { Layer } from '../layer';
import type { GuestRun, RecentDelivery } from './guest-run';
import { bestLatency } from '../policy/pacer';

/** Loading or restarting, and not waiting for a start slot (a layer that waits loads nothing). */
export function isStarting(layer: Layer, waitingToStart: (layer: Layer) => boolean): boolean {
  return (layer.state === 'loading' && !waitingToStart(layer)) || layer.state === 'restarting';
}

/**
 * Whether another guest is loading or restarting. Starting a guest (a process, a 1 MB runtime
 * to parse, a module to fetch) loads the whole machine for a moment and makes every guest look
 * slow; nobody is evicted for plain slowness until that has passed.
 */
export function othersStarting(layers: Iterable<Layer>, except: Layer, waitingToStart: (layer: Layer) => boolean): boolean {
  for (const layer of layers) if (layer !== except && isStarting(layer, waitingToStart)) return true;
  return false;
}

/**
 * Whether another layer's guest has started but delivered no frame to measure yet (in admission
 * beside this one): started within the start-up limit (one silent since then is broken, not unmeasured).
 */
export function othersUnmeasured(layers: Iterable<Layer>, except: Layer, now: number, policy: Pick<Policy, 'startupMs'>): boolean {
  for (const layer of layers) {
    const run = layer.liveRun;
    if (layer !== except && run?.started && run.pacer.samples.length < 2 && now - run.liveness.spawnedAt < policy.startupMs) return true;
  }
  return false;
}

/** Which figure of a run's recent deliveries: latency (`ms`), GPU time or frame() time. */
type Figure = keyof Pick<RecentDelivery, 'ms' | 'gpuMs' | 'cpuMs'>;

/**
 * The fastest figure each other layer's guest had at or after `since` (those with none are left
 * out): what its neighbours managed in the same moments as a guest's admission frames, under the
 * same load (a burst of starts slows every guest at once; a GPU hog makes every guest wait). By
 * default their frames' latencies; `figure` picks another (their GPU or frame() times).
 */
export function otherBestSince(layers: Iterable<Layer>, except: Layer, since: number, figure: Figure = 'ms'): number[] {
  const out: number[] = [];
  for (const layer of layers) {
    const run = layer.liveRun;
    if (layer === except || !run) continue;
    let best = Infinity;
    for (const d of run.recent) if (d.at >= since && d[figure] < best) best = d[figure];
    if (best < Infinity) out.push(best);
  }
  return out;
}

/** When a run's current admission began: its readmission after a hold, else its first frame (else now). */
export function admissionStart(run: Pick<GuestRun, 'readmittedAt' | 'liveness'>, now: number): number {
  return run.readmittedAt ?? run.liveness.firstFrameAt ?? now;
}

/**
 * When the frames an admission judgement at `scale` weighs began: the request of the earliest of
 * its deliveries at that scale since `floor` (its first frame, or its readmission after a hold),
 * or `floor` if there is none. Its neighbours are read from then: their frames of the same
 * moments. From its first frame instead, a guest judged late in a burst was weighed against
 * neighbours' frames from before the machine filled up (a clean-clone run quarantined a
 * three.js demo among 16 for 96 ms at 1/8, 16 ms at 1/16).
 */
export function judgedSince(recent: readonly RecentDelivery[], scale: number, floor: number): number {
  let since = Infinity;
  for (const d of recent) if (d.scale === scale && d.at >= floor) since = Math.min(since, d.at - d.ms);
  return Number.isFinite(since) ? Math.max(floor, since) : floor;
}

/** Fastest recent frame-return latencies of the other layers whose guests are delivering frames. */
export function otherBestLatencies(layers: Iterable<Layer>, except: Layer): number[] {
  const out: number[] = [];
  for (const layer of layers) {
    const run = layer.liveRun;
    if (layer !== except && run && run.pacer.samples.length > 0) out.push(bestLatency(run.pacer));
  }
  return out;
}
