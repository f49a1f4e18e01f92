/**
 * `npm run bench:api`: throughput and latency of the GraphQL API over HTTP on a real
 * PostgreSQL server.
 *
 * Creates its own database on DATABASE_URL's server (default
 * postgres://postgres@127.0.0.1:5432/postgres) and drops it at the end; starts the API as
 * production runs it (the build, `dist/src/main.js`, with npm start's Node flag,
 * NODE_ENV=production, log level warn: --processes N processes on one port, as `npm start`
 * with API_PROCESSES=N starts them); sets up a firm, an organisation and an OPEN assessment
 * with 500 invited respondents through the API; then, with a load generator
 * on a worker thread (`bench-api-load-worker.js`: keep-alive HTTP/1.1, a fixed number of
 * connections, a fixed number of requests and a time limit), measures in each round:
 *
 *   save:      saveAnswers with 10 answers per call, spread round-robin over the 500
 *              respondents, as fast as the connections go (closed loop);
 *   save-rate: the same saves at a fixed arrival rate (--rate, default 800/s; open loop:
 *              a request's latency counts from when it was due, so a server that falls
 *              behind is charged for the wait);
 *   save-sql:  the ceiling of the save: the same save statement sent by a plain pg pool
 *              of the same size, at the same concurrency, without HTTP or GraphQL;
 *   result:    assessmentResult of a CLOSED assessment (stored result, 13 dimensions,
 *              recommendations);
 *   ceiling:   `{ __typename }` on the same server.
 *
 * Prints requests/s, p50, p99 and the CPU time per request of the API processes, of
 * the PostgreSQL backends and of the load generator's thread (from /proc, Linux only: a
 * measure of the work itself that other load on the machine hardly changes), how busy the
 * machine was and how much of its time the hypervisor took (steal), per phase and round,
 * and the medians over the rounds.
 * Options: --rounds N (3) --connections N (50) --requests N (6000) --seconds N (20) --pool N (10)
 * --rate N (800) --phases save,save-rate,save-sql,result,ceiling (all) --processes N (1)
 * --client raw|http (raw: the load generator writes prepared requests on plain sockets;
 * http: it uses node:http's Agent, which costs it about twice the CPU per request).
 * BENCH_API_NODE_ARGS adds Node flags to the API processes (to profile them).
 */
// First: graphql-js and others read NODE_ENV when they load.
import './production-env';
import 'reflect-metadata';
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import cluster, { type Worker as ApiProcess } from 'node:cluster';
import { Client, Pool } from 'pg';
import { ENTITIES } from '../src/app-modules';
import { openDatabase, type Database } from '../src/db/database';
import { createApiKey, hashSecret } from '../src/modules/firm/api-key.service';
import { SAVE_ANSWERS_STATEMENT } from '../src/modules/respondent/answering.service';
import { createFirmWithAdminKey } from '../src/modules/firm/firm.service';
import type { FrameworkDocument, QuestionDocument } from '../src/modules/framework/framework-document';
import { generatedFramework } from '../seeds/generated-framework';

