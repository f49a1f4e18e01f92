import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import {
  benchmarkFigures,
  cohortStatistics,
  percentileRank,
  roundHalfAwayFromZero,
  scoreAssessment,
  scoreHistogram,
} from '../src/scoring';
import { OVERALL } from '../src/modules/benchmark/benchmark-score.entity';
import {
  generateRespondents,
  insertDemoBatch,
  prng,
  type DemoClosedAssessment,
  type DemoOrganisation,
} from '../src/modules/benchmark/benchmark-demo-data';
import { cohortAggregates, toFigures } from '../src/modules/benchmark/benchmark.service';
import { BenchmarkScope } from '../src/modules/benchmark/benchmark.types';
import { storeResult } from '../src/modules/result/result-store';
import { frameworkChecksum, toFrameworkDef } from '../src/modules/framework/framework-convert';
import type { FrameworkDocument } from '../src/modules/framework/framework-document';
import { createTestFirm } from './helpers/fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

const MINIMAL: FrameworkDocument = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'frameworks', 'minimal.json'), 'utf8'),
);

describe('benchmark statistics in SQL', () => {
  let app: TestApp;
  let ds: DataSource;
  let firmId: string;

  beforeAll(async () => {
    app = await startTestApp();
    ds = app.running.database.dataSource;
    firmId = (await createTestFirm(ds, 'Stats firm')).firmId;
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** Inserts benchmark rows directly: one organisation per value list entry. */
  async function insertScores(
    key: string,
    values: Record<string, Array<number | null>>,
    subjectScores: Record<string, number | null>,
  ) {
    const codes = Object.keys(values);
    const n = values[codes[0]].length;
    const orgs = Array.from({ length: n }, () => randomUUID());
    const rows: unknown[][] = [];
    const closedAt = new Date('2026-03-01T00:00:00Z');
    for (let i = 0; i < n; i++) {
      const assessmentId = randomUUID();
      for (const code of codes)
        rows.push([
          firmId,
          assessmentId,
          code,
          orgs[i],
          key,
          1,
          values[code][i],
          'C',
          '10-49',
          'DE',
          true,
          false,
          closedAt,
        ]);
    }
    const subject = { firmId, organisationId: randomUUID(), assessmentId: randomUUID() };
    for (const code of codes)
      rows.push([
        firmId,
        subject.assessmentId,
        code,
        subject.organisationId,
        key,
        1,
        subjectScores[code],
        'C',
        '10-49',
        'DE',
        true,
        false,
        closedAt,
      ]);
    // Noise that must never count: another major, older results, excluded organisations.
    for (const code of codes) {
      rows.push([firmId, randomUUID(), code, orgs[0], key, 2, 50, 'C', '10-49', 'DE', true, false, closedAt]);
      rows.push([firmId, randomUUID(), code, orgs[0], key, 1, 99.5, 'C', '10-49', 'DE', false, false, closedAt]);
      rows.push([firmId, randomUUID(), code, randomUUID(), key, 1, 0.5, 'C', '10-49', 'DE', true, true, closedAt]);
    }
    const columns = [
      'firm_id',
      'assessment_id',
      'dimension_code',
      'organisation_id',
      'framework_key',
      'framework_major',
      'score',
      'industry',
      'size_band',
      'country',
      'is_latest',
      'excluded',
      'closed_at',
    ];
    const casts = [
      'uuid',
      'uuid',
      'varchar',
      'uuid',
      'varchar',
      'int',
      'float8',
      'text',
      'text',
      'text',
      'boolean',
      'boolean',
      'timestamptz',
    ];
    for (let start = 0; start < rows.length; start += 1000) {
      const chunk = rows.slice(start, start + 1000);
      await ds.query(
        `INSERT INTO benchmark_score (${columns.join(', ')}) SELECT * FROM unnest(${casts.map((c, i) => `$${i + 1}::${c}[]`).join(', ')})`,
        columns.map((_, c) => chunk.map((r) => r[c])),
      );
    }
    return subject;
  }

  const close = (a: number | null, b: number | null) => {
    if (a === null || b === null) return a === b;
    return Math.abs(a - b) <= 1e-9;
  };

  it('equals the scoring engine’s statistics on random data (full precision, within 1e-9)', async () => {
    const rnd = prng(20261122);
    for (let round = 0; round < 6; round++) {
      const key = `stats-${round}`;
      const n = [1, 2, 5, 37, 200, 1500][round];
      const values: Record<string, Array<number | null>> = {};
      const subjectScores: Record<string, number | null> = {};
      for (const code of ['D1', 'D2', 'D3', OVERALL]) {
        values[code] = Array.from({ length: n }, () => {
          const r = rnd();
          if (r < 0.08) return null;
          // Ties, the edges and bucket boundaries are the interesting cases.
          if (r < 0.2) return [0, 10, 50, 90, 100, 33.333333333333336][Math.floor(rnd() * 6)];
          if (r < 0.4) return Math.round(rnd() * 20) * 5;
          return rnd() * 100;
        });
        const pick = values[code][Math.floor(rnd() * n)];
        subjectScores[code] = rnd() < 0.5 && pick !== null ? pick : rnd() < 0.1 ? null : rnd() * 100;
      }
      const subject = await insertScores(key, values, subjectScores);
      const spec = { scope: BenchmarkScope.OWN_FIRM, firmId, industry: 'C' };
      const sql = await cohortAggregates(ds, {
        ...spec,
        framework: { key, major: 1, dimensionCodes: Object.keys(values) },
        subject,
      });
      // The same statement taking the framework and the organisation from the subject's rows.
      const derived = await cohortAggregates(ds, {
        ...spec,
        framework: null,
        subject: { firmId, assessmentId: subject.assessmentId },
      });
      expect(derived).toEqual(sql);
      for (const code of Object.keys(values)) {
        const got = sql.get(code)!;
        const stats = cohortStatistics(values[code], 1);
        const present = values[code].filter((v) => v !== null).length;
        expect(got.n).toBe(present);
        expect(got.n).toBe(stats.n);
        const pairs: Array<[string, number | null, number | null]> = [
          ['mean', got.mean, stats.mean],
          ['p25', got.p25, stats.p25],
          ['median', got.median, stats.median],
          ['p75', got.p75, stats.p75],
          ['percentileRank', got.percentileRank, percentileRank(values[code], subjectScores[code])],
        ];
        for (const [name, a, b] of pairs) {
          if (!close(a, b)) throw new Error(`${key} ${code} ${name}: SQL ${a} vs engine ${b}`);
        }
        expect(got.subjectScore).toBe(subjectScores[code]);
        expect(got.histogram).toEqual(scoreHistogram(values[code]).map((b) => b.count));
        // And the displayed figures are the engine's, rounded, with the same withholding.
        for (const k of [1, 5, present, present + 1]) {
          const engine = benchmarkFigures(values[code], subjectScores[code], Math.max(1, k));
          const shown = toFigures(got, Math.max(1, k));
          expect(shown.withheld).toBe(engine.withheld);
          if (!engine.withheld) {
            expect(shown.n).toBe(engine.n);
            expect(shown.histogram?.map((h) => h.count)).toEqual(engine.histogram?.map((h) => h.count));
            for (const name of ['mean', 'p25', 'median', 'p75', 'percentileRank'] as const) {
              const e = engine[name];
              // Within 1e-9 of a half point, full-precision noise may round either way.
              const nearHalf = e !== null && Math.abs(Math.abs(e - Math.trunc(e)) - 0.5) < 1e-9;
              if (!nearHalf) expect({ name, shown: shown[name] }).toEqual({ name, shown: roundHalfAwayFromZero(e, 0) });
            }
          }
        }
      }
    }
  });

  it('stores demo batches exactly as storeResult does when an assessment closes', async () => {
    const doc: FrameworkDocument = { ...MINIMAL, key: 'stats-parity' };
    const fvId = randomUUID();
    await ds.query(
      `INSERT INTO framework_version (id, owner_firm_id, key, version, major, status, document, checksum, published_at)
       VALUES ($1, NULL, $2, '1.0.0', 1, 'PUBLISHED', $3::jsonb, $4, now())`,
      [fvId, doc.key, JSON.stringify(doc), frameworkChecksum(doc)],
    );
    const version = { id: fvId, ownerFirmId: null, key: doc.key, major: 1 };
    const def = toFrameworkDef(doc);
    const rnd = prng(99);
    const organisations: DemoOrganisation[] = [];
    const assessments: DemoClosedAssessment[] = [];
    for (let i = 0; i < 6; i++) {
      const org: DemoOrganisation = {
        firmId,
        id: randomUUID(),
        name: `Parity ${i}`,
        industry: 'K',
        sizeBand: '1-9',
        country: 'FR',
        excludedFromBenchmarks: i === 5,
      };
      organisations.push(org);
      for (let j = 0; j < (i % 3) + 1; j++) {
        const result = scoreAssessment({
          framework: def,
          respondents: generateRespondents(def, rnd(), 3, rnd),
          roleWeights: {},
        });
        expect(result.ignoredAnswers).toEqual([]);
        assessments.push({
          firmId,
          id: randomUUID(),
          organisationId: org.id,
          title: 'Parity',
          roleWeights: {},
          closedAt: new Date(Date.UTC(2026, 1, 1 + j)),
          result,
        });
      }
    }
    const computedAt = new Date('2026-04-01T00:00:00Z');
    await ds.transaction(async (m) => {
      // Half through a pool table of reused results, half as JSON: both must store the same.
      await m.query('CREATE TEMPORARY TABLE parity_pool (idx int PRIMARY KEY, result jsonb NOT NULL) ON COMMIT DROP');
      const orgsPooled = organisations.slice(0, 3);
      const pooledIds = new Set(orgsPooled.map((o) => o.id));
      const pooled = assessments
        .filter((a) => pooledIds.has(a.organisationId))
        .map((a, i) => ({ ...a, resultPoolIndex: i }));
      const rest = assessments.filter((a) => !pooledIds.has(a.organisationId));
      expect(pooled).toHaveLength(6);
      await m.query('INSERT INTO parity_pool SELECT * FROM unnest($1::int[], $2::jsonb[])', [
        pooled.map((_, i) => i),
        pooled.map((a) => JSON.stringify(a.result)),
      ]);
      await insertDemoBatch(m, version, orgsPooled, pooled, { computedAt, resultPool: 'parity_pool' });
      await insertDemoBatch(
        m,
        version,
        organisations.filter((o) => !pooledIds.has(o.id)),
        rest,
        { computedAt },
      );
    });
    const snapshot = async () => ({
      results: await ds.query(
        `SELECT r.assessment_id, r.result, r.overall_score, r.overall_level, r.respondent_count, r.scoring_method, r.computed_at
           FROM assessment_result r JOIN assessment a ON a.firm_id = r.firm_id AND a.id = r.assessment_id
          WHERE a.framework_version_id = $1 ORDER BY r.assessment_id`,
        [fvId],
      ),
      scores: await ds.query(
        `SELECT assessment_id, dimension_code, organisation_id, framework_key, framework_major, score, industry, size_band, country, is_latest, excluded, closed_at
           FROM benchmark_score WHERE framework_key = $1 ORDER BY assessment_id, dimension_code`,
        [doc.key],
      ),
    });
    const batched = await snapshot();
    expect(batched.scores).toHaveLength(assessments.length * (def.dimensions.length + 1));
    // Store the same results again through the result store, one closing at a time.
    await ds.query('DELETE FROM benchmark_score WHERE framework_key = $1', [doc.key]);
    await ds.query('DELETE FROM assessment_result WHERE firm_id = $1 AND assessment_id = ANY($2::uuid[])', [
      firmId,
      assessments.map((a) => a.id),
    ]);
    for (const a of assessments) {
      const org = organisations.find((o) => o.id === a.organisationId)!;
      await ds.transaction((m) => storeResult(m, a, org, version, a.result, a.closedAt, computedAt));
    }
    expect(await snapshot()).toEqual(batched);
  });
});
