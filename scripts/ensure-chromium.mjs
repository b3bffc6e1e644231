// Makes sure a Chromium is there for the browser tests and the bench.
// Found: nothing to do. Missing, and we are root with apt-get: install Debian's chromium.
// Otherwise: one line naming what to install, and exit 1.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath, chromiumPresent } from './chromium-path.mjs';

if (!chromiumPresent()) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (process.env.CHROMIUM_PATH || !isRoot || !hasApt) {
    console.error(
      `Chromium not found at ${chromiumPath()}: install Debian's "chromium" package (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`,
    );
    process.exit(1);
  }
  console.log('Chromium not found: installing Debian\'s chromium with apt-get (once)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (!chromiumPresent()) {
    console.error(`apt-get finished but ${chromiumPath()} is still missing: install Debian's "chromium" package by hand.`);
    process.exit(1);
  }
}