/** The value given to `--name value` or `--name=value`, if any. */
function optionText(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function option(name: string, fallback: number): number {
  const raw = optionText(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const ROUNDS = option('rounds', 3);
const CONNECTIONS = option('connections', 50);
const REQUESTS = option('requests', 6000);
const SECONDS = option('seconds', 20);
const POOL = option('pool', 10);
const RATE = option('rate', 800);
const PROCESSES = option('processes', 1);
const CLIENT = (() => {
  const value = optionText('client') ?? 'raw';
  if (value !== 'raw' && value !== 'http') throw new Error('--client must be raw or http');
  return value;
})();
const RESPONDENTS = 500;
const ANSWERS_PER_SAVE = 10;
const WARMUP_REQUESTS = 500;
const PHASE_NAMES = ['save', 'save-rate', 'save-sql', 'result', 'ceiling'] as const;
type Phase = (typeof PHASE_NAMES)[number];
const PHASES: Phase[] = (() => {
  const raw = optionText('phases');
  if (!raw) return [...PHASE_NAMES];
  const list = raw.split(',');
  for (const p of list)
    if (!(PHASE_NAMES as readonly string[]).includes(p)) throw new Error(`--phases: unknown phase ${p}`);
  return list as Phase[];
})();

/** One phase's figures. */
interface PhaseResult {
  /** CPU milliseconds of the API processes per request (all their threads; NaN where /proc is missing). */
  serverMsPerRequest: number;
  /** CPU milliseconds of the PostgreSQL backends serving the server per request. */
  databaseMsPerRequest: number;
  /** CPU milliseconds of the load generator's thread per request; NaN for the raw SQL phase, whose client is the measured side. */
  clientMsPerRequest: number;
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** At a fixed rate: p99 of how late the load generator sent a request (NaN otherwise). */
  senderLagP99: number;
  /** Share of the machine's CPU time taken by the hypervisor (steal) during the phase; NaN without /proc/stat. */
  stealPercent: number;
  /** Share of the machine's CPU time not idle (steal included) during the phase. */
  busyPercent: number;
  firstError: string | null;
}

/** What the load worker is told to send. */
type LoadSpec =
  | { kind: 'fixed'; body: string; authorization: string | null }
  | {
      kind: 'save';
      tokens: string[];
      questions: Array<{ code: string; values: unknown[] }>;
      answersPerCall: number;
      seqBase: number;
    };

// The load generator runs on its own thread, so that its work does not queue behind this
// process's; it still shares the machine with the API and PostgreSQL.
const LOAD_WORKER = path.join(__dirname, 'bench-api-load-worker.js');

/** The machine's CPU ticks since boot: all, stolen by the hypervisor, and idle. */
interface MachineTicks {
  total: number;
  steal: number;
  idle: number;
}

// Shared with the load worker, which is plain JavaScript.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module without types
const { cpuMsOf, machineTicks } = require('./bench-proc-stat') as {
  cpuMsOf: (statFile: string) => number;
  machineTicks: () => MachineTicks | null;
};

/** CPU time of the API processes (every thread: HTTP, GraphQL, the pg client, GC). */
function serverCpuMs(): number {
  return apiProcesses.reduce((sum, worker) => sum + cpuMsOf(`/proc/${worker.process.pid}/stat`), 0);
}

/** The API processes under test. */
const apiProcesses: ApiProcess[] = [];

/**
 * Starts the API as production runs it: `PROCESSES` processes of the build (`dist/src/main.js`,
 * with `npm start`'s Node flag), forked by this process as the cluster primary that
 * `API_PROCESSES` makes `npm start`, sharing one port. Resolves with its base URL once every
 * process listens.
 */
async function startApi(databaseUrl: string): Promise<string> {
  const entry = path.join(__dirname, '..', 'dist', 'src', 'main.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (npm run bench:api does)`);
  // BENCH_API_NODE_ARGS: more Node flags for the API processes, to profile them
  // (`--perf-basic-prof` for `perf record`, `--cpu-prof --cpu-prof-dir=DIR`).
  const extra = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  cluster.setupPrimary({ exec: entry, execArgv: ['--max-semi-space-size=64', ...extra], args: [] });
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    API_PROCESSES: String(PROCESSES),
    DB_POOL_SIZE: String(POOL),
    LOG_LEVEL: 'warn',
  };
  const ports = await Promise.all(
    Array.from(
      { length: PROCESSES },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = cluster.fork(env);
          apiProcesses.push(worker);
          worker.once('listening', (address) => resolve(address.port));
          worker.once('exit', (code) => reject(new Error(`an API process exited with ${code} before listening`)));
        }),
    ),
  );
  return `http://127.0.0.1:${ports[0]}`;
}

/**
 * CPU time of the PostgreSQL backends of the benchmark database (same machine only). The
 * pools open and close connections during a phase (an idle one closes after 10 s), so the
 * backends are listed again every half second: a backend counts from its first sighting
 * (from 0 when it started during the phase) to its last.
 */
class DatabaseCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly list: () => Promise<number[]>) {}

  async start(): Promise<void> {
    for (const pid of await this.list()) {
      const cpu = cpuMsOf(`/proc/${pid}/stat`);
      this.first.set(pid, cpu);
      this.last.set(pid, cpu);
    }
    this.timer = setInterval(() => void this.sample(), 500);
  }

  private async sample(): Promise<void> {
    const pids = await this.list().catch(() => [] as number[]);
    for (const pid of new Set([...pids, ...this.last.keys()])) {
      const cpu = cpuMsOf(`/proc/${pid}/stat`);
      if (Number.isNaN(cpu)) continue; // gone: keep its last reading
      if (!this.first.has(pid)) this.first.set(pid, 0);
      this.last.set(pid, cpu);
    }
  }

  /** Milliseconds of CPU of the backends since start(); NaN without /proc. */
  async stop(): Promise<number> {
    if (this.timer) clearInterval(this.timer);
    await this.sample();
    let sum = 0;
    for (const [pid, cpu] of this.last) sum += cpu - (this.first.get(pid) ?? 0);
    return sum;
  }
}

