import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { benchmarkFigures, roundHalfAwayFromZero, scoreAssessment } from '../src/scoring';
import { OVERALL } from '../src/modules/benchmark/benchmark-score.entity';
import { generateRespondents, prng } from '../src/modules/benchmark/benchmark-demo-data';
import { setBenchmarkExclusion } from '../src/modules/benchmark/benchmark.service';
import { coarseRank, mergeSmallBars } from '../src/modules/benchmark/release-rules';
import { storeResult } from '../src/modules/result/result-store';
import { frameworkChecksum, toFrameworkDef } from '../src/modules/framework/framework-convert';
import type { FrameworkDocument } from '../src/modules/framework/framework-document';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

const MINIMAL: FrameworkDocument = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'frameworks', 'minimal.json'), 'utf8'),
);
const KEY = 'bench-e2e';
const DIMENSIONS = MINIMAL.dimensions.map((d) => d.code);

interface Version {
  id: string;
  key: string;
  major: number;
  ownerFirmId: string | null;
  doc: FrameworkDocument;
}

interface Closed {
  firmId: string;
  organisationId: string;
  assessmentId: string;
  storedKey: string;
  major: number;
  industry: string;
  sizeBand: string;
  country: string;
  excluded: boolean;
  closedAt: Date;
  scores: Map<string, number | null>;
}

const BENCHMARK_FIELDS = `
  framework { key major version name ownedByFirm }
  cohort { scope industry sizeBand country minimumSize }
  subject { organisationId assessmentId closedAt }
  overall { n withheld reason subjectScore percentileRank mean p25 median p75 histogram { from to count } }
  dimensions { code group title n withheld reason subjectScore percentileRank mean p25 median p75 histogram { from to count } }`;

const ASSESSMENT_BENCHMARK = `query ($id: ID!, $cohort: BenchmarkCohortInput!, $locale: Locale) {
  assessmentBenchmark(assessmentId: $id, cohort: $cohort, locale: $locale) { ${BENCHMARK_FIELDS} } }`;
const ORGANISATION_BENCHMARK = `query ($id: ID!, $cohort: BenchmarkCohortInput!) {
  organisationBenchmark(organisationId: $id, cohort: $cohort) { ${BENCHMARK_FIELDS} } }`;
const COHORT_BENCHMARK = `query ($versionId: ID, $key: String, $major: Int, $cohort: BenchmarkCohortInput!) {
  cohortBenchmark(frameworkVersionId: $versionId, frameworkKey: $key, frameworkMajor: $major, cohort: $cohort) { ${BENCHMARK_FIELDS} } }`;

