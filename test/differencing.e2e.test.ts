import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { generateRespondents, prng } from '../src/modules/benchmark/benchmark-demo-data';
import { frameworkChecksum, toFrameworkDef } from '../src/modules/framework/framework-convert';
import type { FrameworkDocument } from '../src/modules/framework/framework-document';
import { storeResult } from '../src/modules/result/result-store';
import { benchmarkFigures, roundHalfAwayFromZero, scoreAssessment, type AssessmentResult } from '../src/scoring';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { answersFor } from './helpers/result-fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * The differencing attacks of docs/benchmarking.md ("Differencing: the attacks and the
 * defence"), each performed over HTTP by an attacker firm that acts only through the API with
 * its own key: it reads SHARED_POOL benchmarks, and owns organisations whose scores it knows.
 * The victim firm's changes are real API mutations with the victim firm's key. Each attack
 * computes the attacker's best estimate of one organisation's overall score from the
 * responses and fails when it lands within ±5 points of the true score (or the attacker can
 * bound it to an interval narrower than that). Each attack also runs the same computation on
 * figures without the defence — the victim firm's own, live OWN_FIRM view of the same
 * organisations, or the plain §7 figures — and checks that it DOES recover the score there.
 *
 * k = 5 (the default). Scores are set when the results are stored (all on one framework),
 * chosen so that the unprotected computations are exact or nearly: the defence must hold
 * even when the data favour the attacker.
 */
const MINIMAL: FrameworkDocument = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'frameworks', 'minimal.json'), 'utf8'),
);
const KEY = 'differencing-e2e';
const K = 5;
/** "Recovered" means to within this many points. */
const TOLERANCE = 5;

interface Figures {
  n: number;
  withheld: boolean;
  reason: string | null;
  subjectScore?: number | null;
  percentileRank?: number | null;
  mean: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  histogram: Array<{ from: number; to: number; count: number }> | null;
}

const FIGURES = 'n withheld reason mean p25 median p75 histogram { from to count }';
const COHORT_BENCHMARK = `query ($key: String!, $cohort: BenchmarkCohortInput!) {
  cohortBenchmark(frameworkKey: $key, frameworkMajor: 1, cohort: $cohort) { cohort { minimumSize } overall { ${FIGURES} } } }`;
const ASSESSMENT_BENCHMARK = `query ($id: ID!, $cohort: BenchmarkCohortInput!) {
  assessmentBenchmark(assessmentId: $id, cohort: $cohort) { overall { ${FIGURES} subjectScore percentileRank } } }`;

/** An estimate of one organisation's score: a value, and the interval the attacker can bound it to. */
interface Estimate {
  value: number;
  lo: number;
  hi: number;
}

/** True when the estimate is within ±5 points of the truth, or bounds it to an interval narrower than that. */
function recovered(estimate: Estimate | null, truth: number): boolean {
  if (!estimate) return false;
  if (Math.abs(estimate.value - truth) < TOLERANCE) return true;
  return estimate.hi - estimate.lo < 2 * TOLERANCE && estimate.lo <= truth && truth <= estimate.hi;
}

/**
 * Two views of a cohort that differ by one organisation (it left or entered, or a filter
 * drops it): its score is the difference of the sums, n · mean, up to the rounding of each
 * mean (±n / 2). Null when either view is withheld or they do not differ by exactly one.
 */
function differenceEstimate(a: Figures, b: Figures): Estimate | null {
  if (a.withheld || b.withheld || a.mean === null || b.mean === null) return null;
  const [big, small] = a.n > b.n ? [a, b] : [b, a];
  if (big.n - small.n !== 1) return null;
  const value = big.n * big.mean! - small.n * small.mean!;
  const slack = (big.n + small.n) / 2;
  return { value, lo: Math.max(0, value - slack), hi: Math.min(100, value + slack) };
}

/**
 * The top scorer of a cohort (say the market leader, known to be in it): it is in the
 * highest non-empty histogram bar, and at or above p75.
 */
