/**
 * `npm run bench:benchmark`: times benchmark cohort queries on the demo data of
 * `npm run seed:demo` (real PostgreSQL), through GraphQL over HTTP (server started in this
 * process) and as the same aggregate statement in raw SQL, interleaved in one run. Prints
 * p50 / p99 of each and the ratio of the p50s, per cohort shape.
 *
 * Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ssm_bench; never the
 * `test` or `postgres` databases). Seed it first:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssm_bench npm run seed:demo -- --organisations 100000
 * Options: --runs N (200) for the target cohorts, --broad-runs N (runs / 10) for the broad ones,
 * --warmup N (30), --only-target (the peer cohort only).
 */
// First: graphql-js and others read NODE_ENV when they load.
import './production-env';
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { OVERALL } from '../src/modules/benchmark/benchmark-score.entity';
import { cohortAggregateQuery, type CohortSpec } from '../src/modules/benchmark/benchmark.service';
import { BenchmarkScope } from '../src/modules/benchmark/benchmark.types';
import { SizeBand } from '../src/modules/reference/reference.types';
import { createApiKey } from '../src/modules/firm/api-key.service';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/ssm_bench';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

const SIZE_ENUM: Record<string, string> = Object.fromEntries(
  Object.entries(SizeBand).map(([name, value]) => [value, name]),
);