describe('benchmarks over HTTP', () => {
  let app: TestApp;
  let ds: DataSource;
  let A: TestFirm; // shares
  let B: TestFirm; // shares
  let C: TestFirm; // does not share
  let v1: Version;
  let v2: Version;
  let ownA: Version;
  const closed: Closed[] = [];
  const orgNames: string[] = [];
  const rnd = prng(7);
  let subject: Closed;
  let openAssessmentId: string;
  let openOrganisationId: string;
  let excludedOrg: Closed;

  async function publish(
    key: string,
    version: string,
    owner: string | null,
    settings?: Record<string, number>,
  ): Promise<Version> {
    const doc: FrameworkDocument = { ...MINIMAL, key, version, settings: { ...MINIMAL.settings, ...settings } };
    const id = randomUUID();
    const major = Number(version.split('.')[0]);
    await ds.query(
      `INSERT INTO framework_version (id, owner_firm_id, key, version, major, status, document, checksum, published_at)
       VALUES ($1, $2, $3, $4, $5, 'PUBLISHED', $6::jsonb, $7, now())`,
      [id, owner, key, version, major, JSON.stringify(doc), frameworkChecksum(doc)],
    );
    return { id, key, major, ownerFirmId: owner, doc };
  }

  async function addOrganisation(
    firm: TestFirm,
    industry: string,
    sizeBand: string,
    country: string,
    excluded = false,
  ): Promise<string> {
    const id = randomUUID();
    const name = `Peer ${orgNames.length + 1} ${randomUUID().slice(0, 8)}`;
    orgNames.push(name);
    await ds.query(
      `INSERT INTO organisation (firm_id, id, name, industry, size_band, country, excluded_from_benchmarks, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 1)`,
      [firm.firmId, id, name, industry, sizeBand, country, excluded],
    );
    return id;
  }

  /** Closes an assessment through the result store, with answers generated for an organisation of the given quality. */
  async function close(
    firm: TestFirm,
    organisationId: string,
    version: Version,
    segment: [string, string, string],
    excluded: boolean,
    closedAt: Date,
  ): Promise<Closed> {
    const assessmentId = randomUUID();
    const def = toFrameworkDef(version.doc);
    const result = scoreAssessment({
      framework: def,
      respondents: generateRespondents(def, rnd(), 1 + Math.floor(rnd() * 4), rnd),
      roleWeights: {},
    });
    await ds.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO assessment (firm_id, id, organisation_id, framework_version_id, title, status, role_weights, opened_at, closed_at, version)
         VALUES ($1, $2, $3, $4, 'Benchmark test', 'CLOSED', '{}'::jsonb, $5, $5, 1)`,
        [firm.firmId, assessmentId, organisationId, version.id, closedAt],
      );
      await storeResult(
        manager,
        { firmId: firm.firmId, id: assessmentId, organisationId },
        { industry: segment[0], sizeBand: segment[1], country: segment[2], excludedFromBenchmarks: excluded },
        { ownerFirmId: version.ownerFirmId, key: version.key, major: version.major },
        result,
        closedAt,
      );
    });
    const scores = new Map<string, number | null>(result.dimensions.map((d) => [d.dimension, d.score]));
    scores.set(OVERALL, result.overall.score);
    const entry: Closed = {
      firmId: firm.firmId,
      organisationId,
      assessmentId,
      storedKey: version.ownerFirmId ? `${version.ownerFirmId}:${version.key}` : version.key,
      major: version.major,
      industry: segment[0],
      sizeBand: segment[1],
      country: segment[2],
      excluded,
      closedAt,
      scores,
    };
    closed.push(entry);
    return entry;
  }

  async function peers(
    firm: TestFirm,
    version: Version,
    count: number,
    segment: [string, string, string],
    options: { excluded?: boolean } = {},
  ): Promise<Closed[]> {
    const out: Closed[] = [];
    for (let i = 0; i < count; i++) {
      const org = await addOrganisation(firm, ...segment, options.excluded);
      out.push(
        await close(
          firm,
          org,
          version,
          segment,
          options.excluded ?? false,
          new Date(Date.UTC(2026, 0, 1 + closed.length)),
        ),
      );
    }
    return out;
  }

  /** What the API should show, computed with the scoring engine over the test's own records. */
  function expected(
    asking: TestFirm,
    version: Version,
    filter: { scope: 'OWN_FIRM' | 'SHARED_POOL'; industry?: string; sizeBand?: string; country?: string },
    subjectEntry: Closed | null,
    k = 5,
  ) {
    const sharing = new Set([A.firmId, B.firmId]);
    const storedKey = version.ownerFirmId ? `${version.ownerFirmId}:${version.key}` : version.key;
    // Each organisation once, through its latest closed assessment on the key and major.
    const latest = new Map<string, Closed>();
    for (const c of closed) {
      if (c.storedKey !== storedKey || c.major !== version.major) continue;
      const key = `${c.firmId}/${c.organisationId}`;
      const seen = latest.get(key);
      if (!seen || c.closedAt > seen.closedAt) latest.set(key, c);
    }
    const member = (c: Closed, f: typeof filter) =>
      !c.excluded &&
      (f.scope === 'OWN_FIRM' ? c.firmId === asking.firmId : sharing.has(c.firmId)) &&
      (!f.industry || c.industry === f.industry) &&
      (!f.sizeBand || c.sizeBand === f.sizeBand) &&
      (!f.country || c.country === f.country) &&
      !(subjectEntry && c.firmId === subjectEntry.firmId && c.organisationId === subjectEntry.organisationId);
    const cohort = [...latest.values()].filter((c) => member(c, filter));
    // The pool's rules (docs/benchmarking.md): k counts other firms' organisations, a cohort
    // one filter narrower than another by fewer than k of them is withheld, ranks are coarse
    // and histogram bars hold 0 or at least k organisations.
    const others = (f: typeof filter, code: string) =>
      [...latest.values()].filter((c) => member(c, f) && c.firmId !== asking.firmId && c.scores.get(code) != null)
        .length;
    const parents = (['industry', 'sizeBand', 'country'] as const)
      .filter((name) => filter[name])
      .map((name) => ({ ...filter, [name]: undefined }));
    const figuresOf = (code: string) => {
      const values = cohort.map((c) => c.scores.get(code) ?? null);
      const f = benchmarkFigures(values, subjectEntry?.scores.get(code) ?? null, k);
      const w = (x: number | null) => (x === null ? null : roundHalfAwayFromZero(x, 0));
      const plain = {
        n: f.n,
        withheld: f.withheld,
        reason: f.withheld ? 'INSUFFICIENT_COHORT' : null,
        subjectScore: w(subjectEntry?.scores.get(code) ?? null),
        percentileRank: f.withheld ? null : w(f.percentileRank),
        mean: w(f.mean),
        p25: w(f.p25),
        median: w(f.median),
        p75: w(f.p75),
        histogram: f.histogram,
      };
      if (filter.scope === 'OWN_FIRM' || f.withheld) return plain;
      const nOther = others(filter, code);
      const narrow = parents.some((p) => others(p, code) - nOther > 0 && others(p, code) - nOther < k);
      if (nOther < k || narrow) {
        return {
          ...plain,
          withheld: true,
          reason: nOther < k ? 'INSUFFICIENT_COHORT' : 'SMALL_DIFFERENCE',
          percentileRank: null,
          mean: null,
          p25: null,
          median: null,
          p75: null,
          histogram: null,
        };
      }
      return {
        ...plain,
        percentileRank: coarseRank(f.percentileRank, f.n, k),
        histogram: mergeSmallBars(
          (f.histogram ?? []).map((b) => b.count),
          k,
        ),
      };
    };
    return {
      size: cohort.length,
      overall: figuresOf(OVERALL),
      dimensions: DIMENSIONS.map((code) => ({ code, ...figuresOf(code) })),
    };
  }

  function figuresOnly(b: any) {
    const strip = ({
      code,
      n,
      withheld,
      reason,
      subjectScore,
      percentileRank,
      mean,
      p25,
      median,
      p75,
      histogram,
    }: any) => ({
      ...(code !== undefined ? { code } : {}),
      n,
      withheld,
      reason,
      subjectScore,
      percentileRank,
      mean,
      p25,
      median,
      p75,
      histogram,
    });
    return { overall: strip(b.overall), dimensions: b.dimensions.map(strip) };
  }

  beforeAll(async () => {
    app = await startTestApp();
    ds = app.running.database.dataSource;
    A = await createTestFirm(ds, 'Firm A');
    B = await createTestFirm(ds, 'Firm B');
    C = await createTestFirm(ds, 'Firm C');
    await ds.query('UPDATE firm SET shares_benchmarks = (id = ANY($1::uuid[]))', [[A.firmId, B.firmId]]);
    v1 = await publish(KEY, '1.0.0', null);
    await publish(KEY, '1.1.0', null);
    v2 = await publish(KEY, '2.0.0', null);
    ownA = await publish(KEY, '1.0.0', A.firmId);

    const CORE: [string, string, string] = ['C', '10-49', 'DE'];
    const BIG: [string, string, string] = ['C', '50-249', 'DE'];
    const FR: [string, string, string] = ['G', '10-49', 'FR'];
    const core = await peers(A, v1, 7, CORE);
    [excludedOrg] = await peers(A, v1, 1, CORE, { excluded: true });
    await peers(A, v1, 3, BIG);
    await peers(A, v1, 2, FR);
    // An organisation closed twice: only its later result is in cohorts.
    await close(A, core[1].organisationId, v1, CORE, false, new Date(Date.UTC(2027, 5, 1)));
    subject = core[0];
    // Enough of B's organisations that A's pool cohorts have k of other firms'.
    await peers(B, v1, 6, CORE);
    await peers(B, v1, 1, BIG);
    await peers(B, v2, 6, CORE);
    await peers(C, v1, 5, CORE);
    await peers(A, ownA, 6, ['J', '1-9', 'GB']);

    const openOrg = await addOrganisation(A, ...CORE);
    openOrganisationId = openOrg;
    openAssessmentId = randomUUID();
    await ds.query(
      `INSERT INTO assessment (firm_id, id, organisation_id, framework_version_id, title, status, role_weights, opened_at, version)
       VALUES ($1, $2, $3, $4, 'Open one', 'OPEN', '{}'::jsonb, now(), 1)`,
      [A.firmId, openAssessmentId, openOrg, v1.id],
    );
  }, 120000);

  afterAll(async () => {
    await app?.stop();
  });

  it('benchmarks an assessment against its own firm, with the engine’s figures rounded to whole points', async () => {
    const res = await app.gql(
      ASSESSMENT_BENCHMARK,
      { id: subject.assessmentId, cohort: { scope: 'OWN_FIRM' } },
      A.auth.VIEWER,
    );
    expect(res.errors).toBeUndefined();
    const b = res.data.assessmentBenchmark;
    expect(b.framework).toEqual({
      key: KEY,
      major: 1,
      version: '1.0.0',
      name: 'Minimal framework',
      ownedByFirm: false,
    });
    expect(b.cohort).toEqual({ scope: 'OWN_FIRM', industry: null, sizeBand: null, country: null, minimumSize: 5 });
    expect(b.subject).toEqual({
      organisationId: subject.organisationId,
      assessmentId: subject.assessmentId,
      closedAt: subject.closedAt.toISOString(),
    });
    const want = expected(A, v1, { scope: 'OWN_FIRM' }, subject);
    // 7 + 3 + 2 other closed organisations, less the excluded one and the subject's own.
    expect(want.size).toBe(11);
    expect(figuresOnly(b)).toEqual({ overall: want.overall, dimensions: want.dimensions });
    expect(b.overall.withheld).toBe(false);
    expect(b.dimensions.map((d: any) => [d.code, d.group, d.title])).toEqual(
      MINIMAL.dimensions.map((d) => [d.code, d.group, d.title.en]),
    );
    for (const v of [b.overall, ...b.dimensions]) {
      expect(v.histogram).toHaveLength(10);
      expect(v.histogram[9]).toEqual({ from: 90, to: 100, count: expect.any(Number) });
      expect(v.histogram.reduce((s: number, h: any) => s + h.count, 0)).toBe(v.n);
    }
  });

  it('titles dimensions in the requested locale', async () => {
    const res = await app.gql(
      ASSESSMENT_BENCHMARK,
      { id: subject.assessmentId, cohort: { scope: 'OWN_FIRM' }, locale: 'RU' },
      A.auth.VIEWER,
    );
    expect(res.data.assessmentBenchmark.framework.name).toBe('Минимальная рамка');
    expect(res.data.assessmentBenchmark.dimensions.map((d: any) => d.title)).toEqual(
      MINIMAL.dimensions.map((d) => d.title.ru),
    );
  });

  it('draws the shared pool from the sharing firms only, and counts every organisation once', async () => {
    const cohort = { scope: 'SHARED_POOL', industry: 'c', country: 'de' };
    const res = await app.gql(ASSESSMENT_BENCHMARK, { id: subject.assessmentId, cohort }, A.auth.VIEWER);
    expect(res.errors).toBeUndefined();
    const b = res.data.assessmentBenchmark;
    expect(b.cohort).toEqual({
      scope: 'SHARED_POOL',
      industry: 'C',
      sizeBand: null,
      country: 'DE',
      minimumSize: 5,
    });
    const want = expected(A, v1, { scope: 'SHARED_POOL', industry: 'C', country: 'DE' }, subject);
    // A: 7 core less the subject (the excluded one never counts) and 3 larger + B: 6 core and 1 larger;
    // C does not share; B's major-2 results are another cohort.
    expect(want.size).toBe(16);
    expect(figuresOnly(b)).toEqual({ overall: want.overall, dimensions: want.dimensions });
    expect(b.overall.withheld).toBe(false);

    // One filter more leaves out B's one larger organisation: fewer than k others apart, withheld.
    const narrower = { ...cohort, sizeBand: 'S10_49' };
    const res2 = await app.gql(ASSESSMENT_BENCHMARK, { id: subject.assessmentId, cohort: narrower }, A.auth.VIEWER);
    const want2 = expected(A, v1, { scope: 'SHARED_POOL', industry: 'C', sizeBand: '10-49', country: 'DE' }, subject);
    expect(want2.size).toBe(12);
    expect(figuresOnly(res2.data.assessmentBenchmark)).toEqual({
      overall: want2.overall,
      dimensions: want2.dimensions,
    });
    expect(res2.data.assessmentBenchmark.overall).toMatchObject({ n: 12, withheld: true, reason: 'SMALL_DIFFERENCE' });
  });

  it('withholds every figure once narrowing the filters leaves fewer than k organisations, and names nobody', async () => {
    const steps = [
      { scope: 'SHARED_POOL' },
      { scope: 'SHARED_POOL', industry: 'C' },
      { scope: 'SHARED_POOL', industry: 'C', country: 'DE' },
      { scope: 'SHARED_POOL', industry: 'C', country: 'DE', sizeBand: 'S50_249' },
      { scope: 'SHARED_POOL', industry: 'G', country: 'FR', sizeBand: 'S10_49' },
      { scope: 'OWN_FIRM', industry: 'C', sizeBand: 'S50_249' },
    ];
    const sizes: number[] = [];
    const others = closed.filter((c) => c.organisationId !== subject.organisationId);
    for (const cohort of steps) {
      const res = await app.gql(ASSESSMENT_BENCHMARK, { id: subject.assessmentId, cohort }, A.auth.VIEWER);
      expect(res.errors).toBeUndefined();
      const b = res.data.assessmentBenchmark;
      const plain = {
        ...cohort,
        sizeBand: cohort.sizeBand ? { S10_49: '10-49', S50_249: '50-249' }[cohort.sizeBand] : undefined,
      };
      const want = expected(A, v1, plain as any, subject);
      sizes.push(want.size);
      expect(figuresOnly(b)).toEqual({ overall: want.overall, dimensions: want.dimensions });
      for (const v of [b.overall, ...b.dimensions]) {
        if (v.n < 5) {
          expect(v).toMatchObject({
            withheld: true,
            reason: 'INSUFFICIENT_COHORT',
            percentileRank: null,
            mean: null,
            p25: null,
            median: null,
            p75: null,
            histogram: null,
          });
        }
      }
      const text = JSON.stringify(res.data);
      for (const c of others) {
        expect(text).not.toContain(c.organisationId);
        expect(text).not.toContain(c.assessmentId);
      }
      for (const firm of [B, C]) expect(text).not.toContain(firm.firmId);
      for (const name of orgNames) expect(text).not.toContain(name);
      expect(text).not.toMatch(/Firm [ABC]/);
    }
    // The filters really narrowed down to cohorts below k = 5.
    expect(sizes[0]).toBeGreaterThanOrEqual(5);
    expect(sizes.slice(3)).toEqual([4, 2, 3]);
    const narrow = await app.gql(ASSESSMENT_BENCHMARK, { id: subject.assessmentId, cohort: steps[3] }, A.auth.VIEWER);
    const b = narrow.data.assessmentBenchmark;
    expect(b.overall.withheld).toBe(true);
    expect(b.dimensions.every((d: any) => d.withheld && d.mean === null && d.histogram === null)).toBe(true);
    // The subject's own score is still shown.
    expect(b.overall.subjectScore).toBe(roundHalfAwayFromZero(subject.scores.get(OVERALL)!, 0));
  });

  it('never counts the subject organisation in its own cohort', async () => {
    const withSubject = await app.gql(
      ASSESSMENT_BENCHMARK,
      { id: subject.assessmentId, cohort: { scope: 'OWN_FIRM', industry: 'C', sizeBand: 'S10_49' } },
      A.auth.VIEWER,
    );
    const without = await app.gql(
      COHORT_BENCHMARK,
      { versionId: v1.id, cohort: { scope: 'OWN_FIRM', industry: 'C', sizeBand: 'S10_49' } },
      A.auth.VIEWER,
    );
    expect(without.errors).toBeUndefined();
    expect(without.data.cohortBenchmark.subject).toBeNull();
    expect(without.data.cohortBenchmark.overall.n).toBe(7);
    expect(withSubject.data.assessmentBenchmark.overall.n).toBe(6);
    expect(figuresOnly(without.data.cohortBenchmark)).toEqual(
      (({ overall, dimensions }) => ({ overall, dimensions }))(
        expected(A, v1, { scope: 'OWN_FIRM', industry: 'C', sizeBand: '10-49' }, null),
      ),
    );
    // Firm C: five organisations. Each one sees only the four others (withheld); the dashboard sees five.
    const cOrg = closed.find((c) => c.firmId === C.firmId)!;
    const own = await app.gql(
      ASSESSMENT_BENCHMARK,
      { id: cOrg.assessmentId, cohort: { scope: 'OWN_FIRM' } },
      C.auth.VIEWER,
    );
    expect(own.data.assessmentBenchmark.overall).toMatchObject({ n: 4, withheld: true, mean: null });
    const dash = await app.gql(COHORT_BENCHMARK, { key: KEY, major: 1, cohort: { scope: 'OWN_FIRM' } }, C.auth.VIEWER);
    expect(dash.data.cohortBenchmark.overall).toMatchObject({ n: 5, withheld: false });
  });

  it('benchmarks an organisation through its latest closed assessment', async () => {
    const twice = closed.filter(
      (c) => c.organisationId === closed.find((x) => x.closedAt.getUTCFullYear() === 2027)!.organisationId,
    );
    expect(twice).toHaveLength(2);
    const later = twice.find((c) => c.closedAt.getUTCFullYear() === 2027)!;
    const res = await app.gql(
      ORGANISATION_BENCHMARK,
      { id: later.organisationId, cohort: { scope: 'OWN_FIRM' } },
      A.auth.VIEWER,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.organisationBenchmark.subject.assessmentId).toBe(later.assessmentId);
    expect(figuresOnly(res.data.organisationBenchmark)).toEqual(
      (({ overall, dimensions }) => ({ overall, dimensions }))(expected(A, v1, { scope: 'OWN_FIRM' }, later)),
    );
  });

  it('leaves an excluded organisation out of every cohort, yet benchmarks it against others', async () => {
    const res = await app.gql(
      ASSESSMENT_BENCHMARK,
      { id: excludedOrg.assessmentId, cohort: { scope: 'SHARED_POOL', industry: 'C' } },
      A.auth.VIEWER,
    );
    expect(res.errors).toBeUndefined();
    const want = expected(A, v1, { scope: 'SHARED_POOL', industry: 'C' }, excludedOrg);
    expect(figuresOnly(res.data.assessmentBenchmark)).toEqual({ overall: want.overall, dimensions: want.dimensions });
    expect(res.data.assessmentBenchmark.overall.subjectScore).toBe(
      roundHalfAwayFromZero(excludedOrg.scores.get(OVERALL)!, 0),
    );

    // Changing the exclusion moves the organisation's rows in or out of cohorts.
    const dash = () =>
      app.gql(
        COHORT_BENCHMARK,
        { versionId: v1.id, cohort: { scope: 'OWN_FIRM', industry: 'C', sizeBand: 'S10_49' } },
        A.auth.VIEWER,
      );
    expect((await dash()).data.cohortBenchmark.overall.n).toBe(7);
    const changed = await ds.transaction((m) => setBenchmarkExclusion(m, A.firmId, excludedOrg.organisationId, false));
    expect(changed).toBe(DIMENSIONS.length + 1);
    expect((await dash()).data.cohortBenchmark.overall.n).toBe(8);
    await ds.transaction((m) => setBenchmarkExclusion(m, A.firmId, excludedOrg.organisationId, true));
    expect((await dash()).data.cohortBenchmark.overall.n).toBe(7);
  });

  it('forbids the shared pool to a firm that does not share, and says how to opt in', async () => {
    const cOrg = closed.find((c) => c.firmId === C.firmId)!;
    for (const res of [
      await app.gql(ASSESSMENT_BENCHMARK, { id: cOrg.assessmentId, cohort: { scope: 'SHARED_POOL' } }, C.auth.VIEWER),
      await app.gql(
        ORGANISATION_BENCHMARK,
        { id: cOrg.organisationId, cohort: { scope: 'SHARED_POOL' } },
        C.auth.VIEWER,
      ),
      await app.gql(COHORT_BENCHMARK, { key: KEY, major: 1, cohort: { scope: 'SHARED_POOL' } }, C.auth.ADMIN),
    ]) {
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(res.errors?.[0].message).toMatch(/sharesBenchmarks: true/);
    }
  });

  it('keeps major versions and a firm’s own framework apart', async () => {
    const major2 = await app.gql(
      COHORT_BENCHMARK,
      { key: KEY, major: 2, cohort: { scope: 'SHARED_POOL' } },
      A.auth.VIEWER,
    );
    expect(major2.errors).toBeUndefined();
    expect(major2.data.cohortBenchmark.framework).toMatchObject({ major: 2, version: '2.0.0' });
    expect(major2.data.cohortBenchmark.overall.n).toBe(6);
    // A's own framework has the built-in's key but is another framework: its cohort holds A's organisations only.
    const own = await app.gql(
      COHORT_BENCHMARK,
      { versionId: ownA.id, cohort: { scope: 'SHARED_POOL' } },
      A.auth.VIEWER,
    );
    expect(own.data.cohortBenchmark.framework).toMatchObject({ key: KEY, ownedByFirm: true });
    expect(own.data.cohortBenchmark.overall.n).toBe(6);
    // By key, a firm's own framework comes first; another firm gets the built-in one.
    const byKeyA = await app.gql(
      COHORT_BENCHMARK,
      { key: KEY, major: 1, cohort: { scope: 'SHARED_POOL', industry: 'J' } },
      A.auth.VIEWER,
    );
    expect(byKeyA.data.cohortBenchmark.framework.ownedByFirm).toBe(true);
    expect(byKeyA.data.cohortBenchmark.overall.n).toBe(6);
    const byKeyB = await app.gql(
      COHORT_BENCHMARK,
      { key: KEY, major: 1, cohort: { scope: 'SHARED_POOL', industry: 'J' } },
      B.auth.VIEWER,
    );
    expect(byKeyB.data.cohortBenchmark.framework.ownedByFirm).toBe(false);
    expect(byKeyB.data.cohortBenchmark.overall.n).toBe(0);
    expect(byKeyB.data.cohortBenchmark.framework.version).toBe('1.1.0');
  });

  it('answers NOT_FOUND for another firm’s objects and for malformed ids, exactly as for unknown ones', async () => {
    const bOrg = closed.find((c) => c.firmId === B.firmId)!;
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [ASSESSMENT_BENCHMARK, { id: bOrg.assessmentId, cohort: { scope: 'OWN_FIRM' } }, 'assessmentBenchmark'],
      [ASSESSMENT_BENCHMARK, { id: randomUUID(), cohort: { scope: 'OWN_FIRM' } }, 'assessmentBenchmark'],
      [ASSESSMENT_BENCHMARK, { id: 'not-a-uuid', cohort: { scope: 'OWN_FIRM' } }, 'assessmentBenchmark'],
      [ORGANISATION_BENCHMARK, { id: bOrg.organisationId, cohort: { scope: 'OWN_FIRM' } }, 'organisationBenchmark'],
      [ORGANISATION_BENCHMARK, { id: '123', cohort: { scope: 'OWN_FIRM' } }, 'organisationBenchmark'],
      [COHORT_BENCHMARK, { versionId: 'x', cohort: { scope: 'OWN_FIRM' } }, 'cohortBenchmark'],
      [COHORT_BENCHMARK, { key: 'no-such-framework', major: 1, cohort: { scope: 'OWN_FIRM' } }, 'cohortBenchmark'],
    ];
    for (const [query, variables, field] of cases) {
      const res = await app.gql(query, variables, A.auth.VIEWER);
      expect({ variables, code: res.errors?.[0].extensions?.code }).toEqual({ variables, code: 'NOT_FOUND' });
      expect(res.data?.[field] ?? null).toBeNull();
    }
    // A's own framework version is invisible to B.
    const res = await app.gql(COHORT_BENCHMARK, { versionId: ownA.id, cohort: { scope: 'OWN_FIRM' } }, B.auth.VIEWER);
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // Same message shape for another firm's id as for an unknown one (besides the id itself).
    const other = await app.gql(
      ASSESSMENT_BENCHMARK,
      { id: bOrg.assessmentId, cohort: { scope: 'OWN_FIRM' } },
      A.auth.VIEWER,
    );
    const unknown = await app.gql(
      ASSESSMENT_BENCHMARK,
      { id: '00000000-0000-4000-8000-000000000000', cohort: { scope: 'OWN_FIRM' } },
      A.auth.VIEWER,
    );
    expect(other.errors?.[0].message.replace(bOrg.assessmentId, 'ID')).toBe(
      unknown.errors?.[0].message.replace('00000000-0000-4000-8000-000000000000', 'ID'),
    );
  });

  it('needs a key, refuses bad filters by field, and a result to benchmark', async () => {
    const anonymous = await app.gql(ASSESSMENT_BENCHMARK, { id: subject.assessmentId, cohort: { scope: 'OWN_FIRM' } });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const bad = await app.gql(
      ASSESSMENT_BENCHMARK,
      { id: subject.assessmentId, cohort: { scope: 'OWN_FIRM', industry: 'ZZ', country: 'XQ' } },
      A.auth.VIEWER,
    );
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const paths = (bad.errors?.[0].extensions?.problems ?? []).map((p: any) => p.path).sort();
    // The path starts with the argument's name, then the field inside it.
    expect(paths.map((p: string) => p.replace(/^input\./, ''))).toEqual(['cohort.country', 'cohort.industry']);
    expect(JSON.stringify(bad.errors)).not.toContain('XQ');

    const neither = await app.gql(COHORT_BENCHMARK, { cohort: { scope: 'OWN_FIRM' } }, A.auth.VIEWER);
    expect(neither.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(neither.errors?.[0].extensions?.problems[0].path).toBe('frameworkVersionId');
    const keyOnly = await app.gql(COHORT_BENCHMARK, { key: KEY, cohort: { scope: 'OWN_FIRM' } }, A.auth.VIEWER);
    expect(keyOnly.errors?.[0].extensions?.problems.map((p: any) => p.path)).toEqual(['frameworkMajor']);

    const open = await app.gql(
      ASSESSMENT_BENCHMARK,
      { id: openAssessmentId, cohort: { scope: 'OWN_FIRM' } },
      A.auth.VIEWER,
    );
    expect(open.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(open.errors?.[0].extensions?.status).toBe('OPEN');
    const noneClosed = await app.gql(
      ORGANISATION_BENCHMARK,
      { id: openOrganisationId, cohort: { scope: 'OWN_FIRM' } },
      A.auth.VIEWER,
    );
    expect(noneClosed.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(noneClosed.errors?.[0].message).toMatch(/no closed assessment/);
  });

  it('takes k from the framework: the largest benchmarkMinCohort of the major version', async () => {
    const kv1 = await publish('bench-k', '1.0.0', null, { benchmarkMinCohort: 3 });
    await peers(B, kv1, 4, ['Q', '1-9', 'NL']);
    const ask = () =>
      app.gql(COHORT_BENCHMARK, { key: 'bench-k', major: 1, cohort: { scope: 'SHARED_POOL' } }, A.auth.VIEWER);
    const before = (await ask()).data.cohortBenchmark;
    expect(before.cohort.minimumSize).toBe(3);
    expect(before.overall).toMatchObject({ n: 4, withheld: false });
    // A later minor version asks for more: it protects the earlier version's results too.
    await publish('bench-k', '1.1.0', null, { benchmarkMinCohort: 6 });
    const after = (await ask()).data.cohortBenchmark;
    expect(after.framework.version).toBe('1.1.0');
    expect(after.cohort.minimumSize).toBe(6);
    expect(after.overall).toMatchObject({ n: 4, withheld: true, reason: 'INSUFFICIENT_COHORT', mean: null });
  });
});
