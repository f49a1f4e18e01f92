/**
 * `npm run bench:start`: time from launching the server's built entry to the first
 * answered GraphQL query, on an empty data folder (first start: creates the embedded
 * database, migrates, seeds) and on an existing one (warm start). Prints medians of N runs.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
const ROOT = path.join(__dirname, '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timeToFirstAnswer(dataDir: string, port: number): Promise<number> {
  const { DATABASE_URL: _d, ...env } = process.env;
  const t0 = performance.now();
  // The built entry that `npm start` runs once its build check finds nothing newer than the build.
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: {
      ...env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      LOG_PRETTY: 'false',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ serverInfo { version } }' }),
        });
        if (res.ok) {
          await res.json();
          return performance.now() - t0;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'main.js'))) throw new Error('Run `npm run build` first.');
  const first: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-bench-start-'));
    try {
      first.push(await timeToFirstAnswer(dir, 4300 + i));
      warm.push(await timeToFirstAnswer(dir, 4400 + i));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const fmt = (xs: number[]) => xs.map((x) => Math.round(x)).join(', ');
  process.stdout.write(`node ${process.version}, ${os.cpus().length} cores, ${RUNS} runs\n`);
  process.stdout.write(
    `first start (empty data folder) to first answer: median ${Math.round(median(first))} ms  [${fmt(first)}]  target 6000 ms\n`,
  );
  process.stdout.write(
    `warm start to first answer:                      median ${Math.round(median(warm))} ms  [${fmt(warm)}]  target 2000 ms\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
