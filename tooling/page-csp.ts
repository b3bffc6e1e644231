// Vite plugin: every page of the compositor's gets the same Content-Security-Policy, from one
// constant, as a <meta> at the top of its <head> (dev server and build alike).
//   scripts and styles: own origin only, nothing inline;
//   frames: own origin and *.localhost (a process per guest on loopback);
//   workers: own origin and blob: (the guest runtime starts from a blob);
//   fetches: any http(s) origin (the compositor reads guest sources to hash, keep and poll them),
//   and ws(s) for the dev server's HMR channel.
import type { Plugin } from 'vite';

export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' http: https: ws: wss:",
  "frame-src 'self' http://*.localhost:*",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function pageCsp(): Plugin {
  return {
    name: 'steadfast-page-csp',
    transformIndexHtml() {
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: PAGE_CSP }, injectTo: 'head-prepend' }];
    },
  };
}
