/**
 * `npm run bench:benchmark`: times every cohort shape of the three benchmark queries on the
 * demo data of `npm run seed:demo` (real PostgreSQL). A shape is a scope (OWN_FIRM,
 * SHARED_POOL) and a set of segment filters (none, industry, size band, country, and every
 * combination of them: 16 shapes), each asked through `assessmentBenchmark`,
 * `organisationBenchmark` and `cohortBenchmark` (48 rows).
 *
 * Per row, interleaved in one run, one request at a time (no concurrency: these are latency
 * figures, and one request at a time keeps the API and the raw statements on the same footing):
 * - the API: GraphQL over HTTP to the server started in this process (NODE_ENV=production, a
 *   VIEWER key, the full answer with 13 dimensions, the overall and histograms);
 * - the engine's statements: `engineCohortAggregates` of `src/modules/benchmark/cohort-engine`
 *   on a plain `pg` connection, for the same cohort (skipped, and said so, while that module
 *   does not exist);
 * - the plain aggregate statement `cohortAggregateQuery` (the reference) on the same
 *   connection, with fewer runs (--plain-runs), as it takes seconds for broad cohorts.
 * The floor is an authenticated `{ me { role } }` over HTTP (what any request costs), timed
 * before and after the rows. Targets (issue 17): API p50 ≤ 50 ms and p99 ≤ 150 ms per row.
 *
 * Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ssm_bench; never the
 * `test` or `postgres` databases). Seed it first:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssm_bench npm run seed:demo -- --organisations 100000
 * Options: --runs N (100) API and engine runs per row, --warmup N (10) per row,
 * --plain-runs N (5) per row, --no-plain, --row-seconds S (30: a row stops early once it has
 * taken S seconds and has at least 10 runs; the runs column says how many it took),
 * --only REGEX (on the row name, e.g. "assessmentBenchmark SHARED_POOL industry+sizeBand"),
 * --json FILE (every figure and sample). Prints a markdown table for docs/BENCHMARKS.md.
 */
// First: graphql-js and others read NODE_ENV when they load.
import './production-env';
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { OVERALL } from '../src/modules/benchmark/benchmark-score.entity';
import { cohortAggregates, type CohortAggregate, type CohortSpec } from '../src/modules/benchmark/benchmark.service';
import { BenchmarkScope } from '../src/modules/benchmark/benchmark.types';
import { SizeBand } from '../src/modules/reference/reference.types';
import { createApiKey } from '../src/modules/firm/api-key.service';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/ssm_bench';
const TARGET_P50_MS = 50;
const TARGET_P99_MS = 150;
/** Rows stopped by --row-seconds still take at least this many runs. */
const MIN_RUNS = 10;

/** What `cohort-engine.ts` takes as a database: anything that runs a statement and returns its rows. */
type Queryable = { query(sql: string, params?: unknown[]): Promise<any[]> };
type EngineAggregates = (q: Queryable, spec: CohortSpec) => Promise<Map<string, CohortAggregate>>;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module without types
const { createRawClient } = require('./bench-http-client') as {
  createRawClient: (
    url: URL,
    connections: number,
  ) => {
    prepare(body: string, authorization: string | null): Buffer;
    request(bytes: Buffer): Promise<{ status: number; body: string } | { error: string }>;
    close(): void;
  };
};

function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

function stringArg(name: string): string | null {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : null;
}

/** Nearest-rank percentile (as bench:api): p99 of fewer than 100 samples is their maximum. */
function percentile(samples: number[], p: number): number | null {
  if (samples.length === 0) return null;
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/**
 * The engine of `src/modules/benchmark/cohort-engine`, or null while that module does not
 * exist (any other failure to load it is an error).
 */
async function loadEngine(): Promise<EngineAggregates | null> {
  // A path in a variable: the module may not exist yet, and the compiler must not look for it.
  const modulePath = '../src/modules/benchmark/cohort-engine';
  let mod: { engineCohortAggregates?: EngineAggregates };
  try {
    mod = (await import(modulePath)) as typeof mod;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && e.message.includes('cohort-engine')) return null;
    throw err;
  }
  if (typeof mod.engineCohortAggregates !== 'function')
    throw new Error(`${modulePath} does not export engineCohortAggregates`);
  return mod.engineCohortAggregates;
}

