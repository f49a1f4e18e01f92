/**
 * `npm run seed:demo -- --organisations 100000`: demo data for benchmarks. Several firms
 * (most of them in the shared pool) with client organisations across industries, size bands
 * and countries, each with one or two CLOSED assessments on the built-in service-strategy
 * framework (the minimal test framework when that is not available).
 *
 * Results are real: respondents' answers are generated for the framework and scored with the
 * scoring engine, and stored as closing through the API stores them (see insertDemoBatch,
 * checked against storeResult by test/benchmark-stats.e2e.test.ts). For speed, a pool of
 * distinct answer sets (--pool, default 2000) is scored once, and each assessment takes the
 * pool result nearest its organisation's quality (which depends on industry, size band and a
 * per-organisation draw). Answers themselves are not stored. Batches of 1000 organisations,
 * one transaction each.
 *
 * Uses DATABASE_URL (created when that database does not exist yet) or the embedded database
 * in DATA_DIR. Refuses to add to an earlier demo unless --reset (which deletes the demo firms
 * first). Options: --organisations N (2000), --firms N (8), --pool N (2000), --seed N (1), --reset.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { ENTITIES } from '../src/app-modules';
import { openDatabase } from '../src/db/database';
import { scoreAssessment, type AssessmentResult } from '../src/scoring';
import {
  generateRespondents,
  insertDemoBatch,
  prng,
  DEMO_BATCH_ROWS,
  type DemoClosedAssessment,
  type DemoOrganisation,
} from '../src/modules/benchmark/benchmark-demo-data';
import { createApiKey } from '../src/modules/firm/api-key.service';
import { createFirmWithAdminKey } from '../src/modules/firm/firm.service';
import { frameworkChecksum, toFrameworkDef } from '../src/modules/framework/framework-convert';
import type { FrameworkDocument } from '../src/modules/framework/framework-document';
import { loadFrameworkSeeds } from '../src/modules/framework/framework-seed';

/** Demo firms are recognised (and --reset deletes them) by this name suffix. */
export const DEMO_FIRM_SUFFIX = '(benchmark demo)';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/** Creates the database named in `url` when it does not exist (a real PostgreSQL server only). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

const INDUSTRIES: Array<[string, number]> = [
  ['C', 14],
  ['G', 16],
  ['K', 8],
  ['J', 9],
  ['I', 8],
  ['H', 6],
  ['M', 7],
  ['Q', 7],
  ['F', 5],
  ['N', 4],
  ['P', 4],
  ['L', 3],
  ['D', 2],
  ['S', 3],
  ['R', 2],
  ['E', 1],
  ['A', 1],
  ['B', 1],
  ['O', 1],
  ['T', 0.2],
  ['U', 0.2],
];
const SIZES: Array<[string, number]> = [
  ['1-9', 18],
  ['10-49', 30],
  ['50-249', 27],
  ['250-999', 15],
  ['1000+', 10],
];
const COUNTRIES: Array<[string, number]> = [
  ['DE', 14],
  ['GB', 12],
  ['FR', 10],
  ['RU', 10],
  ['US', 12],
  ['NL', 6],
  ['ES', 6],
  ['IT', 6],
  ['PL', 5],
  ['SE', 4],
  ['KZ', 3],
  ['AE', 3],
];
// Service maturity differs by industry and grows with size: gives the cohorts distinct shapes.
const INDUSTRY_EFFECT: Record<string, number> = {
  K: 0.08,
  J: 0.06,
  I: 0.05,
  G: 0.02,
  Q: -0.03,
  O: -0.08,
  H: -0.02,
  C: -0.01,
};
const SIZE_EFFECT: Record<string, number> = {
  '1-9': -0.06,
  '10-49': -0.02,
  '50-249': 0,
  '250-999': 0.03,
  '1000+': 0.05,
};

function weighted<T>(items: Array<[T, number]>, rnd: () => number): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rnd() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1][0];
}

/** The framework version to assess on: the built-in service-strategy, else the minimal test framework. */
async function demoFramework(
  dataSource: DataSource,
): Promise<{ id: string; ownerFirmId: null; key: string; major: number; doc: FrameworkDocument }> {
  try {
    await loadFrameworkSeeds(dataSource);
  } catch (err) {
    process.stderr.write(
      `Could not load the seed frameworks (${(err as Error).message}); using the minimal test framework.\n`,
    );
  }
  const rows: Array<{ id: string; key: string; major: number; document: FrameworkDocument }> = await dataSource.query(
    `SELECT id, key, major, document FROM framework_version
      WHERE owner_firm_id IS NULL AND key = 'service-strategy' AND status = 'PUBLISHED'
      ORDER BY published_at DESC LIMIT 1`,
  );
  if (rows[0])
    return { id: rows[0].id, ownerFirmId: null, key: rows[0].key, major: rows[0].major, doc: rows[0].document };
  const doc = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', 'test', 'fixtures', 'frameworks', 'minimal.json'), 'utf8'),
  ) as FrameworkDocument;
  const existing: Array<{ id: string }> = await dataSource.query(
    `SELECT id FROM framework_version WHERE owner_firm_id IS NULL AND key = $1 AND version = $2`,
    [doc.key, doc.version],
  );
  const id = existing[0]?.id ?? randomUUID();
  if (!existing[0]) {
    await dataSource.query(
      `INSERT INTO framework_version (id, owner_firm_id, key, version, major, status, document, checksum, published_at)
       VALUES ($1, NULL, $2, $3, $4, 'PUBLISHED', $5::jsonb, $6, now())`,
      [id, doc.key, doc.version, Number(doc.version.split('.')[0]), JSON.stringify(doc), frameworkChecksum(doc)],
    );
  }
  return { id, ownerFirmId: null, key: doc.key, major: Number(doc.version.split('.')[0]), doc };
}

