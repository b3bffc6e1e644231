// Guest isolation, as an attacker would test it: the compositor's origin is seeded with
// secrets, then spy guests try every channel (its IndexedDB, CacheStorage, OPFS, credentialed
// requests, DOM, BroadcastChannels, each other) and report any success to a second server.
// The control case runs the same spies in plain workers on the compositor's origin, proving
// the suite can see a leak; sandboxed guests must score zero.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openCompositor } from '../../tooling/driver/harness';

const app = inject('appUrl');
const cross = inject('crossUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Report {
  tag: string;
  channel: string;
  detail: string;
}

async function seedSecrets(page: Page): Promise<void> {
  await page.evaluate(async () => {
    document.cookie = 'steadfast_secret=1; path=/; SameSite=Lax';
    localStorage.setItem('secret', 'secret-ls');
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('steadfast-secrets');
      open.onupgradeneeded = () => open.result.createObjectStore('secrets');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction('secrets', 'readwrite');
        tx.objectStore('secrets').put('secret-idb', 'secret');
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      };
    });
    const cache = await caches.open('steadfast');
    await cache.put(`${location.origin}/__secret-cache`, new Response('secret-cache'));
    const dir = await navigator.storage.getDirectory();
    const file = await dir.getFileHandle('secret.txt', { create: true });
    const writable = await file.createWritable();
    await writable.write('secret-opfs');
    await writable.close();
    const w = window as unknown as { heard: string[] };
    w.heard = [];
    const channel = new BroadcastChannel('steadfast');
    channel.onmessage = (e) => w.heard.push(String(e.data));
    setInterval(() => channel.postMessage('secret-bc'), 100);
  });
}

async function runSpies(isolation: 'worker' | 'sandbox'): Promise<{ leaks: Report[]; heard: string[]; done: number; states: string[] }> {
  const prefix = `${isolation}-${Date.now()}`;
  const page = await openCompositor(browser, app, { guests: ['demos/solid.js?color=00ff00'], extra: { isolation } });
  await seedSecrets(page);
  for (const who of ['a', 'b']) {
    const spy = `${cross}/spy.js?${new URLSearchParams({ app, report: cross, tag: `${prefix}-${who}` })}`;
    await page.evaluate((url) => window.compositor.load(url), spy);
  }
  let reports: Report[] = [];
  for (let i = 0; i < 100; i++) {
    reports = (await (await fetch(`${cross}/reports?prefix=${prefix}`)).json()) as Report[];
    if (reports.filter((r) => r.channel === 'done').length === 2) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const heard = await page.evaluate(() => (window as unknown as { heard: string[] }).heard);
  const states = await page.evaluate(() => window.compositor.stats().layers.map((l) => `${l.state} ${l.error ?? ''}`));
  await page.close();
  return { leaks: reports.filter((r) => r.channel !== 'done'), heard, done: reports.filter((r) => r.channel === 'done').length, states };
}

describe('guest isolation', () => {
  it('control: spies in plain workers on the compositor origin do leak (the suite can see a leak)', async () => {
    const { leaks, heard, done, states } = await runSpies('worker');
    expect(done, states.join('; ')).toBe(2);
    const channels = new Set(leaks.map((l) => l.channel));
    console.log(`control (isolation=worker) leaks: ${[...channels].sort().join(', ')}; compositor heard: ${heard.filter((h) => h !== 'secret-bc').join(', ')}`);
    for (const c of ['indexeddb', 'cachestorage', 'credentialed-fetch', 'broadcast-receive', 'sibling']) expect(channels).toContain(c);
    expect(heard.some((h) => h.startsWith('guest '))).toBe(true);
  });

  it('sandboxed spies reach nothing: zero successes on every channel', async () => {
    const { leaks, heard, done, states } = await runSpies('sandbox');
    expect(done, `both spies ran and could report: ${states.join('; ')}`).toBe(2);
    console.log(`sandbox leaks: ${leaks.length === 0 ? 'none' : leaks.map((l) => `${l.channel}: ${l.detail}`).join('; ')}`);
    expect(leaks).toEqual([]);
    expect(heard.filter((h) => h.startsWith('guest '))).toEqual([]);
  });
});