const QUERY = `query Bench($id: ID!, $cohort: BenchmarkCohortInput!) {
  assessmentBenchmark(assessmentId: $id, cohort: $cohort) {
    framework { key major }
    cohort { scope industry sizeBand country minimumSize }
    overall { n withheld subjectScore percentileRank mean p25 median p75 histogram { from to count } }
    dimensions { code title n withheld subjectScore percentileRank mean p25 median p75 histogram { from to count } }
  }
}`;

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL || DEFAULT_URL;
  const dbName = new URL(url).pathname.slice(1);
  if (dbName === 'test' || dbName === 'postgres')
    throw new Error(`refusing to benchmark on the "${dbName}" database; use a separate one such as ssm_bench`);
  const runs = arg('runs', 200);
  const warmup = arg('warmup', 30);
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
  try {
    const ds = app.database.dataSource;
    const stats: Array<{ organisations: number; rows: number }> = await ds.query(
      `SELECT (SELECT count(*)::int FROM organisation) AS organisations, (SELECT count(*)::int FROM benchmark_score) AS rows`,
    );
    // A subject: the latest closed assessment of an organisation of a sharing demo firm, in a common segment.
    const subjects: Array<{
      firm_id: string;
      organisation_id: string;
      assessment_id: string;
      framework_key: string;
      framework_major: number;
      industry: string;
      size_band: string;
      country: string;
    }> = await ds.query(
      `SELECT b.firm_id, b.organisation_id, b.assessment_id, b.framework_key, b.framework_major, b.industry, b.size_band, b.country
           FROM benchmark_score b JOIN firm f ON f.id = b.firm_id AND f.shares_benchmarks
          WHERE b.dimension_code = $1 AND b.is_latest AND NOT b.excluded AND b.industry = 'G' AND b.size_band = '10-49' AND b.country = 'DE'
          ORDER BY f.name, b.assessment_id
          LIMIT 1`,
      [OVERALL],
    );
    const subject = subjects[0];
    if (!subject) throw new Error('no demo data: run npm run seed:demo first (see the header of this script)');
    const { secret } = await ds.transaction((m) => createApiKey(m, subject.firm_id, 'bench:benchmark', 'VIEWER'));
    const load = (await import('node:os')).loadavg()[0].toFixed(1);
    console.log(
      `database ${dbName}: ${stats[0].organisations} organisations, ${stats[0].rows} benchmark rows; load average ${load} on ${(await import('node:os')).cpus().length} CPUs`,
    );

    // The first shape is the target (peers: same industry, size band and country); the broader
    // ones are timed with fewer runs (--broad-runs), as they take much longer.
    const broadRuns = arg('broad-runs', Math.max(5, Math.ceil(runs / 10)));
    const shapes: Array<{ name: string; cohort: Record<string, string>; runs: number }> = [
      {
        name: 'SHARED_POOL industry + size band + country',
        cohort: {
          scope: 'SHARED_POOL',
          industry: subject.industry,
          sizeBand: SIZE_ENUM[subject.size_band],
          country: subject.country,
        },
        runs,
      },
      {
        name: 'OWN_FIRM industry + size band',
        cohort: { scope: 'OWN_FIRM', industry: subject.industry, sizeBand: SIZE_ENUM[subject.size_band] },
        runs,
      },
      {
        name: 'SHARED_POOL industry + size band',
        cohort: { scope: 'SHARED_POOL', industry: subject.industry, sizeBand: SIZE_ENUM[subject.size_band] },
        runs: broadRuns,
      },
      { name: 'SHARED_POOL industry', cohort: { scope: 'SHARED_POOL', industry: subject.industry }, runs: broadRuns },
      { name: 'SHARED_POOL, no filter (whole pool)', cohort: { scope: 'SHARED_POOL' }, runs: Math.min(broadRuns, 5) },
    ];
    if (process.argv.includes('--only-target')) shapes.splice(1);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${secret}` };
    // The floor of any authenticated request: HTTP, Apollo and the API-key lookup, no benchmark.
    const floorBody = JSON.stringify({ query: '{ me { role } }' });
    const floor: number[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = performance.now();
      const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers, body: floorBody });
      await res.json();
      if (i >= warmup) floor.push(performance.now() - t0);
    }
    console.log(
      `floor: authenticated { me { role } } over HTTP p50 ${percentile(floor, 0.5).toFixed(2)} ms p99 ${percentile(floor, 0.99).toFixed(2)} ms`,
    );
    for (const shape of shapes) {
      const body = JSON.stringify({ query: QUERY, variables: { id: subject.assessment_id, cohort: shape.cohort } });
      // The statement the API runs: framework and organisation read from the subject's rows.
      const spec: CohortSpec = {
        framework: null,
        scope: shape.cohort.scope as BenchmarkScope,
        firmId: subject.firm_id,
        industry: shape.cohort.industry ?? null,
        sizeBand: shape.cohort.sizeBand ? (SizeBand as Record<string, string>)[shape.cohort.sizeBand] : null,
        country: shape.cohort.country ?? null,
        subject: { firmId: subject.firm_id, assessmentId: subject.assessment_id },
      };
      const { sql, params } = cohortAggregateQuery(spec);
      let n = 0;
      const viaApi = async () => {
        const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers, body });
        const json = (await res.json()) as { data?: any; errors?: unknown[] };
        if (json.errors) throw new Error(JSON.stringify(json.errors));
        n = json.data.assessmentBenchmark.overall.n;
      };
      const viaSql = async () => {
        await raw.query(sql, params);
      };
      for (let i = 0; i < (shape.runs === runs ? warmup : 2); i++) {
        await viaApi();
        await viaSql();
      }
      const api: number[] = [];
      const rawSql: number[] = [];
      for (let i = 0; i < shape.runs; i++) {
        // Alternate the order so that neither side always runs on a warmer cache.
        const order = i % 2 === 0 ? [viaApi, viaSql] : [viaSql, viaApi];
        for (const fn of order) {
          const t0 = performance.now();
          await fn();
          (fn === viaApi ? api : rawSql).push(performance.now() - t0);
        }
      }
      const plan = (await raw.query(`EXPLAIN ${sql}`, params)).rows as Array<{ 'QUERY PLAN': string }>;
      const indexes = [
        ...new Set(
          plan
            .map((p) =>
              /(Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) "?(\w+)"?/.exec(
                p['QUERY PLAN'],
              ),
            )
            .filter(Boolean)
            .map((m) => `${m![2]} (${m![1]})`),
        ),
      ];
      const a50 = percentile(api, 0.5);
      const s50 = percentile(rawSql, 0.5);
      console.log(
        `${shape.name.padEnd(44)} n=${String(n).padStart(6)} runs=${shape.runs}  GraphQL p50 ${a50.toFixed(2)} ms p99 ${percentile(api, 0.99).toFixed(2)} ms | ` +
          `raw SQL p50 ${s50.toFixed(2)} ms p99 ${percentile(rawSql, 0.99).toFixed(2)} ms | ratio ${(a50 / s50).toFixed(2)}x | indexes: ${indexes.join(', ') || 'none'}`,
      );
    }
    await ds.query('DELETE FROM api_key WHERE firm_id = $1 AND name = $2', [subject.firm_id, 'bench:benchmark']);
  } finally {
    await raw.end();
    await app.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
