#!/usr/bin/env node
// `npm start`: compile when a source file is newer than the last build, then run the server
// in this process (so SIGTERM/SIGINT reach it directly).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.tsbuildinfo');
const entry = path.join(root, 'dist', 'src', 'main.js');

function newestMtime(target) {
  let newest = 0;
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  for (const name of fs.readdirSync(target)) {
    if (name === 'node_modules') continue;
    const child = path.join(target, name);
    const s = fs.statSync(child);
    if (s.isDirectory()) newest = Math.max(newest, newestMtime(child));
    else if (name.endsWith('.ts') || name.endsWith('.json')) newest = Math.max(newest, s.mtimeMs);
  }
  return newest;
}

function needsBuild() {
  const built = fs.statSync(stamp, { throwIfNoEntry: false });
  if (!built || !fs.existsSync(entry)) return true;
  const sources = [
    'src',
    'migrations',
    'seeds',
    'scripts',
    'ormconfig.ts',
    'tsconfig.json',
    'tsconfig.build.json',
    'package-lock.json',
  ];
  return sources.some((s) => newestMtime(path.join(root, s)) > built.mtimeMs);
}

// API processes forked by the cluster primary (API_PROCESSES) run this file too: the primary built.
if (!require('node:cluster').isWorker && needsBuild()) {
  process.stderr.write('Building (TypeScript)...\n');
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  // tsc leaves the build info untouched when nothing changed; touch it so the check above stays cheap.
  const now = new Date();
  fs.utimesSync(stamp, now, now);
}
require(entry);
