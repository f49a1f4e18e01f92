import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ENTRY = path.join(__dirname, '..', '..', 'dist', 'src', 'main.js');

/** A server started as its own process from the build, as `npm start` runs it. */
export interface ChildServer {
  process: ChildProcess;
  output(): string;
  /** Resolves with the exit code (and signal) once the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the URL once the server logs that it is ready. */
  ready(timeoutMs?: number): Promise<string>;
}

/** Spawns `node dist/src/main.js` with the given environment (no DATABASE_URL unless given). */
export function spawnServer(env: Record<string, string>): ChildServer {
  if (!fs.existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does).`);
  const { DATABASE_URL: _drop, ...base } = process.env;
  const child = spawn(process.execPath, [ENTRY], {
    env: { ...base, NODE_ENV: 'test', LOG_LEVEL: 'info', LOG_PRETTY: 'false', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    output: () => out,
    exited,
    ready(timeoutMs = 60000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const timer = setInterval(() => {
          const match = /GraphQL API ready at (http:\/\/\S+)\/graphql/.exec(out);
          if (match) {
            clearInterval(timer);
            resolve(match[1]);
          } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
            clearInterval(timer);
            reject(new Error(`server did not become ready (exit ${child.exitCode}):\n${out}`));
          }
        }, 50);
      });
    },
  };
}
