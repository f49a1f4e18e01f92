#!/usr/bin/env node
// `npm run lock:platforms`: this machine's npm registry serves only the Linux builds of
// unrs-resolver (jest's resolver), so `npm install` leaves the other platforms' optional
// bindings out of package-lock.json, and `npm ci` then refuses the lock as out of sync.
// This adds their entries (version, os, cpu, libc) as npm writes them where the whole registry
// is reachable; npm skips them by platform, so nothing is fetched. Run after `npm install`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const parent = lock.packages['node_modules/unrs-resolver'];
if (!parent) {
  process.stdout.write('unrs-resolver is not in the lock: nothing to do.\n');
  process.exit(0);
}
const PLATFORM =
  /^@unrs\/resolver-binding-(android|darwin|freebsd|linux|openharmony|win32)-([a-z0-9]+)(?:-(gnu|gnueabihf|musl|musleabihf|msvc|eabi))?$/;
let added = 0;
for (const [name, version] of Object.entries(parent.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  const match = PLATFORM.exec(name);
  if (lock.packages[key] || !match) continue;
  const [, os, cpu, abi] = match;
  const entry = { version, cpu: [cpu], dev: true };
  if (abi === 'gnu' || abi === 'gnueabihf') entry.libc = ['glibc'];
  if (abi === 'musl' || abi === 'musleabihf') entry.libc = ['musl'];
  Object.assign(entry, { license: 'MIT', optional: true, os: [os] });
  lock.packages[key] = entry;
  added++;
}
const entries = Object.entries(lock.packages);
entries.sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0));
lock.packages = Object.fromEntries(entries);
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`Added ${added} platform entries to package-lock.json.\n`);