function topBarEstimate(f: Figures): Estimate | null {
  if (f.withheld || !f.histogram || f.p75 === null) return null;
  const bar = [...f.histogram].reverse().find((b) => b.count > 0);
  if (!bar) return null;
  const lo = Math.max(bar.from, f.p75 - 0.5);
  const hi = bar.to;
  return { value: (lo + hi) / 2, lo, hi };
}

/**
 * The top scorer of a cohort from the percentile ranks of the attacker's own subjects, whose
 * scores it knows: each released rank R of a subject scoring x bounds c = below + ½ · equal
 * to [(R − h) · n / 100, (R + h) · n / 100], h half the rank's step (½ for whole points, s / 2
 * for a coarse rank). c < n at x: somebody scores x or more; c > n − 1: nobody scores above x.
 */
function rankEstimate(points: Array<{ x: number; rank: number }>, n: number, k: number): Estimate {
  const s = Math.max(1, Math.ceil((100 * k) / n));
  const coarse = points.every((p) => p.rank === 100 || p.rank % s === 0);
  const h = coarse ? s / 2 : 0.5;
  let lo = 0;
  let hi = 100;
  for (const { x, rank } of points) {
    const cLo = Math.max(0, ((rank - h) * n) / 100);
    const cHi = Math.min(n, ((rank + h) * n) / 100);
    if (cHi < n) lo = Math.max(lo, x);
    if (cLo > n - 1) hi = Math.min(hi, x);
  }
  return { value: (lo + hi) / 2, lo, hi };
}

