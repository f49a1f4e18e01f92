import { toFrameworkDef } from '../src/modules/framework/framework-convert';
import type { FrameworkDocument } from '../src/modules/framework/framework-document';
import { benchmarkFigures, roundHalfAwayFromZero, scoreAssessment, type AssessmentResult } from '../src/scoring';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { answersFor, rng } from './helpers/result-fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Benchmarks over data made through the API only: organisations, assessments closed through
 * the real close operation (which writes the benchmark rows), a second closing of one
 * organisation, its exclusion from benchmarks, and the firm's opt-in to the shared pool.
 */
describe('benchmarks through the whole API flow', () => {
  let app: TestApp;
  let firm: TestFirm;
  let document: FrameworkDocument;
  let frameworkVersionId: string;
  const random = rng(7);

  beforeAll(async () => {
    app = await startTestApp();
    firm = await createTestFirm(app.running.database.dataSource, 'Benchmark Flow Firm');
  });
  afterAll(async () => {
    await app?.stop();
  });

  const ok = <T = any>(query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
    app.ok<T>(query, variables, headers);

  /** Creates, answers (one executive, one manager), submits and closes an assessment; returns its id and the engine's result. */
  async function closeOne(
    organisationId: string,
    bias: number,
  ): Promise<{ assessmentId: string; result: AssessmentResult }> {
    const consultant = firm.auth.CONSULTANT;
    const created = await ok(
      'mutation($input: CreateAssessmentInput!) { createAssessment(input: $input) { id } }',
      { input: { organisationId, frameworkVersionId, title: 'Benchmark flow' } },
      consultant,
    );
    const assessmentId: string = created.createAssessment.id;
    await ok('mutation($id: ID!) { openAssessment(id: $id) { status } }', { id: assessmentId }, consultant);
    const roles = ['EXECUTIVE', 'MANAGER'];
    const invited = await ok(
      'mutation($input: InviteRespondentsInput!) { inviteRespondents(input: $input) { token respondent { id } } }',
      {
        input: {
          assessmentId,
          respondents: roles.map((role, i) => ({ name: `Person ${i}`, email: `p${i}@example.com`, role })),
        },
      },
      consultant,
    );
    const submitted = [];
    for (const [i, person] of (
      invited.inviteRespondents as Array<{ token: string; respondent: { id: string } }>
    ).entries()) {
      const answers = answersFor(document, random, bias);
      const token = { authorization: `Bearer ${person.token}` };
      await ok(
        'mutation($input: SaveAnswersInput!) { saveAnswers(input: $input) { status } }',
        { input: { answers: Object.entries(answers).map(([question, a]) => ({ question, value: a.value })) } },
        token,
      );
      await ok('mutation { submitResponse { status } }', {}, token);
      submitted.push({ id: person.respondent.id, role: roles[i], answers });
    }
    await ok('mutation($id: ID!) { closeAssessment(id: $id) { status } }', { id: assessmentId }, consultant);
    return {
      assessmentId,
      result: scoreAssessment({ framework: toFrameworkDef(document), respondents: submitted, roleWeights: {} }),
    };
  }

  const QUERY = `query($id: ID!, $cohort: BenchmarkCohortInput!) { assessmentBenchmark(assessmentId: $id, cohort: $cohort) {
    overall { n withheld subjectScore percentileRank mean p25 median p75 histogram { count } }
    dimensions { code n withheld subjectScore percentileRank mean p25 median p75 } } }`;

  function engineFigures(cohort: AssessmentResult[], subject: AssessmentResult) {
    const w = (x: number | null) => (x === null ? null : roundHalfAwayFromZero(x, 0));
    const f = benchmarkFigures(
      cohort.map((r) => r.overall.score),
      subject.overall.score,
      5,
    );
    return {
      n: f.n,
      withheld: f.withheld,
      subjectScore: w(subject.overall.score),
      percentileRank: f.withheld ? null : w(f.percentileRank),
      mean: w(f.mean),
      p25: w(f.p25),
      median: w(f.median),
      p75: w(f.p75),
      histogram: f.histogram?.map((b) => ({ count: b.count })) ?? null,
    };
  }

  it('benchmarks closed assessments, counts an organisation once with its latest result, and follows exclusion and sharing', async () => {
    const frameworks = await ok(
      '{ frameworks(filter: {key: "service-strategy"}) { edges { node { id } } } }',
      {},
      firm.auth.VIEWER,
    );
    frameworkVersionId = frameworks.frameworks.edges[0].node.id;
    document = (await ok('query($id: ID!) { exportFramework(id: $id) }', { id: frameworkVersionId }, firm.auth.VIEWER))
      .exportFramework;

    const organisations: string[] = [];
    const latest: AssessmentResult[] = [];
    const assessments: string[] = [];
    for (let i = 0; i < 7; i++) {
      const org = await ok(
        'mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }',
        { input: { name: `Benchmark Flow ${i}`, industry: 'I', sizeBand: 'S10_49', country: 'FR' } },
        firm.auth.CONSULTANT,
      );
      organisations.push(org.createOrganisation.id);
      const closed = await closeOne(org.createOrganisation.id, 0.15 + 0.1 * i);
      assessments.push(closed.assessmentId);
      latest.push(closed.result);
    }
    const ask = (cohort: Record<string, unknown>) => app.gql(QUERY, { id: assessments[0], cohort }, firm.auth.VIEWER);

    // Six peers in the firm, the subject's own organisation left out.
    let res = await ask({ scope: 'OWN_FIRM', industry: 'I' });
    expect(res.errors).toBeUndefined();
    expect(res.data.assessmentBenchmark.overall).toEqual(engineFigures(latest.slice(1), latest[0]));

    // A second closing of organisation 1: it still counts once, with its newer result.
    const again = await closeOne(organisations[1], 0.95);
    latest[1] = again.result;
    res = await ask({ scope: 'OWN_FIRM', industry: 'I' });
    expect(res.data.assessmentBenchmark.overall).toEqual(engineFigures(latest.slice(1), latest[0]));
    expect(res.data.assessmentBenchmark.overall.n).toBe(6);

    // Excluding two organisations through the API leaves four peers: below k, nothing shown.
    for (const id of [organisations[2], organisations[3]]) {
      await ok(
        'mutation($id: ID!) { setOrganisationBenchmarkExclusion(id: $id, excluded: true) { id excludedFromBenchmarks } }',
        { id },
        firm.auth.CONSULTANT,
      );
    }
    res = await ask({ scope: 'OWN_FIRM', industry: 'I' });
    expect(res.data.assessmentBenchmark.overall).toEqual(engineFigures([latest[1], ...latest.slice(4)], latest[0]));
    expect(res.data.assessmentBenchmark.overall).toMatchObject({ n: 4, withheld: true, mean: null, histogram: null });
    expect(
      res.data.assessmentBenchmark.dimensions.every(
        (d: { withheld: boolean; median: number | null }) => d.withheld && d.median === null,
      ),
    ).toBe(true);
    await ok(
      'mutation($id: ID!) { setOrganisationBenchmarkExclusion(id: $id, excluded: false) { id } }',
      { id: organisations[3] },
      firm.auth.CONSULTANT,
    );
    res = await ask({ scope: 'OWN_FIRM', industry: 'I' });
    expect(res.data.assessmentBenchmark.overall.n).toBe(5);

    // Re-classifying an organisation moves its stored results to its new segment, and back.
    const reclassify = (industry: string) =>
      ok(
        'mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }',
        { id: organisations[4], input: { industry } },
        firm.auth.CONSULTANT,
      );
    await reclassify('G');
    res = await ask({ scope: 'OWN_FIRM', industry: 'I' });
    expect(res.data.assessmentBenchmark.overall).toMatchObject({ n: 4, withheld: true });
    await reclassify('I');
    res = await ask({ scope: 'OWN_FIRM', industry: 'I' });
    expect(res.data.assessmentBenchmark.overall.n).toBe(5);

    // The shared pool needs the firm's opt-in, and follows it.
    res = await ask({ scope: 'SHARED_POOL', industry: 'I' });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await ok(
      'mutation { updateFirmSettings(input: {sharesBenchmarks: true}) { sharesBenchmarks } }',
      {},
      firm.auth.ADMIN,
    );
    res = await ask({ scope: 'SHARED_POOL', industry: 'I' });
    expect(res.errors).toBeUndefined();
    expect(res.data.assessmentBenchmark.overall.n).toBe(5);
    await ok(
      'mutation { updateFirmSettings(input: {sharesBenchmarks: false}) { sharesBenchmarks } }',
      {},
      firm.auth.ADMIN,
    );
    res = await ask({ scope: 'SHARED_POOL', industry: 'I' });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