/** The differences between two computations of one cohort (empty when equal to 1e-9). */
function differences(a: Map<string, CohortAggregate>, b: Map<string, CohortAggregate>): string[] {
  const out: string[] = [];
  const close = (x: number | null, y: number | null) =>
    x === null || y === null ? x === y : Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x));
  for (const code of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(code);
    const y = b.get(code);
    if (!x || !y) {
      // A value missing on one side equals one with an empty cohort and no subject score.
      const present = x ?? y!;
      if (present.n !== 0 || present.subjectScore !== null) out.push(`${code}: only on one side`);
      continue;
    }
    for (const key of [
      'n',
      'mean',
      'p25',
      'median',
      'p75',
      'subjectScore',
      'below',
      'equal',
      'percentileRank',
    ] as const)
      if (!close(x[key], y[key])) out.push(`${code}.${key}: ${x[key]} vs ${y[key]}`);
    if (x.histogram.join() !== y.histogram.join())
      out.push(`${code}.histogram: ${x.histogram.join()} vs ${y.histogram.join()}`);
  }
  return out;
}

type Filter = 'industry' | 'sizeBand' | 'country';
const FILTER_SETS: Filter[][] = [
  [],
  ['industry'],
  ['sizeBand'],
  ['country'],
  ['industry', 'sizeBand'],
  ['industry', 'country'],
  ['sizeBand', 'country'],
  ['industry', 'sizeBand', 'country'],
];
const QUERIES = ['assessmentBenchmark', 'organisationBenchmark', 'cohortBenchmark'] as const;
type QueryName = (typeof QUERIES)[number];

const FIGURES = 'n withheld reason subjectScore percentileRank mean p25 median p75 histogram { from to count }';
const SELECTION = `{
    framework { key major version name ownedByFirm }
    cohort { scope industry sizeBand country minimumSize }
    subject { organisationId assessmentId closedAt }
    overall { ${FIGURES} }
    dimensions { code group title ${FIGURES} }
  }`;
const DOCUMENTS: Record<QueryName, string> = {
  assessmentBenchmark: `query Bench($id: ID!, $cohort: BenchmarkCohortInput!) {
  assessmentBenchmark(assessmentId: $id, cohort: $cohort) ${SELECTION}
}`,
  organisationBenchmark: `query Bench($id: ID!, $cohort: BenchmarkCohortInput!) {
  organisationBenchmark(organisationId: $id, cohort: $cohort) ${SELECTION}
}`,
  cohortBenchmark: `query Bench($key: String!, $major: Int!, $cohort: BenchmarkCohortInput!) {
  cohortBenchmark(frameworkKey: $key, frameworkMajor: $major, cohort: $cohort) ${SELECTION}
}`,
};

const SIZE_ENUM: Record<string, string> = Object.fromEntries(
  Object.entries(SizeBand).map(([name, value]) => [value, name]),
);

interface Timing {
  runs: number;
  p50: number | null;
  p99: number | null;
  samples: number[];
}

function timing(samples: number[]): Timing {
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    runs: samples.length,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    samples: samples.map(round),
  };
}

interface Row {
  name: string;
  query: QueryName;
  scope: BenchmarkScope;
  filters: Filter[];
  cohort: Record<string, string>;
  /** The overall's n in the API's answer. */
  n: number;
  api: Timing;
  engine: Timing | null;
  plain: Timing | null;
  /** API p50 / engine p50, or / plain p50 while there is no engine. */
  ratio: number | null;
  met: { p50: boolean; p99: boolean };
  /** Differences of the engine's figures from the plain statement's, and of the API's n. */
  mismatches: string[];
  seconds: number;
  load1: number;
}

const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(2));