describe('differencing attacks on the shared pool (k = 5)', () => {
  let app: TestApp;
  let ds: DataSource;
  /** The attacker. */
  let X: TestFirm;
  /** The victim's firm. */
  let V: TestFirm;
  /** A third firm in the pool. */
  let P: TestFirm;
  let versionId: string;
  let base: AssessmentResult;
  const rnd = prng(17);

  async function organisation(firm: TestFirm, industry: string, country = 'DE', sizeBand = '10-49'): Promise<string> {
    const id = randomUUID();
    await ds.query(
      `INSERT INTO organisation (firm_id, id, name, industry, size_band, country, excluded_from_benchmarks, version)
       VALUES ($1, $2, $3, $4, $5, $6, false, 1)`,
      [firm.firmId, id, `Org ${randomUUID().slice(0, 8)}`, industry, sizeBand, country],
    );
    return id;
  }

  /** Closes an assessment of the organisation through the result store, with the given overall score. */
  async function closeWith(firm: TestFirm, organisationId: string, score: number): Promise<string> {
    const assessmentId = randomUUID();
    const result: AssessmentResult = { ...base, overall: { ...base.overall, score } };
    await ds.transaction(async (manager) => {
      const [org] = await manager.query(
        'SELECT industry, size_band, country, excluded_from_benchmarks FROM organisation WHERE firm_id = $1 AND id = $2',
        [firm.firmId, organisationId],
      );
      await manager.query(
        `INSERT INTO assessment (firm_id, id, organisation_id, framework_version_id, title, status, role_weights, opened_at, closed_at, version)
         VALUES ($1, $2, $3, $4, 'Differencing', 'CLOSED', '{}'::jsonb, now(), now(), 1)`,
        [firm.firmId, assessmentId, organisationId, versionId],
      );
      await storeResult(
        manager,
        { firmId: firm.firmId, id: assessmentId, organisationId },
        {
          industry: org.industry,
          sizeBand: org.size_band,
          country: org.country,
          excludedFromBenchmarks: org.excluded_from_benchmarks,
        },
        { ownerFirmId: null, key: KEY, major: 1 },
        result,
        new Date(),
      );
    });
    return assessmentId;
  }

  /** Organisations of a firm in one industry, each closed with one of the scores. */
  async function peers(
    firm: TestFirm,
    industry: string,
    scores: number[],
    country = 'DE',
    sizeBand = '10-49',
  ): Promise<string[]> {
    const out: string[] = [];
    for (const score of scores) {
      const id = await organisation(firm, industry, country, sizeBand);
      await closeWith(firm, id, score);
      out.push(id);
    }
    return out;
  }

  async function cohort(firm: TestFirm, filter: Record<string, string>): Promise<Figures> {
    const data = await app.ok(COHORT_BENCHMARK, { key: KEY, cohort: filter }, firm.auth.VIEWER);
    expect(data.cohortBenchmark.cohort.minimumSize).toBe(K);
    return data.cohortBenchmark.overall;
  }
  const pool = (filter: Record<string, string>) => cohort(X, { scope: 'SHARED_POOL', ...filter });
  const victimsOwn = (filter: Record<string, string>) => cohort(V, { scope: 'OWN_FIRM', ...filter });

  beforeAll(async () => {
    app = await startTestApp();
    ds = app.running.database.dataSource;
    X = await createTestFirm(ds, 'Attacker');
    V = await createTestFirm(ds, 'Victim firm');
    P = await createTestFirm(ds, 'Third firm');
    await ds.query('UPDATE firm SET shares_benchmarks = true WHERE id = ANY($1::uuid[])', [
      [X.firmId, V.firmId, P.firmId],
    ]);
    versionId = randomUUID();
    const doc: FrameworkDocument = { ...MINIMAL, key: KEY, version: '1.0.0' };
    await ds.query(
      `INSERT INTO framework_version (id, owner_firm_id, key, version, major, status, document, checksum, published_at)
       VALUES ($1, NULL, $2, '1.0.0', 1, 'PUBLISHED', $3::jsonb, $4, now())`,
      [versionId, KEY, JSON.stringify(doc), frameworkChecksum(doc)],
    );
    const def = toFrameworkDef(doc);
    base = scoreAssessment({ framework: def, respondents: generateRespondents(def, 0.5, 2, rnd), roleWeights: {} });
  }, 60000);

  afterAll(async () => {
    await app?.stop();
  });

  it('exclusion: one organisation excluded between two releases is not seen; k changes later, five are', async () => {
    // Five peers with a sum of 250 (a mean of exactly 50), the victim at 86: 336 / 6 = 56.
    const [victim] = await peers(V, 'C', [86]);
    await peers(V, 'C', [30, 40, 50, 60, 70]);
    const third = await peers(P, 'C', [10, 15, 20, 25]);
    const before = await pool({ industry: 'C' });
    const ownBefore = await victimsOwn({ industry: 'C' });
    await app.ok(
      'mutation ($id: ID!) { setOrganisationBenchmarkExclusion(id: $id, excluded: true) { id } }',
      { id: victim },
      V.auth.CONSULTANT,
    );
    const after = await pool({ industry: 'C' });
    const ownAfter = await victimsOwn({ industry: 'C' });

    // Without the defence: 6 · 56 − 5 · 50 = 86.
    expect(differenceEstimate(ownBefore, ownAfter)?.value).toBe(86);
    expect(recovered(differenceEstimate(ownBefore, ownAfter), 86)).toBe(true);
    // With it: one change is no release; the pool's figures do not move.
    expect(before).toMatchObject({ n: 10, withheld: false });
    expect(after).toEqual(before);
    expect(recovered(differenceEstimate(before, after), 86)).toBe(false);

    // Four more organisations of other firms leave: k changes, a new release. The difference
    // now covers five organisations: (10 · 41 − 5 · 50) / 5 = 32 is their mean, not the victim's score.
    for (const id of third) {
      await app.ok(
        'mutation ($id: ID!) { setOrganisationBenchmarkExclusion(id: $id, excluded: true) { id } }',
        { id },
        P.auth.CONSULTANT,
      );
    }
    const released = await pool({ industry: 'C' });
    expect(released).toMatchObject({ n: 5, withheld: false, mean: 50 });
    expect(differenceEstimate(before, released)).toBeNull();
    const meanOfFive = (before.n * before.mean! - released.n * released.mean!) / (before.n - released.n);
    expect(recovered({ value: meanOfFive, lo: 0, hi: 100 }, 86)).toBe(false);
  });

  it('exclusion behind re-closes: k − 1 small score changes do not release one organisation leaving', async () => {
    const [victim, ...others] = await peers(V, 'T', [86, 30, 40, 50, 60, 70]);
    const before = await pool({ industry: 'T' });
    const ownBefore = await victimsOwn({ industry: 'T' });
    // Four peers are re-assessed and move a little (+1, −1, +2, −2: the sum stays 250) ...
    for (const [i, id] of others.slice(0, 4).entries()) await closeWith(V, id, [31, 39, 52, 58][i]);
    // ... and the victim is excluded: five organisations of another firm changed.
    await app.ok(
      'mutation ($id: ID!) { setOrganisationBenchmarkExclusion(id: $id, excluded: true) { id } }',
      { id: victim },
      V.auth.CONSULTANT,
    );
    const after = await pool({ industry: 'T' });
    const ownAfter = await victimsOwn({ industry: 'T' });

    // Without the defence: 6 · 56 − 5 · 50 = 86, the re-closes cancel out.
    expect(differenceEstimate(ownBefore, ownAfter)?.value).toBe(86);
    // With it: one organisation left; that is not k, however many re-closed around it.
    expect(before).toMatchObject({ n: 6, withheld: false });
    expect(recovered(differenceEstimate(before, after), 86)).toBe(false);
  });

  it('archiving: an archived organisation leaves cohorts, between releases unseen', async () => {
    const [victim] = await peers(V, 'F', [86]);
    await peers(V, 'F', [30, 40, 50, 60, 70]);
    const before = await pool({ industry: 'F' });
    const ownBefore = await victimsOwn({ industry: 'F' });
    await app.ok('mutation ($id: ID!) { archiveOrganisation(id: $id) { id } }', { id: victim }, V.auth.CONSULTANT);
    const after = await pool({ industry: 'F' });
    const ownAfter = await victimsOwn({ industry: 'F' });

    expect(recovered(differenceEstimate(ownBefore, ownAfter), 86)).toBe(true);
    expect(before).toMatchObject({ n: 6, withheld: false });
    expect(after).toEqual(before);
    expect(recovered(differenceEstimate(before, after), 86)).toBe(false);
  });

  it('re-classification: an organisation moved to another industry is seen in neither', async () => {
    const [victim] = await peers(V, 'K', [86]);
    await peers(V, 'K', [30, 40, 50, 60, 70]);
    await peers(V, 'M', [20, 25, 45, 55, 65]);
    const views = async () => ({
      from: await pool({ industry: 'K' }),
      to: await pool({ industry: 'M' }),
      ownFrom: await victimsOwn({ industry: 'K' }),
      ownTo: await victimsOwn({ industry: 'M' }),
    });
    const before = await views();
    await app.ok(
      'mutation ($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }',
      { id: victim, input: { industry: 'M' } },
      V.auth.CONSULTANT,
    );
    const after = await views();

    // Without the defence: from K, 6 · 56 − 5 · 50 = 86; into M, 6 · 49 − 5 · 42 = 84 (296 / 6 = 49.3).
    expect(recovered(differenceEstimate(before.ownFrom, after.ownFrom), 86)).toBe(true);
    expect(recovered(differenceEstimate(before.ownTo, after.ownTo), 86)).toBe(true);
    expect(after.from).toEqual(before.from);
    expect(after.to).toEqual(before.to);
    expect(recovered(differenceEstimate(before.from, after.from), 86)).toBe(false);
    expect(recovered(differenceEstimate(before.to, after.to), 86)).toBe(false);
  });

  it('a new close: an organisation whose first assessment closes enters unseen', async () => {
    await peers(V, 'N', [30, 40, 50, 60, 70]);
    const before = await pool({ industry: 'N' });
    const ownBefore = await victimsOwn({ industry: 'N' });

    // The victim firm takes on a client and closes its first assessment, all through the API.
    const ok = (query: string, variables: Record<string, unknown>, headers = V.auth.CONSULTANT) =>
      app.ok(query, variables, headers);
    const created = await ok(
      'mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }',
      { input: { name: 'New client', industry: 'N', sizeBand: 'S10_49', country: 'DE' } },
    );
    const organisationId = created.createOrganisation.id;
    const assessment = await ok(
      'mutation ($input: CreateAssessmentInput!) { createAssessment(input: $input) { id } }',
      {
        input: { organisationId, frameworkVersionId: versionId, title: 'First' },
      },
    );
    const assessmentId = assessment.createAssessment.id;
    await ok('mutation ($id: ID!) { openAssessment(id: $id) { status } }', { id: assessmentId });
    const invited = await ok(
      'mutation ($input: InviteRespondentsInput!) { inviteRespondents(input: $input) { token } }',
      { input: { assessmentId, respondents: [{ name: 'Chief', email: 'chief@example.com', role: 'EXECUTIVE' }] } },
    );
    const token = { authorization: `Bearer ${invited.inviteRespondents[0].token}` };
    const answers = answersFor(MINIMAL, rnd, 0.9);
    await ok(
      'mutation ($input: SaveAnswersInput!) { saveAnswers(input: $input) { status } }',
      { input: { answers: Object.entries(answers).map(([question, a]) => ({ question, value: a.value })) } },
      token,
    );
    await ok('mutation { submitResponse { status } }', {}, token);
    await ok('mutation ($id: ID!) { closeAssessment(id: $id) { status } }', { id: assessmentId });
    const truth: number = (
      await ok('query ($id: ID!) { assessment(id: $id) { result { overall { score } } } }', { id: assessmentId })
    ).assessment.result.overall.score;

    const after = await pool({ industry: 'N' });
    const ownAfter = await victimsOwn({ industry: 'N' });
    // Without the defence: 6 · round((250 + x) / 6) − 5 · 50, within 6 · ½ = 3 points of x.
    expect(recovered(differenceEstimate(ownBefore, ownAfter), truth)).toBe(true);
    expect(before).toMatchObject({ n: 5, withheld: false });
    expect(after).toEqual(before);
    expect(recovered(differenceEstimate(before, after), truth)).toBe(false);
  });

  it('filter narrowing: a filter that drops one organisation withholds the narrower cohort', async () => {
    await peers(V, 'Q', [86], 'FR');
    await peers(V, 'Q', [30, 40, 50, 60, 70]);
    const broad = await pool({ industry: 'Q' });
    const narrow = await pool({ industry: 'Q', country: 'DE' });
    const ownBroad = await victimsOwn({ industry: 'Q' });
    const ownNarrow = await victimsOwn({ industry: 'Q', country: 'DE' });

    // Without the defence: 6 · 56 − 5 · 50 = 86.
    expect(differenceEstimate(ownBroad, ownNarrow)?.value).toBe(86);
    expect(broad).toMatchObject({ n: 6, withheld: false });
    expect(narrow).toMatchObject({ n: 5, withheld: true, reason: 'SMALL_DIFFERENCE', mean: null, histogram: null });
    expect(recovered(differenceEstimate(broad, narrow), 86)).toBe(false);
  });

  it('filter narrowing by two filters: a cohort is compared with every broader one, not only one filter wider', async () => {
    // The victim differs from its five peers in country and size band: each filter alone drops nobody.
    await peers(V, 'E', [86], 'FR', '50-249');
    await peers(V, 'E', [30, 40, 50, 60, 70]);
    const broad = await pool({ industry: 'E' });
    const narrow = await pool({ industry: 'E', country: 'DE', sizeBand: 'S10_49' });
    const ownBroad = await victimsOwn({ industry: 'E' });
    const ownNarrow = await victimsOwn({ industry: 'E', country: 'DE', sizeBand: 'S10_49' });

    expect(differenceEstimate(ownBroad, ownNarrow)?.value).toBe(86);
    expect(broad).toMatchObject({ n: 6, withheld: false });
    // One filter wider, E + DE and E + 10–49 hold the same five; E alone holds six.
    expect(narrow).toMatchObject({ n: 5, withheld: true, reason: 'SMALL_DIFFERENCE' });
    expect(recovered(differenceEstimate(broad, narrow), 86)).toBe(false);
  });

  it('tiny histogram buckets: the leader alone in 90–100 is hidden in a bar of at least k', async () => {
    await peers(V, 'R', [22, 31, 35, 44, 48, 57, 97]);
    const shown = await pool({ industry: 'R' });
    const own = await victimsOwn({ industry: 'R' });

    // Without the defence: the last bucket holds one organisation, 90–100, and 95 is 2 points off.
    expect(own.histogram?.[9]).toEqual({ from: 90, to: 100, count: 1 });
    expect(recovered(topBarEstimate(own), 97)).toBe(true);
    // With it: 1 + 2 + 2 = 5 → 20–50; 1 + 0 + 0 + 0 + 1 = 2 < 5 joins it → 20–100, 7.
    expect(shown.withheld).toBe(false);
    expect(shown.histogram).toEqual([
      { from: 0, to: 10, count: 0 },
      { from: 10, to: 20, count: 0 },
      { from: 20, to: 100, count: 7 },
    ]);
    for (const bar of shown.histogram!) expect(bar.count === 0 || bar.count >= K).toBe(true);
    expect(recovered(topBarEstimate(shown), 97)).toBe(false);
  });

  it('the subject’s own rank: subjects at known scores no longer bracket the leader', async () => {
    await peers(V, 'S', [15, 28, 41, 52, 63, 74, 86]);
    // Subjects every 4 points, outside the cohort (industry G), one set per firm.
    const grid = Array.from({ length: 26 }, (_, i) => 4 * i);
    const subjects = async (firm: TestFirm) => {
      const out: Array<{ x: number; assessmentId: string }> = [];
      for (const x of grid) out.push({ x, assessmentId: await closeWith(firm, await organisation(firm, 'G'), x) });
      return out;
    };
    const ranks = async (firm: TestFirm, scope: string, list: Array<{ x: number; assessmentId: string }>) => {
      const points: Array<{ x: number; rank: number }> = [];
      let n = 0;
      for (const { x, assessmentId } of list) {
        const data = await app.ok(
          ASSESSMENT_BENCHMARK,
          { id: assessmentId, cohort: { scope, industry: 'S' } },
          firm.auth.VIEWER,
        );
        const f: Figures = data.assessmentBenchmark.overall;
        expect(f).toMatchObject({ withheld: false, subjectScore: x });
        n = f.n;
        points.push({ x, rank: f.percentileRank! });
      }
      return { n, points };
    };
    const own = await ranks(V, 'OWN_FIRM', await subjects(V));
    const shown = await ranks(X, 'SHARED_POOL', await subjects(X));

    // Without the defence: 6 below at 84, all 7 below at 88 → the leader in [84, 88].
    const bracket = rankEstimate(own.points, own.n, K);
    expect(bracket).toEqual({ value: 86, lo: 84, hi: 88 });
    expect(recovered(bracket, 86)).toBe(true);
    // With it: s = ⌈500 / 7⌉ = 72, ranks are 0 or 72; the leader is somewhere above 40.
    expect(shown.n).toBe(7);
    expect(new Set(shown.points.map((p) => p.rank))).toEqual(new Set([0, 72]));
    const coarse = rankEstimate(shown.points, shown.n, K);
    expect(coarse.hi - coarse.lo).toBeGreaterThanOrEqual(2 * TOLERANCE);
    expect(recovered(coarse, 86)).toBe(false);
  });

  it('own knowledge: a firm cannot subtract its own clients from a pool cohort of one other organisation', async () => {
    const ownScores = [10, 20, 30, 40, 50];
    await peers(X, 'J', ownScores);
    await peers(V, 'J', [84]);
    const shown = await pool({ industry: 'J' });
    const subtract = (f: Figures): Estimate | null => {
      if (f.withheld || f.mean === null || f.n !== ownScores.length + 1) return null;
      const value = f.n * f.mean - ownScores.reduce((s, x) => s + x, 0);
      return { value, lo: value - f.n / 2, hi: value + f.n / 2 };
    };

    // Without the defence (the plain §7 figures: six organisations ≥ k): 6 · 39 − 150 = 84.
    const plain = benchmarkFigures([...ownScores, 84], null, K);
    const plainShown = { ...plain, mean: roundHalfAwayFromZero(plain.mean!, 0) } as Figures;
    expect(subtract(plainShown)?.value).toBe(84);
    expect(recovered(subtract(plainShown), 84)).toBe(true);
    // With it: one organisation of another firm is fewer than k.
    expect(shown).toMatchObject({ n: 6, withheld: true, reason: 'INSUFFICIENT_COHORT', mean: null });
    expect(recovered(subtract(shown), 84)).toBe(false);
  });
});
