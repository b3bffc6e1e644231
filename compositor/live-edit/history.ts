// A layer's good versions: every version that passed vetting, in the order they passed, and
// which one is live. Undo and redo move the live pointer; a new good version is appended at the
// end and becomes live (nothing is ever dropped). Pure.

export interface Version {
  /** 1-based, in the order versions passed vetting. */
  number: number;
  url: string;
  /** Content hash of the module's source (see source-hash.ts); '' when it could not be read. */
  hash: string;
  /** Date.now() when it became a good version. */
  time: number;
  /** What made it: the first load, a dev-server save, a poll, or a revert. */
  trigger: VersionTrigger;
  /** The module's source, kept so the version can be returned to (null when it could not be read). */
  source: string | null;
}

export type VersionTrigger = 'load' | 'dev-server' | 'poll' | 'api';

export interface History {
  versions: readonly Version[];
  /** Index into versions of the live one; -1 before the first version passed. */
  live: number;
}

export const emptyHistory = (): History => ({ versions: [], live: -1 });

export function addVersion(history: History, version: Omit<Version, 'number'>): History {
  const versions = [...history.versions, { ...version, number: history.versions.length + 1 }];
  return { versions, live: versions.length - 1 };
}

export function liveVersion(history: History): Version | null {
  return history.versions[history.live] ?? null;
}

/** The version `number`, or null. */
export function versionNumbered(history: History, number: number): Version | null {
  return history.versions.find((v) => v.number === number) ?? null;
}

/** The version undo would go to (the one before the live one), or null. */
export function previousVersion(history: History): Version | null {
  return history.live > 0 ? history.versions[history.live - 1]! : null;
}

/** The version redo would go to (the one after the live one), or null. */
export function nextVersion(history: History): Version | null {
  return history.live >= 0 && history.live < history.versions.length - 1 ? history.versions[history.live + 1]! : null;
}

export function makeLive(history: History, number: number): History {
  const index = history.versions.findIndex((v) => v.number === number);
  return index < 0 ? history : { ...history, live: index };
}