function cohortLabel(scope: BenchmarkScope, filters: Filter[]): string {
  const names: Record<Filter, string> = { industry: 'industry', sizeBand: 'size band', country: 'country' };
  const where = scope === BenchmarkScope.OWN_FIRM ? 'own firm' : 'shared pool';
  return filters.length === 0 ? `${where}, no filter` : `${where}, ${filters.map((f) => names[f]).join(' + ')}`;
}

function metLabel(met: Row['met']): string {
  if (met.p50 && met.p99) return 'yes';
  return `**no** (${[!met.p50 && 'p50', !met.p99 && 'p99'].filter(Boolean).join(', ')})`;
}

/** The markdown table of the rows (for docs/BENCHMARKS.md). */
function table(rows: Row[], withEngine: boolean): string {
  const lines = [
    `| Cohort | Query | n | runs | API p50 | API p99 | engine p50 | engine p99 | plain p50 | plain p99 (runs) | API / ${withEngine ? 'engine' : 'plain'} p50 | ≤ ${TARGET_P50_MS} / ≤ ${TARGET_P99_MS} ms | load |`,
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${cohortLabel(r.scope, r.filters)} | \`${r.query}\` | ${r.n.toLocaleString('en')} | ${r.api.runs} | ${fmt(r.api.p50)} | ${fmt(r.api.p99)} | ` +
        `${fmt(r.engine?.p50 ?? null)} | ${fmt(r.engine?.p99 ?? null)} | ${fmt(r.plain?.p50 ?? null)} | ` +
        `${r.plain ? `${fmt(r.plain.p99)} (${r.plain.runs})` : '—'} | ${r.ratio === null ? '—' : `${r.ratio.toFixed(2)}x`} | ${metLabel(r.met)} | ${r.load1.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL || DEFAULT_URL;
  const dbName = new URL(url).pathname.slice(1);
  if (dbName === 'test' || dbName === 'postgres')
    throw new Error(`refusing to benchmark on the "${dbName}" database; use a separate one such as ssm_bench`);
  const runs = Math.max(1, numberArg('runs', 100));
  const warmup = numberArg('warmup', 10);
  const withPlain = !process.argv.includes('--no-plain');
  const plainRuns = withPlain ? Math.max(1, numberArg('plain-runs', 5)) : 0;
  const rowSeconds = numberArg('row-seconds', 30);
  const onlyArg = stringArg('only');
  const only = onlyArg ? new RegExp(onlyArg) : null;
  const jsonPath = stringArg('json');
  const engine = await loadEngine();
  const startedAt = new Date();

  const app = await startApp({
    ...loadConfig({ NODE_ENV: 'production' }),
    databaseUrl: url,
    host: '127.0.0.1',
    port: 0,
    logLevel: 'warn',
    logPretty: false,
    dbPoolSize: 10,
    demoFirm: false,
    seedOnStart: false,
  });
  const raw = new Client({ connectionString: url });
  await raw.connect();
  const queryable: Queryable = { query: async (sql, params) => (await raw.query(sql, params)).rows };
  const http = createRawClient(new URL(`${app.url}/graphql`), 1);
  const ds = app.database.dataSource;
  let keyFirm: string | null = null;
  try {
    const [stats]: Array<{ organisations: number; rows: number; version: string; sb: string; wm: string }> = await raw
      .query(
        `SELECT (SELECT count(*)::int FROM organisation) AS organisations, (SELECT count(*)::int FROM benchmark_score) AS rows,
                current_setting('server_version') AS version, current_setting('shared_buffers') AS sb, current_setting('work_mem') AS wm`,
      )
      .then((r) => r.rows);
    // The subject: the latest closed assessment of an organisation of a sharing demo firm, in a
    // common segment (G / 10-49 / DE), whose segment gives the filter values: cohorts are never trivial.
    const subjects: Array<{
      firm_id: string;
      organisation_id: string;
      assessment_id: string;
      framework_key: string;
      framework_major: number;
      industry: string;
      size_band: string;
      country: string;
      dimension_codes: string[];
    }> = await ds.query(
      `SELECT b.firm_id, b.organisation_id, b.assessment_id, b.framework_key, b.framework_major, b.industry, b.size_band, b.country,
              (SELECT array_agg(d->>'code' ORDER BY ord)
                 FROM assessment a JOIN framework_version fv ON fv.id = a.framework_version_id,
                      jsonb_array_elements(fv.document->'dimensions') WITH ORDINALITY AS x(d, ord)
                WHERE a.id = b.assessment_id) AS dimension_codes
           FROM benchmark_score b JOIN firm f ON f.id = b.firm_id AND f.shares_benchmarks
          WHERE b.dimension_code = $1 AND b.is_latest AND NOT b.excluded AND b.industry = 'G' AND b.size_band = '10-49' AND b.country = 'DE'
          ORDER BY f.name, b.assessment_id
          LIMIT 1`,
      [OVERALL],
    );
    const subject = subjects[0];
    if (!subject) throw new Error('no demo data: run npm run seed:demo first (see the header of this script)');
    const { secret } = await ds.transaction((m) => createApiKey(m, subject.firm_id, 'bench:benchmark', 'VIEWER'));
    keyFirm = subject.firm_id;
    const authorization = `Bearer ${secret}`;
    const segment: Record<Filter, string> = {
      industry: subject.industry,
      sizeBand: SIZE_ENUM[subject.size_band],
      country: subject.country,
    };
    const cpu = os.cpus();
    const meta = {
      startedAt: startedAt.toISOString(),
      database: dbName,
      organisations: stats.organisations,
      benchmarkRows: stats.rows,
      postgres: `${stats.version} (shared_buffers ${stats.sb}, work_mem ${stats.wm})`,
      machine: `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
      subject: { industry: subject.industry, sizeBand: subject.size_band, country: subject.country },
      engine: engine ? 'cohort-engine.ts engineCohortAggregates' : null,
      options: { runs, warmup, plainRuns, rowSeconds, only: onlyArg },
      load1AtStart: os.loadavg()[0],
    };
    console.log(
      `database ${dbName}: ${stats.organisations} organisations, ${stats.rows} benchmark rows; PostgreSQL ${meta.postgres}; ${meta.machine}; load average ${os.loadavg()[0].toFixed(1)}`,
    );
    console.log(
      engine
        ? 'engine: measuring engineCohortAggregates (src/modules/benchmark/cohort-engine.ts) beside the plain statement'
        : 'engine: src/modules/benchmark/cohort-engine.ts does not exist: measuring the plain aggregate statement only (ratios are API / plain)',
    );
    console.log(
      `subject: ${subject.industry} / ${subject.size_band} / ${subject.country}; ${runs} runs (${warmup} warm-up) per row, plain statement ${withPlain ? `${plainRuns} runs` : 'skipped'}, rows stop after ${rowSeconds} s (at least ${MIN_RUNS} runs); one request at a time`,
    );

    const request = async (body: string): Promise<any> => {
      const res = await http.request(http.prepare(body, authorization));
      if ('error' in res) throw new Error(res.error);
      const json = JSON.parse(res.body) as { data?: any; errors?: unknown[] };
      if (res.status !== 200 || json.errors) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 500)}`);
      return json.data;
    };
    const floorRuns = Math.max(runs, 200);
    const timeFloor = async (): Promise<Timing> => {
      const body = JSON.stringify({ query: '{ me { role } }' });
      const samples: number[] = [];
      for (let i = 0; i < warmup + floorRuns; i++) {
        const t0 = performance.now();
        await request(body);
        if (i >= warmup) samples.push(performance.now() - t0);
      }
      return timing(samples);
    };
    const floorBefore = await timeFloor();
    console.log(
      `floor: authenticated { me { role } } over HTTP p50 ${fmt(floorBefore.p50)} ms p99 ${fmt(floorBefore.p99)} ms (${floorBefore.runs} runs)`,
    );

    const rows: Row[] = [];
    for (const scope of [BenchmarkScope.OWN_FIRM, BenchmarkScope.SHARED_POOL]) {
      for (const filters of FILTER_SETS) {
        for (const query of QUERIES) {
          const name = `${query} ${scope} ${filters.length ? filters.join('+') : 'none'}`;
          if (only && !only.test(name)) continue;
          const cohort: Record<string, string> = { scope };
          for (const f of filters) cohort[f] = segment[f];
          const variables =
            query === 'cohortBenchmark'
              ? { key: subject.framework_key, major: subject.framework_major, cohort }
              : { id: query === 'assessmentBenchmark' ? subject.assessment_id : subject.organisation_id, cohort };
          const body = JSON.stringify({ query: DOCUMENTS[query], variables });
          // The cohort as the API asks for it: from the subject's own rows, or on the framework for cohortBenchmark.
          const spec: CohortSpec = {
            framework:
              query === 'cohortBenchmark'
                ? {
                    key: subject.framework_key,
                    major: subject.framework_major,
                    dimensionCodes: [...subject.dimension_codes, OVERALL],
                  }
                : null,
            scope,
            firmId: subject.firm_id,
            industry: filters.includes('industry') ? subject.industry : null,
            sizeBand: filters.includes('sizeBand') ? subject.size_band : null,
            country: filters.includes('country') ? subject.country : null,
            subject:
              query === 'cohortBenchmark' ? null : { firmId: subject.firm_id, assessmentId: subject.assessment_id },
          };
          let n = 0;
          const viaApi = async () => {
            const data = await request(body);
            n = data[query].overall.n;
          };
          // cohortAggregates only calls db.query(sql, params), as a Queryable offers.
          const viaPlain = () => cohortAggregates(queryable as unknown as Parameters<typeof cohortAggregates>[0], spec);
          const viaEngine = engine ? () => engine(queryable, spec) : null;

          const rowStart = performance.now();
          for (let i = 0; i < warmup; i++) {
            await viaApi();
            if (viaEngine) await viaEngine();
          }
          const api: number[] = [];
          const eng: number[] = [];
          const plain: number[] = [];
          // The plain runs are spread over the runs the row is expected to take (fewer than --runs
          // when --row-seconds stops it), estimated from the warm-up.
          const warmupSeconds = (performance.now() - rowStart) / 1000;
          const expectedRuns =
            warmup > 0
              ? Math.min(runs, Math.max(MIN_RUNS, Math.floor(((rowSeconds - warmupSeconds) * warmup) / warmupSeconds)))
              : runs;
          const plainEvery = Math.max(1, Math.floor(expectedRuns / Math.max(1, plainRuns)));
          for (let i = 0; i < runs; i++) {
            if (i >= MIN_RUNS && (performance.now() - rowStart) / 1000 > rowSeconds) break;
            const steps: Array<[() => Promise<unknown>, number[]]> = [[viaApi, api]];
            if (viaEngine) steps.push([viaEngine, eng]);
            if (withPlain && i % plainEvery === 0 && plain.length < plainRuns) steps.push([viaPlain, plain]);
            // Rotate the order so that no side always runs first, on a warmer or colder cache.
            for (let k = 0; k < steps.length; k++) {
              const [fn, samples] = steps[(i + k) % steps.length];
              const t0 = performance.now();
              await fn();
              samples.push(performance.now() - t0);
            }
          }
          // Checked after the timed runs, which need no plain run of their own for it.
          const mismatches: string[] = [];
          if (withPlain || viaEngine) {
            const reference = withPlain ? await viaPlain() : null;
            const engineFigures = viaEngine ? await viaEngine() : null;
            const rawN = reference?.get(OVERALL)?.n ?? engineFigures?.get(OVERALL)?.n;
            if (rawN !== undefined && rawN !== n) mismatches.push(`API n ${n} vs raw n ${rawN}`);
            if (reference && engineFigures) mismatches.push(...differences(reference, engineFigures));
          }
          const apiTiming = timing(api);
          const engineTiming = viaEngine ? timing(eng) : null;
          const plainTiming = withPlain ? timing(plain) : null;
          const versus = engineTiming ?? plainTiming;
          const row: Row = {
            name,
            query,
            scope,
            filters,
            cohort,
            n,
            api: apiTiming,
            engine: engineTiming,
            plain: plainTiming,
            ratio: versus?.p50 && apiTiming.p50 !== null ? apiTiming.p50 / versus.p50 : null,
            met: {
              p50: apiTiming.p50 !== null && apiTiming.p50 <= TARGET_P50_MS,
              p99: apiTiming.p99 !== null && apiTiming.p99 <= TARGET_P99_MS,
            },
            mismatches,
            seconds: (performance.now() - rowStart) / 1000,
            load1: os.loadavg()[0],
          };
          rows.push(row);
          console.log(
            `${name.padEnd(56)} n=${String(n).padStart(6)} runs=${String(api.length).padStart(3)}  API p50 ${fmt(apiTiming.p50)} p99 ${fmt(apiTiming.p99)}` +
              (engineTiming ? ` | engine p50 ${fmt(engineTiming.p50)} p99 ${fmt(engineTiming.p99)}` : '') +
              (plainTiming ? ` | plain p50 ${fmt(plainTiming.p50)} (${plainTiming.runs})` : '') +
              ` | ${row.ratio === null ? '' : `${row.ratio.toFixed(2)}x `}${metLabel(row.met)} | load ${row.load1.toFixed(1)}` +
              (mismatches.length ? ` | MISMATCH ${mismatches.slice(0, 3).join('; ')}` : ''),
          );
        }
      }
    }
    const floorAfter = await timeFloor();
    const finishedAt = new Date();
    const met = rows.filter((r) => r.met.p50 && r.met.p99).length;
    const wrong = rows.filter((r) => r.mismatches.length > 0);

    console.log(
      `\nRun of ${startedAt.toISOString().slice(0, 16).replace('T', ' ')}–${finishedAt.toISOString().slice(11, 16)} UTC, ` +
        `\`npm run bench:benchmark -- ${process.argv.slice(2).join(' ')}\`: ${meta.machine}, load average ${meta.load1AtStart.toFixed(1)} at the start, ` +
        `${os.loadavg()[0].toFixed(1)} at the end; PostgreSQL ${meta.postgres}; ${stats.organisations.toLocaleString('en')} organisations ` +
        `(subject ${subject.industry} / ${subject.size_band} / ${subject.country}). Times in ms, one request at a time. ` +
        (engine
          ? 'engine: the statements of engineCohortAggregates on one pg connection; '
          : 'engine: not measured (no cohort-engine.ts yet); ') +
        `plain: the plain aggregate statement (cohortAggregateQuery) on the same connection${withPlain ? '' : ' (skipped)'}. ` +
        `p99 of fewer than 100 runs is the slowest run. Floor (\`{ me { role } }\` over HTTP): p50 ${fmt(floorBefore.p50)} / p99 ${fmt(floorBefore.p99)} before the rows, ` +
        `${fmt(floorAfter.p50)} / ${fmt(floorAfter.p99)} after. Met: ${met} of ${rows.length} rows.\n`,
    );
    console.log(table(rows, engine !== null));
    if (wrong.length > 0) {
      console.log(`\nMismatches (engine vs plain statement, or the API's n):`);
      for (const r of wrong) console.log(`- ${r.name}: ${r.mismatches.join('; ')}`);
    }
    if (jsonPath) {
      fs.writeFileSync(
        jsonPath,
        `${JSON.stringify({ ...meta, finishedAt: finishedAt.toISOString(), load1AtEnd: os.loadavg()[0], floorBefore, floorAfter, rows }, null, 2)}\n`,
      );
      console.log(`\nwrote ${jsonPath}`);
    }
  } finally {
    if (keyFirm)
      await ds
        .query('DELETE FROM api_key WHERE firm_id = $1 AND name = $2', [keyFirm, 'bench:benchmark'])
        .catch(() => undefined);
    http.close();
    await raw.end();
    await app.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