async function main(): Promise<void> {
  const organisationCount = arg('organisations', 2000);
  const firmCount = arg('firms', 8);
  const poolSize = Math.min(arg('pool', 2000), organisationCount);
  const seed = arg('seed', 1);
  const reset = process.argv.includes('--reset');
  const config = loadConfig();
  if (config.databaseUrl) await ensureDatabase(config.databaseUrl);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    entities: ENTITIES,
    poolSize: 2,
  });
  const ds = database.dataSource;
  const started = performance.now();
  const say = (line: string) =>
    process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
  try {
    const demoFirms: Array<{ id: string }> = await ds.query(`SELECT id FROM firm WHERE name LIKE '%' || $1`, [
      DEMO_FIRM_SUFFIX,
    ]);
    if (demoFirms.length > 0) {
      if (!reset)
        throw new Error(
          `This database already holds demo data (${demoFirms.length} demo firms); run again with --reset to replace it.`,
        );
      const ids = demoFirms.map((f) => f.id);
      // benchmark_score has no foreign key (it is read alone), so it is deleted explicitly.
      await ds.query('DELETE FROM benchmark_score WHERE firm_id = ANY($1::uuid[])', [ids]);
      await ds.query('DELETE FROM firm WHERE id = ANY($1::uuid[])', [ids]);
      say(`deleted ${ids.length} earlier demo firms`);
    }

    const framework = await demoFramework(ds);
    const def = toFrameworkDef(framework.doc);
    say(
      `framework ${framework.key} major ${framework.major}: ${def.questions.length} questions, ${def.dimensions.length} dimensions`,
    );

    const rnd = prng(seed);
    const pool: Array<{ result: AssessmentResult; json: string; overall: number; index: number }> = [];
    for (let i = 0; i < poolSize; i++) {
      const quality = Math.min(1, Math.max(0, 0.15 + 0.7 * ((rnd() + rnd() + rnd()) / 3) + (rnd() - 0.5) * 0.3));
      const respondents = generateRespondents(def, quality, 3 + Math.floor(rnd() * 6), rnd);
      const result = scoreAssessment({ framework: def, respondents, roleWeights: { EXECUTIVE: 2 } });
      if (result.ignoredAnswers.length > 0)
        throw new Error(`generated answers were ignored: ${JSON.stringify(result.ignoredAnswers[0])}`);
      pool.push({ result, json: JSON.stringify(result), overall: result.overall.score ?? 0, index: i });
    }
    pool.sort((a, b) => a.overall - b.overall);
    say(`scored ${poolSize} distinct answer sets`);

    // One connection for the whole load: the pool of results lives in a temporary table on it,
    // and every assessment's result is copied from there inside the database.
    const runner = ds.createQueryRunner();
    await runner.connect();
    await runner.query('CREATE TEMPORARY TABLE demo_result_pool (idx int PRIMARY KEY, result jsonb NOT NULL)');
    for (let start = 0; start < pool.length; start += 200) {
      const chunk = pool.slice(start, start + 200);
      await runner.query('INSERT INTO demo_result_pool SELECT * FROM unnest($1::int[], $2::jsonb[])', [
        chunk.map((p) => p.index),
        chunk.map((p) => p.json),
      ]);
    }

    const firms: Array<{ id: string; name: string; shares: boolean; weight: number; viewerKey: string }> = [];
    for (let f = 0; f < firmCount; f++) {
      const shares = f < Math.ceil(firmCount * 0.6);
      const name = `Demo firm ${f + 1} ${DEMO_FIRM_SUFFIX}`;
      const made = await ds.transaction(async (m) => {
        const { firm } = await createFirmWithAdminKey(m, name);
        await m.query('UPDATE firm SET shares_benchmarks = $2 WHERE id = $1', [firm.id, shares]);
        const viewer = await createApiKey(m, firm.id, 'Demo viewer', 'VIEWER');
        return { id: firm.id, viewerKey: viewer.secret };
      });
      firms.push({ ...made, name, shares, weight: 1 + (f % 4) * 1.5 });
    }
    say(`created ${firmCount} firms (${firms.filter((f) => f.shares).length} share benchmarks)`);

    const closedBase = Date.UTC(2025, 0, 1);
    let organisations: DemoOrganisation[] = [];
    let assessments: DemoClosedAssessment[] = [];
    let done = 0;
    let assessmentTotal = 0;
    const flush = async () => {
      if (organisations.length === 0) return;
      const orgs = organisations;
      const batch = assessments;
      await runner.startTransaction();
      try {
        // Demo data can be regenerated: losing the last batch in a crash is acceptable.
        await runner.query('SET LOCAL synchronous_commit = off');
        await insertDemoBatch(runner.manager, framework, orgs, batch, { resultPool: 'demo_result_pool' });
        await runner.commitTransaction();
      } catch (err) {
        await runner.rollbackTransaction();
        throw err;
      }
      done += orgs.length;
      assessmentTotal += batch.length;
      organisations = [];
      assessments = [];
      if (done % 10000 === 0 || done === organisationCount)
        say(`${done} organisations, ${assessmentTotal} closed assessments`);
    };
    const firmWeights = firms.map((f): [typeof f, number] => [f, f.weight]);
    for (let i = 0; i < organisationCount; i++) {
      const firm = weighted(firmWeights, rnd);
      const industry = weighted(INDUSTRIES, rnd);
      const sizeBand = weighted(SIZES, rnd);
      const country = weighted(COUNTRIES, rnd);
      const org: DemoOrganisation = {
        firmId: firm.id,
        id: randomUUID(),
        name: `Demo client ${i + 1}`,
        industry,
        sizeBand,
        country,
        excludedFromBenchmarks: rnd() < 0.02,
      };
      organisations.push(org);
      const base = (INDUSTRY_EFFECT[industry] ?? 0) + SIZE_EFFECT[sizeBand] + (rnd() - 0.5) * 0.6;
      const rounds = rnd() < 0.25 ? 2 : 1;
      for (let r = 0; r < rounds; r++) {
        // Later assessments tend to score a little higher; the pool is ordered by overall score.
        const q = Math.min(1, Math.max(0, 0.5 + base + r * 0.05 + (rnd() - 0.5) * 0.1));
        const entry = pool[Math.min(pool.length - 1, Math.floor(q * pool.length))];
        assessments.push({
          firmId: firm.id,
          id: randomUUID(),
          organisationId: org.id,
          title: rounds === 2 && r === 0 ? 'Service maturity (baseline)' : 'Service maturity',
          roleWeights: { EXECUTIVE: 2 },
          closedAt: new Date(closedBase + (r * 240 + Math.floor(rnd() * 200)) * 86_400_000),
          result: entry.result,
          resultPoolIndex: entry.index,
        });
      }
      if (organisations.length >= DEMO_BATCH_ROWS) await flush();
    }
    await flush();
    await runner.query('DROP TABLE demo_result_pool');
    await runner.release();
    await ds.query('ANALYZE firm, organisation, assessment, assessment_result, benchmark_score');
    say(`done: ${organisationCount} organisations, ${assessmentTotal} closed assessments`);
    const sharing = firms.find((f) => f.shares)!;
    process.stdout.write(
      `\nA VIEWER key of "${sharing.name}" (shares benchmarks), shown once:\n  ${sharing.viewerKey}\n`,
    );
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
