// Finding a GPU hog that the pacer cannot single out. Every WebGL context shares one GPU queue, so
// a guest whose draws take seconds slows the compositor itself; once the compositor runs at a frame
// or two a second, every guest's frame-return latency reads as about one compositor frame and
// nobody stands out (policy/pacer.ts standsOut). So find it by experiment: while the compositor
// is starved, stop asking half the suspects for frames (their last frames stay up, reprojected)
// and see whether the compositor recovers; halve the group that made the difference, until one
// guest alone does: that is the hog. Nobody is convicted by elimination, only by a direct test.
// Pure, over an injected clock reading, like the watchdog.
//
//   watching ──starved for starvedForMs, nothing blocking──▶ probing(group)
//   probing ──group idle for settleMs, the compositor ≥ recoveryFactor× faster──▶ group of one: culprit, watching
//                                                                             └─▶ else probing(first half of group)
//   probing ──no recovery──▶ probing(the rest), or watching (resting restMs) when no suspect is left
//   probing ──probeMaxMs, a blocker, or its whole group gone──▶ watching

export interface ProbePolicy {
  /** The compositor is starved below nominal fps ÷ this. */
  starvedFactor: number;
  /** …for this long before probing starts, ms. */
  starvedForMs: number;
  /** After the paused group's last frame is in, measure this long, ms. */
  settleMs: number;
  /** Recovery: the compositor's rate while the group is paused ≥ this × its rate before… */
  recoveryFactor: number;
  /** …and at least this many frames per second more. */
  minGainFps: number;
  /** A probe gives up after this long, ms. */
  probeMaxMs: number;
  /** After a probe round without a culprit, wait this long before the next, ms. */
  restMs: number;
}

export const DEFAULT_PROBE: ProbePolicy = { starvedFactor: 3, starvedForMs: 3000, settleMs: 1500, recoveryFactor: 2, minGainFps: 3, probeMaxMs: 8000, restMs: 30_000 };

export type ProbeState =
  | { kind: 'watching'; starvedSince: number | null; restUntil: number }
  | {
      kind: 'probing';
      /** Who is paused now. */
      group: number[];
      /** Who may still be the hog (group among them). */
      candidates: number[];
      since: number;
      /** The compositor's frame rate before this round began. */
      baselineFps: number;
      /** When every paused guest had no frame in flight (their queued GPU work is done or going). */
      idleSince: number | null;
    };

export interface ProbeInput {
  at: number;
  /** Compositor frames per second over the last settleMs (judges starvation and recovery). */
  fps: number;
  /** …and over the last starvedForMs (the rate a round is compared with). */
  fpsLong: number;
  nominalFps: number;
  /** Something else explains a slow compositor now (a guest starting, a recent eviction, a version under vetting). */
  blocked: boolean;
  /** Live, composited layers that could be the hog, most likely first. */
  suspects: readonly number[];
  /** Whether each paused layer has no frame request in flight. */
  idle: (id: number) => boolean;
}

export interface ProbeStep {
  state: ProbeState;
  /** Layers not to ask for frames this compositor frame. */
  paused: readonly number[];
  /** The hog found, if any (with the rates that convicted it). */
  culprit: { id: number; withFps: number; withoutFps: number } | null;
}

export const initialProbe = (): ProbeState => ({ kind: 'watching', starvedSince: null, restUntil: -Infinity });

const watching = (at: number, restMs = 0): ProbeState => ({ kind: 'watching', starvedSince: null, restUntil: at + restMs });
const half = (xs: readonly number[]): number[] => xs.slice(0, Math.ceil(xs.length / 2));

/** The one transition function: one step per compositor frame. */
export function probeStep(state: ProbeState, input: ProbeInput, policy: ProbePolicy = DEFAULT_PROBE): ProbeStep {
  const starved = input.fps < input.nominalFps / policy.starvedFactor;
  if (state.kind === 'watching') {
    if (!starved || input.blocked || input.at < state.restUntil || input.suspects.length === 0) return { state: { ...state, starvedSince: null }, paused: [], culprit: null };
    const since = state.starvedSince ?? input.at;
    if (input.at - since < policy.starvedForMs) return { state: { ...state, starvedSince: since }, paused: [], culprit: null };
    const candidates = [...input.suspects];
    const group = half(candidates);
    return { state: { kind: 'probing', group, candidates, since: input.at, baselineFps: input.fpsLong, idleSince: null }, paused: group, culprit: null };
  }
  // Probing. Suspects that went away (unloaded, crashed) are no longer candidates.
  const present = new Set(input.suspects);
  const candidates = state.candidates.filter((id) => present.has(id));
  const group = state.group.filter((id) => present.has(id));
  if (input.blocked || group.length === 0 || input.at - state.since > policy.probeMaxMs) return { state: watching(input.at), paused: [], culprit: null };
  const idleSince = state.idleSince ?? (group.every(input.idle) ? input.at : null);
  if (idleSince === null || input.at - idleSince < policy.settleMs) {
    return { state: { ...state, group, candidates, idleSince }, paused: group, culprit: null };
  }
  const recovered = input.fps >= policy.recoveryFactor * state.baselineFps && input.fps >= state.baselineFps + policy.minGainFps;
  if (recovered && group.length === 1) {
    return { state: watching(input.at), paused: [], culprit: { id: group[0]!, withFps: state.baselineFps, withoutFps: input.fps } };
  }
  const next = recovered ? group : candidates.filter((id) => !group.includes(id));
  if (next.length === 0) return { state: watching(input.at, policy.restMs), paused: [], culprit: null };
  // The next round: its baseline is the rate before this one (the compositor is starved again once
  // the paused guests resume; measuring that would take another round of waiting).
  const nextGroup = half(next);
  return { state: { kind: 'probing', group: nextGroup, candidates: next, since: input.at, baselineFps: state.baselineFps, idleSince: null }, paused: nextGroup, culprit: null };
}
