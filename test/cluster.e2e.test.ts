import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { spawnServer, type ChildServer } from './helpers/child-server';
import { createTestDatabase, ON_POSTGRES, type TestDatabase } from './helpers/test-app';

const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

/** The process ids of a process's children (Linux). */
function childrenOf(pid: number): number[] {
  const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

/** GET /healthz on a new connection each time, so that the primary hands it to the next process. */
function healthz(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/healthz`, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** The pids that logged an answered request. */
function requestPids(server: ChildServer): Set<number> {
  const pids = new Set<number>();
  for (const line of server.output().split('\n')) {
    if (!line.includes('"msg":"request"')) continue;
    pids.add(JSON.parse(line).pid);
  }
  return pids;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The supervisor (dist/src/cluster.js) over stand-in processes; see test/fixtures/cluster/worker.js. */
function spawnSupervisor(
  processes: number,
  plan: Record<number, string>,
): { process: ChildProcess; output(): string; exited: Promise<{ code: number | null; signal: string | null }> } {
  const child = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'cluster', 'primary.js')], {
    env: { ...process.env, API_PROCESSES: String(processes), WORKER_PLAN: JSON.stringify(plan) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { process: child, output: () => out, exited };
}

function readyUrl(output: string): string | null {
  return /GraphQL API ready at (http:\/\/\S+)\/graphql/.exec(output)?.[1] ?? null;
}

/** The `field` of every log line with message `msg`, in order. */
function logged(output: string, msg: string, field: string): unknown[] {
  return output
    .split('\n')
    .filter((line) => line.includes(`"msg":"${msg}"`))
    .map((line) => JSON.parse(line)[field]);
}

describe('the API_PROCESSES supervisor', () => {
  it('stops the others when one process cannot start, and exits with its code', async () => {
    const primary = spawnSupervisor(2, { 2: 'fail-start' });
    const { code } = await primary.exited;
    expect(code).toBe(3);
    expect(primary.output()).toContain('an API process failed to start; stopping the others');
    expect(primary.output()).not.toContain('GraphQL API ready');
    // The one that was serving was asked to stop, and did.
    expect(
      logged(primary.output(), 'shutting down: the API processes finish their requests in flight', 'processes'),
    ).toEqual([1]);
  });

  it('treats SIGTERM while the processes are still starting as a clean stop', async () => {
    const primary = spawnSupervisor(2, { 1: 'slow-start', 2: 'slow-start' });
    await waitFor(() => childrenOf(primary.process.pid!).length === 2, 'two processes');
    primary.process.kill('SIGTERM');
    expect(await primary.exited).toEqual({ code: 0, signal: null });
    expect(primary.output()).not.toContain('GraphQL API ready');
  });

  it('replaces a process that dies after a doubling wait, while the others go on serving', async () => {
    // 1 crashes after start; its replacements 3 and 4 cannot start; 5 serves.
    const primary = spawnSupervisor(2, { 1: 'crash-later', 3: 'fail-start', 4: 'fail-start' });
    await waitFor(() => readyUrl(primary.output()) !== null, 'ready');
    const url = readyUrl(primary.output())!;
    await waitFor(
      () => logged(primary.output(), 'an API process died; starting a new one', 'restartInMs').length === 2,
      'two deaths',
    );
    expect(await healthz(url)).toBe(200); // process 2 serves meanwhile
    await waitFor(() => primary.output().includes('API process replaced'), 'the replacement', 15000);
    expect(logged(primary.output(), 'an API process died; starting a new one', 'restartInMs')).toEqual([
      1000, 2000, 4000,
    ]);
    expect(childrenOf(primary.process.pid!)).toHaveLength(2);
    primary.process.kill('SIGTERM');
    expect(await primary.exited).toEqual({ code: 0, signal: null });
  }, 30000);

  it('replaces at once a process that was stopped by itself', async () => {
    const primary = spawnSupervisor(2, {});
    await waitFor(() => readyUrl(primary.output()) !== null, 'ready');
    const [first] = childrenOf(primary.process.pid!);
    process.kill(first, 'SIGTERM');
    await waitFor(() => primary.output().includes('API process replaced'), 'the replacement');
    expect(primary.output()).toContain('an API process stopped; starting a new one');
    expect(childrenOf(primary.process.pid!)).not.toContain(first);
    expect(childrenOf(primary.process.pid!)).toHaveLength(2);
    primary.process.kill('SIGINT');
    expect(await primary.exited).toEqual({ code: 0, signal: null });
  });
});

describe('API_PROCESSES on the embedded database', () => {
  it('is refused at start, naming the variable and what to do', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-cluster-'));
    const server = spawnServer({ API_PROCESSES: '2', DATA_DIR: dataDir });
    const { code } = await server.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(code).toBe(78);
    expect(server.output()).toContain('API_PROCESSES="2"');
    expect(server.output()).toContain('set DATABASE_URL to run several');
  });
});

describeOnPostgres('several API processes on one PostgreSQL server (API_PROCESSES)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('share the port, replace a process that dies, and stop together on SIGTERM', async () => {
    const server = spawnServer({ DATABASE_URL: db.databaseUrl!, API_PROCESSES: '2' });
    const url = await server.ready();
    const primary = server.process.pid!;
    const first = childrenOf(primary);
    expect(first).toHaveLength(2);
    expect(server.output().match(/API process \d+ listening/g)).toHaveLength(2);

    // New connections go to each process in turn.
    for (let i = 0; i < 6; i++) expect(await healthz(url)).toBe(200);
    await waitFor(() => requestPids(server).size === 2, 'requests logged by both processes');
    expect([...requestPids(server)].sort()).toEqual([...first].sort());

    process.kill(first[0], 'SIGKILL');
    await waitFor(() => server.output().includes('API process replaced'), 'the replacement');
    const second = childrenOf(primary);
    expect(second).toHaveLength(2);
    expect(second).toContain(first[1]);
    expect(second).not.toContain(first[0]);
    expect(server.output()).toContain('an API process died; starting a new one');
    for (let i = 0; i < 4; i++) expect(await healthz(url)).toBe(200);

    server.process.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    for (const pid of second) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
    expect(server.output().match(/"msg":"stopped"/g)).toHaveLength(2);
  });

  it('warns at start when the pools together may want more connections than PostgreSQL accepts', async () => {
    const admin = new Client({ connectionString: db.databaseUrl! });
    await admin.connect();
    const [{ available }] = (
      await admin.query(
        `SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int AS available`,
      )
    ).rows;
    await admin.end();
    // Each process also has the webhook worker's pool (WEBHOOK_CONCURRENCY 2 + 2) and its liveness connection.
    const worker = 5;
    const poolSize = Math.floor(available / 2) - worker + 1; // two processes want available + 1 or + 2
    const server = spawnServer({ DATABASE_URL: db.databaseUrl!, API_PROCESSES: '2', DB_POOL_SIZE: String(poolSize) });
    await server.ready();
    await waitFor(() => server.output().includes('API_PROCESSES × (DB_POOL_SIZE'), 'the warning');
    expect(server.output()).toContain(
      `2 × (${poolSize} + ${worker}) = ${2 * (poolSize + worker)} connections, more than the ${available} that PostgreSQL accepts`,
    );
    expect(server.output().match(/API_PROCESSES × \(DB_POOL_SIZE/g)).toHaveLength(1); // said once, not by every process
    server.process.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);

    const fine = spawnServer({
      DATABASE_URL: db.databaseUrl!,
      API_PROCESSES: '2',
      DB_POOL_SIZE: String(Math.floor(available / 2) - worker),
    });
    await fine.ready();
    for (let i = 0; i < 4; i++) await healthz(await fine.ready());
    fine.process.kill('SIGTERM');
    expect((await fine.exited).code).toBe(0);
    expect(fine.output()).not.toContain('API_PROCESSES ×');
  });

  it('stops every process and exits non-zero when one cannot start', async () => {
    const missing = new URL(db.databaseUrl!);
    missing.pathname = '/ssm_no_such_database';
    const server = spawnServer({ DATABASE_URL: missing.toString(), API_PROCESSES: '2' });
    const { code } = await server.exited;
    expect(code).not.toBe(0);
    expect(server.output()).toContain('an API process failed to start; stopping the others');
    expect(server.output()).toContain('ssm_no_such_database');
    expect(server.output()).not.toContain('GraphQL API ready');
  });
});
