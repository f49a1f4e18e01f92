/**
 * CPU time from Linux's /proc, for `bench:api` and its load worker (plain JavaScript, so that
 * the worker thread needs no compiler).
 */
'use strict';
const fs = require('node:fs');

const MS_PER_CLOCK_TICK = 10; // USER_HZ is 100 on Linux

/** utime + stime of a /proc stat file (a process's, or a thread's), in milliseconds; NaN when it cannot be read. */
function cpuMsOf(statFile) {
  try {
    const text = fs.readFileSync(statFile, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // Fields after the command: state is [0], utime is [11], stime is [12].
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_CLOCK_TICK;
  } catch {
    return NaN;
  }
}

/** The machine's CPU time since boot (ticks): all, stolen by the hypervisor, and idle; null without /proc/stat. */
function machineTicks() {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is counted in user)
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { total, steal: fields[7] ?? 0, idle: fields[3] + (fields[4] ?? 0) };
  } catch {
    return null;
  }
}

module.exports = { cpuMsOf, machineTicks };
