/**
 * The cohort engine against the plain aggregate, on random data: after every change of a
 * random sequence (closes, re-closes, re-classification, exclusion and archiving, deleted
 * results, firms joining and leaving the pool, a deleted firm), random cohorts of every shape
 * give the same figures from the summaries as from the members' rows; the summaries equal a
 * recomputation from scratch; and the pool's figures as of an earlier point of its change log
 * equal the plain aggregate taken at that point.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { OVERALL } from '../src/modules/benchmark/benchmark-score.entity';
import { prng } from '../src/modules/benchmark/benchmark-demo-data';
import { poolAggregatesAsOf, poolHead } from '../src/modules/benchmark/benchmark-release';
import {
  cohortAggregates,
  setBenchmarkExclusion,
  setBenchmarkSegment,
} from '../src/modules/benchmark/benchmark.service';
import { BenchmarkScope } from '../src/modules/benchmark/benchmark.types';
import { engineCohortAggregates, type CohortAggregate, type CohortShape } from '../src/modules/benchmark/cohort-engine';
import { refreshLatestFlags } from '../src/modules/result/result-store';
import { createTestFirm } from './helpers/fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

const KEY = 'summary-e2e';
const CODES = ['D1', 'D2', 'D3', OVERALL];
const INDUSTRIES = ['C', 'G', 'K'];
const SIZES = ['10-49', '50-249', '250-999'];
const COUNTRIES = ['DE', 'FR'];

interface Org {
  firmId: string;
  id: string;
  industry: string;
  sizeBand: string;
  country: string;
  excluded: boolean;
  assessments: string[];
}

describe('cohort summaries against the plain aggregate (random data)', () => {
  let app: TestApp;
  let ds: DataSource;
  const firms: Array<{ id: string; shares: boolean }> = [];
  const orgs: Org[] = [];
  const rnd = prng(20261207);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  let clock = Date.parse('2026-01-01T00:00:00Z');

  beforeAll(async () => {
    app = await startTestApp();
    ds = app.running.database.dataSource;
    for (let i = 0; i < 4; i++) {
      const firm = await createTestFirm(ds, `Summary firm ${i}`);
      const shares = i < 3;
      await ds.query('UPDATE firm SET shares_benchmarks = $2 WHERE id = $1', [firm.firmId, shares]);
      firms.push({ id: firm.firmId, shares });
    }
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** A score with the ties, edges and bucket boundaries that matter. */
  function score(): number | null {
    const r = rnd();
    if (r < 0.07) return null;
    if (r < 0.2) return pick([0, 10, 12.25, 29.999999999999996, 30, 50, 89.75, 90, 100, 33.333333333333336]);
    if (r < 0.35) return Math.round(rnd() * 40) * 2.5;
    return rnd() * 100;
  }

  /** Closes a new assessment of `org`: its rows, then the latest flags, as storeResult does. */
  async function close(org: Org): Promise<void> {
    const assessmentId = randomUUID();
    org.assessments.push(assessmentId);
    clock += 3600_000;
    await ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO benchmark_score (firm_id, assessment_id, dimension_code, organisation_id, framework_key, framework_major,
           score, industry, size_band, country, is_latest, excluded, closed_at)
         SELECT $1, $2, d.code, $3, $4, 1, d.score, $5, $6, $7, true, $8, $9
           FROM unnest($10::varchar[], $11::float8[]) AS d(code, score)`,
        [
          org.firmId,
          assessmentId,
          org.id,
          KEY,
          org.industry,
          org.sizeBand,
          org.country,
          org.excluded,
          new Date(clock),
          CODES,
          CODES.map(() => score()),
        ],
      );
      await refreshLatestFlags(m, org.firmId, org.id, KEY, 1);
    });
  }

  /** One random change, through the same functions the services use. */
  async function change(): Promise<string> {
    const r = rnd();
    const live = orgs.filter((o) => firms.some((f) => f.id === o.firmId));
    if (r < 0.35 || live.length < 8) {
      const org: Org = {
        firmId: pick(firms).id,
        id: randomUUID(),
        industry: pick(INDUSTRIES),
        sizeBand: pick(SIZES),
        country: pick(COUNTRIES),
        excluded: false,
        assessments: [],
      };
      orgs.push(org);
      await close(org);
      return 'new organisation closes';
    }
    const org = pick(live);
    if (r < 0.55) {
      await close(org);
      return 'a new close';
    }
    if (r < 0.68) {
      org.industry = pick(INDUSTRIES);
      org.country = pick(COUNTRIES);
      await ds.transaction((m) => setBenchmarkSegment(m, org.firmId, org.id, org));
      return 're-classification';
    }
    if (r < 0.8) {
      org.excluded = !org.excluded;
      await ds.transaction((m) => setBenchmarkExclusion(m, org.firmId, org.id, org.excluded));
      return org.excluded ? 'exclusion (or archiving)' : 'inclusion';
    }
    if (r < 0.88 && org.assessments.length > 0) {
      const gone = org.assessments.pop() as string;
      await ds.transaction(async (m) => {
        await m.query('DELETE FROM benchmark_score WHERE firm_id = $1 AND assessment_id = $2', [org.firmId, gone]);
        await refreshLatestFlags(m, org.firmId, org.id, KEY, 1);
      });
      return 'a result deleted';
    }
    if (r < 0.97) {
      const firm = pick(firms);
      firm.shares = !firm.shares;
      await ds.query('UPDATE firm SET shares_benchmarks = $2 WHERE id = $1', [firm.id, firm.shares]);
      return firm.shares ? 'a firm joins the pool' : 'a firm leaves the pool';
    }
    if (firms.length > 2) {
      const firm = firms.splice(firms.length - 1, 1)[0];
      await ds.query('DELETE FROM firm WHERE id = $1', [firm.id]);
      return 'a firm is deleted';
    }
    return 'nothing';
  }

  function randomShape(): CohortShape {
    const shape: CohortShape = {
      frameworkKey: KEY,
      major: 1,
      codes: CODES,
      scope: rnd() < 0.5 ? BenchmarkScope.OWN_FIRM : BenchmarkScope.SHARED_POOL,
      firmId: pick(firms).id,
    };
    if (rnd() < 0.5) shape.industry = pick(INDUSTRIES);
    if (rnd() < 0.4) shape.sizeBand = pick(SIZES);
    if (rnd() < 0.4) shape.country = pick(COUNTRIES);
    return shape;
  }

  function specOf(
    shape: CohortShape,
    subject: { firmId: string; organisationId: string; assessmentId: string } | null,
  ) {
    return {
      framework: { key: KEY, major: 1, dimensionCodes: CODES },
      scope: shape.scope,
      firmId: shape.firmId,
      industry: shape.industry ?? null,
      sizeBand: shape.sizeBand ?? null,
      country: shape.country ?? null,
      subject,
    };
  }

  const near = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9);

  function expectSame(what: string, got: Map<string, CohortAggregate>, want: Map<string, CohortAggregate>): void {
    for (const code of CODES) {
      const g = got.get(code);
      const w = want.get(code);
      const gn = g?.n ?? 0;
      const wn = w?.n ?? 0;
      const problems: string[] = [];
      if (gn !== wn) problems.push(`n ${gn} vs ${wn}`);
      if (wn > 0 && g && w) {
        for (const f of ['mean', 'p25', 'median', 'p75', 'percentileRank'] as const) {
          if (!near(g[f], w[f])) problems.push(`${f} ${g[f]} vs ${w[f]}`);
        }
        // Quartiles are order statistics interpolated by the same formula: exactly equal.
        for (const f of ['p25', 'median', 'p75'] as const) if (g[f] !== w[f]) problems.push(`${f} not exact`);
        if (g.below !== w.below || g.equal !== w.equal)
          problems.push(`rank counts ${g.below}/${g.equal} vs ${w.below}/${w.equal}`);
        if (JSON.stringify(g.histogram) !== JSON.stringify(w.histogram))
          problems.push(`histogram ${JSON.stringify(g.histogram)} vs ${JSON.stringify(w.histogram)}`);
      }
      if (problems.length > 0) throw new Error(`${what} ${code}: ${problems.join('; ')}`);
    }
  }

  it('gives the plain aggregate’s figures for every shape after every kind of change, and as of earlier points', async () => {
    const seen = new Map<string, number>();
    const points: Array<{ seq: string; shape: CohortShape; want: Map<string, CohortAggregate>; subject: Org | null }> =
      [];
    let compared = 0;
    for (let step = 0; step < 140; step++) {
      const what = await change();
      seen.set(what, (seen.get(what) ?? 0) + 1);
      for (let i = 0; i < 4; i++) {
        const shape = randomShape();
        const candidates = orgs.filter((o) => o.firmId === shape.firmId && o.assessments.length > 0);
        const subjectOrg = rnd() < 0.6 && candidates.length > 0 ? pick(candidates) : null;
        const subject = subjectOrg
          ? { firmId: subjectOrg.firmId, organisationId: subjectOrg.id, assessmentId: pick(subjectOrg.assessments) }
          : null;
        const spec = specOf(shape, subject);
        const plain = await cohortAggregates(ds, spec);
        const engine = await engineCohortAggregates(ds.manager, spec);
        expectSame(`step ${step} (${what}) ${JSON.stringify({ ...spec, framework: undefined })}`, engine, plain);
        compared++;
        if (shape.scope === BenchmarkScope.SHARED_POOL && rnd() < 0.3) {
          points.push({ seq: await poolHead(ds.manager, KEY, 1), shape, want: plain, subject: subjectOrg });
        }
      }
      // Earlier points, computed now from the live summaries and the change log.
      for (const point of points.splice(0, points.length - 6)) {
        if (!firms.some((f) => f.id === point.shape.firmId)) continue;
        const subject = point.subject ? await subjectNow(point.subject, point.want) : null;
        if (point.subject && !subject) continue;
        const asOf = await poolAggregatesAsOf(ds.manager, point.shape, subject, point.seq);
        expectSame(`as of ${point.seq} (now step ${step})`, asOf, point.want);
        compared++;
      }
    }
    // Every kind of change happened, and the summaries equal a recomputation from scratch.
    expect([...seen.keys()].sort()).toEqual(
      expect.arrayContaining([
        'a firm is deleted',
        'a firm joins the pool',
        'a firm leaves the pool',
        'a new close',
        'a result deleted',
        'exclusion (or archiving)',
        'inclusion',
        'new organisation closes',
        're-classification',
      ]),
    );
    const drift: unknown[] = await ds.query(`
      WITH want AS (
        SELECT b.framework_key, b.framework_major, s.scope_key,
               CASE WHEN g.g & 1 = 1 THEN b.industry ELSE '*' END AS industry,
               CASE WHEN g.g & 2 = 2 THEN b.size_band ELSE '*' END AS size_band,
               CASE WHEN g.g & 4 = 4 THEN b.country ELSE '*' END AS country,
               b.dimension_code, floor(b.score * 4)::int AS fine, LEAST(floor(b.score / 10), 9)::int AS hbucket,
               count(*)::int AS n, sum(b.score::numeric) AS total
          FROM benchmark_score b JOIN firm f ON f.id = b.firm_id
          CROSS JOIN generate_series(0, 7) AS g(g)
          CROSS JOIN LATERAL (SELECT b.firm_id AS scope_key UNION ALL
                              SELECT '00000000-0000-0000-0000-000000000000'::uuid WHERE f.shares_benchmarks) s
         WHERE b.is_latest AND NOT b.excluded AND b.score IS NOT NULL
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9),
      have AS (SELECT framework_key, framework_major, scope_key, industry, size_band, country, dimension_code, fine, hbucket, n, total
                 FROM benchmark_cohort_summary WHERE n <> 0)
      (SELECT 'missing' AS kind, * FROM (SELECT * FROM want EXCEPT SELECT * FROM have) x)
      UNION ALL
      (SELECT 'extra', * FROM (SELECT * FROM have EXCEPT SELECT * FROM want) y)`);
    expect(drift).toEqual([]);
    expect(compared).toBeGreaterThan(560);
  });

  /** The subject as the engine takes it: its organisation and the scores the plain aggregate ranked. */
  async function subjectNow(org: Org, want: Map<string, CohortAggregate>) {
    const scores = new Map<string, number | null>(CODES.map((c) => [c, want.get(c)?.subjectScore ?? null]));
    return { firmId: org.firmId, organisationId: org.id, scores };
  }
});