let listBackends: () => Promise<number[]> = () => Promise.resolve([]);

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function runLoad(
  url: string,
  spec: LoadSpec,
  requests: number,
  rate: number | null = null,
): Promise<PhaseResult> {
  let clientMs = NaN;
  return measure(
    async () => {
      const m = await new Promise<{
        latencies: Float64Array;
        errors: number;
        elapsed: number;
        firstError: string | null;
        lagP99: number;
        cpuMs: number;
        machine: { before: MachineTicks; after: MachineTicks } | null;
      }>((resolve, reject) => {
        const worker = new Worker(LOAD_WORKER, {
          workerData: { url, connections: CONNECTIONS, requests, seconds: SECONDS, spec, rate, client: CLIENT },
        });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      clientMs = m.cpuMs;
      // The machine's figures over the measurement only, not the worker's start and preparation.
      return {
        latencies: m.latencies,
        errors: m.errors,
        seconds: m.elapsed,
        firstError: m.firstError,
        senderLagP99: m.lagP99,
        machine: m.machine,
      };
    },
    serverCpuMs,
    () => clientMs,
  );
}

/**
 * Runs a load and adds the CPU time per request of the server (`serverCpu`), of the database
 * backends and of the load generator (`clientMs`, read after the load: the generator
 * measures its own thread).
 */
async function measure(
  load: () => Promise<{
    latencies: Float64Array;
    errors: number;
    seconds: number;
    firstError: string | null;
    senderLagP99?: number;
    machine?: { before: MachineTicks; after: MachineTicks | null } | null;
  }>,
  serverCpu: () => number,
  clientMs: () => number,
): Promise<PhaseResult> {
  const server0 = serverCpu();
  const database = new DatabaseCpu(listBackends);
  await database.start();
  let machine0 = machineTicks();
  const m = await load();
  let machine1 = machineTicks();
  if (m.machine !== undefined) {
    machine0 = m.machine?.before ?? null;
    machine1 = m.machine?.after ?? null;
  }
  const serverMs = serverCpu() - server0;
  const databaseMs = await database.stop();
  const sorted = Float64Array.from(m.latencies).sort();
  return {
    serverMsPerRequest: serverMs / sorted.length,
    databaseMsPerRequest: databaseMs / sorted.length,
    clientMsPerRequest: clientMs() / sorted.length,
    requests: sorted.length,
    errors: m.errors,
    seconds: m.seconds,
    rps: sorted.length / m.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    senderLagP99: m.senderLagP99 ?? NaN,
    stealPercent:
      machine0 && machine1
        ? (100 * (machine1.steal - machine0.steal)) / Math.max(1, machine1.total - machine0.total)
        : NaN,
    busyPercent:
      machine0 && machine1
        ? 100 - (100 * (machine1.idle - machine0.idle)) / Math.max(1, machine1.total - machine0.total)
        : NaN,
    firstError: m.firstError,
  };
}

/**
 * The save's ceiling: the same statement with the same arguments as the API's save (what
 * `storeAnswers` sends for the calls the load worker makes), from a plain pg pool of the API's
 * size at the same concurrency, on this thread. No HTTP, GraphQL, validation or TypeORM.
 */
async function sqlLoad(pool: Pool, setup: Setup, requests: number, seqBase: number) {
  const hashes = setup.tokens.map(hashSecret);
  const latencies = new Float64Array(requests);
  let next = 0;
  let done = 0;
  let errors = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const n = setup.saveQuestions.length;
  async function loop(): Promise<void> {
    for (;;) {
      const i = next++;
      if (i >= requests || performance.now() > deadline) return;
      const start = (i * ANSWERS_PER_SAVE) % n;
      const records = Array.from({ length: ANSWERS_PER_SAVE }, (_, k) => {
        const q = setup.saveQuestions[(start + k) % n];
        return { q: q.code, v: q.values[(i + k) % q.values.length], na: false, seq: seqBase + i };
      });
      const t0 = performance.now();
      try {
        const client = await pool.connect();
        try {
          const res = await client.query({
            name: 'answering.save',
            text: SAVE_ANSWERS_STATEMENT,
            values: [hashes[i % hashes.length], setup.frameworkVersionId, JSON.stringify(records), []],
          });
          if (res.rows.length !== 1) throw new Error('the save statement stored nothing');
        } finally {
          client.release();
        }
      } catch (err) {
        errors++;
        firstError ??= String(err);
      }
      latencies[done++] = performance.now() - t0;
    }
  }
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  return { latencies: latencies.slice(0, done), errors, seconds: (performance.now() - started) / 1000, firstError };
}

/** A full garbage collection when Node runs with --expose-gc (as `npm run bench:api` does). */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

async function gql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  authorization: string,
): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL error: ${JSON.stringify(body.errors).slice(0, 2000)}`);
  return body.data as T;
}

/** Valid values of a question (several, so that saves really change the stored answers). */
function valuesOf(q: QuestionDocument): unknown[] {
  switch (q.type) {
    case 'LIKERT': {
      const min = q.scale?.min ?? 1;
      const max = q.scale?.max ?? 5;
      return Array.from({ length: max - min + 1 }, (_, i) => min + i);
    }
    case 'BOOLEAN':
      return [true, false];
    case 'SINGLE_CHOICE':
      return (q.options ?? []).map((o) => o.code);
    case 'MULTI_CHOICE':
      return (q.options ?? []).filter((o) => !o.exclusive).map((o) => [o.code]);
    case 'NUMERIC':
      return [q.numeric!.min, Math.round((q.numeric!.min + q.numeric!.max) / 2), q.numeric!.max];
    case 'TEXT':
      return ['Fine', 'Could be better', 'Great service'];
  }
}

interface Setup {
  frameworkLabel: string;
  frameworkVersionId: string;
  questionCount: number;
  tokens: string[];
  saveQuestions: Array<{ code: string; values: unknown[] }>;
  closedAssessmentId: string;
  viewerAuth: string;
}

async function setUp(url: string, dataSource: import('typeorm').DataSource): Promise<Setup> {
  const keys = await dataSource.transaction(async (manager) => {
    const { firm, adminKey } = await createFirmWithAdminKey(manager, 'Bench Firm');
    const viewer = await createApiKey(manager, firm.id, 'bench viewer', 'VIEWER');
    return { admin: `Bearer ${adminKey}`, viewer: `Bearer ${viewer.secret}` };
  });
  const org = await gql(
    url,
    'mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }',
    { input: { name: 'Bench Org', industry: 'G', sizeBand: 'S250_999', country: 'DE' } },
    keys.admin,
  );
  const organisationId: string = org.createOrganisation.id;

  const list = await gql(
    url,
    'query { frameworks(first: 100) { edges { node { id key version builtIn status } } } }',
    {},
    keys.admin,
  );
  let framework = list.frameworks.edges
    .map((e: { node: any }) => e.node)
    .find((n: any) => n.builtIn && n.key === 'service-strategy' && n.status === 'PUBLISHED');
  if (!framework) {
    const imported = await gql(
      url,
      'mutation($document: JSONObject!) { importFramework(document: $document) { id key version } }',
      { document: generatedFramework('bench-generated', 6, 10) },
      keys.admin,
    );
    framework = (
      await gql(
        url,
        'mutation($id: ID!) { publishFramework(id: $id) { id key version } }',
        { id: imported.importFramework.id },
        keys.admin,
      )
    ).publishFramework;
  }
  const exported = await gql(url, 'query($id: ID!) { exportFramework(id: $id) }', { id: framework.id }, keys.admin);
  const document = exported.exportFramework as FrameworkDocument;
  const allQuestions = document.questions.map((q) => ({ code: q.code, values: valuesOf(q) }));

  async function openAssessment(title: string, respondents: number): Promise<{ id: string; tokens: string[] }> {
    const created = await gql(
      url,
      'mutation($input: CreateAssessmentInput!) { createAssessment(input: $input) { id } }',
      {
        input: {
          organisationId,
          frameworkVersionId: framework.id,
          title,
          roleWeights: [{ role: 'EXECUTIVE', weight: 2 }],
        },
      },
      keys.admin,
    );
    const id: string = created.createAssessment.id;
    await gql(url, 'mutation($id: ID!) { openAssessment(id: $id) { status } }', { id }, keys.admin);
    const tokens: string[] = [];
    for (let from = 0; from < respondents; from += 500) {
      const batch = Array.from({ length: Math.min(500, respondents - from) }, (_, i) => ({
        name: `Respondent ${from + i + 1}`,
        email: `r${from + i + 1}@example.com`,
        role: ['EXECUTIVE', 'MANAGER', 'FRONTLINE'][(from + i) % 3],
      }));
      const invited = await gql(
        url,
        'mutation($input: InviteRespondentsInput!) { inviteRespondents(input: $input) { token } }',
        { input: { assessmentId: id, respondents: batch } },
        keys.admin,
      );
      tokens.push(...invited.inviteRespondents.map((x: { token: string }) => x.token));
    }
    return { id, tokens };
  }

  const live = await openAssessment('Bench: saves', RESPONDENTS);

  // A closed assessment of 30 complete responses for the result reads.
  const closed = await openAssessment('Bench: closed result', 30);
  for (const [r, token] of closed.tokens.entries()) {
    const answers = allQuestions.map((q, i) => ({ question: q.code, value: q.values[(r + i) % q.values.length] }));
    await gql(
      url,
      'mutation($input: SaveAnswersInput!) { saveAnswers(input: $input) { status } }',
      { input: { answers } },
      `Bearer ${token}`,
    );
    await gql(url, 'mutation { submitResponse { status } }', {}, `Bearer ${token}`);
  }
  await gql(url, 'mutation($id: ID!) { closeAssessment(id: $id) { status } }', { id: closed.id }, keys.admin);

  return {
    frameworkLabel: `${framework.key}@${framework.version}`,
    frameworkVersionId: framework.id,
    questionCount: document.questions.length,
    tokens: live.tokens,
    // Questions without a visibility condition, so every saved answer counts.
    saveQuestions: document.questions.filter((q) => !q.showIf).map((q) => ({ code: q.code, values: valuesOf(q) })),
    closedAssessmentId: closed.id,
    viewerAuth: keys.viewer,
  };
}

const RESULT_QUERY = `query Result($id: ID!) { assessmentResult(assessmentId: $id) {
  provisional respondentCount overall { score scoreRounded level { code title } knockoutCapped }
  dimensions { code title score scoreRounded level { code title } confidence spread perceptionGap perceptionGapFlagged }
  pyramid { height firstWeakLayer layers { layer dimension gatedScore gatedLevel { code } } }
  recommendations { code tierName priority title body actions evidence { question text score } } } }`;

function fmt(r: PhaseResult): string {
  return `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  CPU/req server ${r.serverMsPerRequest.toFixed(2)} ms, PostgreSQL ${r.databaseMsPerRequest.toFixed(2)} ms${Number.isNaN(r.clientMsPerRequest) ? '' : `, load generator ${r.clientMsPerRequest.toFixed(2)} ms`}  ${Number.isNaN(r.senderLagP99) ? '' : ` sender lag p99 ${r.senderLagP99.toFixed(1)} ms`}  ${Number.isNaN(r.busyPercent) ? '' : `machine busy ${r.busyPercent.toFixed(0)} %, steal ${r.stealPercent.toFixed(1)} %`}  (${r.requests} requests in ${r.seconds.toFixed(1)} s, ${r.errors} errors)`;
}

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `ssm_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const dbUrl = new URL(base);
  dbUrl.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-bench-api-'));
  let database: Database | null = null;
  try {
    // This process's own connections: the migrations, the firm's keys, the backend list.
    database = await openDatabase({
      databaseUrl: dbUrl.toString(),
      dataDir,
      entities: ENTITIES,
      poolSize: 2,
      preparedStatements: false,
    });
    const dataSource = database.dataSource;
    const url = await startApi(dbUrl.toString());
    const setup = await setUp(url, dataSource);
    const [pg] = await dataSource.query('SHOW server_version');
    // The backends of the pools' connections do the database work.
    listBackends = async () => {
      const backends: Array<{ pid: number }> = await dataSource.query(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
      );
      return backends.map((b) => b.pid);
    };

    console.log(
      `bench:api — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, PostgreSQL ${pg.server_version} on ${dbUrl.hostname}`,
    );
    console.log(
      `framework ${setup.frameworkLabel} (${setup.questionCount} questions), ${setup.tokens.length} respondents, ${ANSWERS_PER_SAVE} answers per save`,
    );
    const sample = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: setup.viewerAuth },
      body: JSON.stringify({ query: RESULT_QUERY, variables: { id: setup.closedAssessmentId } }),
    });
    const sampleText = await sample.text();
    const sampleResult = JSON.parse(sampleText).data.assessmentResult;
    console.log(
      `closed result: ${sampleResult.respondentCount} respondents, ${sampleResult.recommendations.length} recommendations, ${(sampleText.length / 1024).toFixed(0)} KB of JSON`,
    );
    console.log(`${CONNECTIONS} connections, up to ${REQUESTS} requests or ${SECONDS} s per phase, ${ROUNDS} rounds`);
    console.log(
      `API: ${PROCESSES} process(es) of dist/src/main.js on one port (as npm start with API_PROCESSES=${PROCESSES}), NODE_ENV=production, LOG_LEVEL=warn, a DB pool of ${POOL} each`,
    );
    console.log(
      "The load generator (a worker thread of this process) and PostgreSQL share the machine's cores with the API.\n",
    );

    const saveSpec: Extract<LoadSpec, { kind: 'save' }> = {
      kind: 'save',
      tokens: setup.tokens,
      questions: setup.saveQuestions,
      answersPerCall: ANSWERS_PER_SAVE,
      seqBase: 0,
    };
    const fixed: Record<'result' | 'ceiling', LoadSpec> = {
      result: {
        kind: 'fixed',
        body: JSON.stringify({ query: RESULT_QUERY, variables: { id: setup.closedAssessmentId } }),
        authorization: setup.viewerAuth,
      },
      ceiling: { kind: 'fixed', body: JSON.stringify({ query: '{ __typename }' }), authorization: null },
    };
    const sqlPool = new Pool({ connectionString: dbUrl.toString(), max: POOL });
    // Every save carries a higher clientSeq than any before it, so every answer is written.
    let seq = 1;
    const run = async (phase: Phase, requests: number): Promise<PhaseResult> => {
      // The load generator's side starts each phase on a collected heap (the result phase
      // leaves hundreds of MB of response strings). The API processes collect on their own
      // schedule, as in production.
      collectGarbage();
      const seqBase = seq;
      seq += requests + 1;
      if (phase === 'save') return runLoad(url, { ...saveSpec, seqBase }, requests);
      if (phase === 'save-rate') return runLoad(url, { ...saveSpec, seqBase }, requests, RATE);
      // The raw SQL's "server" is this thread, the pg pool that sends it.
      if (phase === 'save-sql') {
        return measure(
          () => sqlLoad(sqlPool, setup, requests, seqBase),
          () => cpuMsOf(`/proc/self/task/${process.pid}/stat`),
          () => NaN,
        );
      }
      return runLoad(url, fixed[phase], requests);
    };
    // Warm-up of every path (JIT, connection pools, caches); not measured.
    for (const phase of PHASES) await run(phase, WARMUP_REQUESTS);

    const results: Record<Phase, PhaseResult[]> = {
      save: [],
      'save-rate': [],
      'save-sql': [],
      result: [],
      ceiling: [],
    };
    // The fixed-rate phase sends what the rate gives in --seconds (at most), not --requests.
    const requestsOf = (phase: Phase) => (phase === 'save-rate' ? RATE * SECONDS : REQUESTS);
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(
        `round ${round}: load average ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}`,
      );
      for (const phase of PHASES) {
        const r = await run(phase, requestsOf(phase));
        results[phase].push(r);
        console.log(`round ${round} ${phase.padEnd(9)} ${fmt(r)}`);
        if (r.firstError) console.log(`  first error: ${r.firstError}`);
      }
    }
    await sqlPool.end();

    const medianOf = (phase: Phase, pick: (r: PhaseResult) => number) =>
      results[phase].length > 0 ? median(results[phase].map(pick)) : NaN;
    const ceiling = medianOf('ceiling', (r) => r.rps);
    const sqlCeiling = medianOf('save-sql', (r) => r.rps);
    const labels: Record<Phase, string> = {
      save: `saveAnswers (${ANSWERS_PER_SAVE} answers), closed loop`,
      'save-rate': `saveAnswers (${ANSWERS_PER_SAVE} answers), ${RATE}/s offered`,
      'save-sql': 'the save statement alone (raw SQL)',
      result: 'assessmentResult (closed)',
      ceiling: '`{ __typename }` (ceiling)',
    };
    const share = (rps: number, of: number) => (Number.isNaN(of) ? '—' : `${((100 * rps) / of).toFixed(0)} %`);
    console.log('\nmedians over the rounds:');
    console.log(
      '| phase | requests/s | p50 ms | p99 ms | of `{ __typename }` | of raw SQL save | server CPU ms/request | PostgreSQL CPU ms/request |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const phase of PHASES) {
      const rps = medianOf(phase, (r) => r.rps);
      const ofSql = phase === 'save' || phase === 'save-rate' ? share(rps, sqlCeiling) : '—';
      console.log(
        `| ${labels[phase]} | ${rps.toFixed(0)} | ${medianOf(phase, (r) => r.p50).toFixed(1)} | ${medianOf(phase, (r) => r.p99).toFixed(1)} | ${phase === 'save-sql' ? '—' : share(rps, ceiling)} | ${ofSql} | ${medianOf(phase, (r) => r.serverMsPerRequest).toFixed(2)} | ${medianOf(phase, (r) => r.databaseMsPerRequest).toFixed(2)} |`,
      );
    }
    const errors = Object.values(results)
      .flat()
      .reduce((n, r) => n + r.errors, 0);
    if (errors > 0) {
      console.error(`\n${errors} requests failed`);
      process.exitCode = 1;
    }
  } finally {
    await Promise.all(
      apiProcesses.map((worker) =>
        worker.isDead()
          ? Promise.resolve()
          : new Promise((resolve) => worker.once('exit', resolve).process.kill('SIGTERM')),
      ),
    );
    if (database) await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    const c = new Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
