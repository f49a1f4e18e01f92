import { OVERALL } from '../src/modules/benchmark/benchmark-score.entity';
import { toFrameworkDef } from '../src/modules/framework/framework-convert';
import type { FrameworkDocument } from '../src/modules/framework/framework-document';
import { scoreAssessment, type RespondentInput } from '../src/scoring';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { answersFor, rng } from './helpers/result-fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * The whole flow through the API only: an organisation, an assessment on the built-in
 * framework, invitations, answers saved and submitted with link tokens, a live result while
 * open, closing, and then the stored result, the history and the organisation's latest result.
 */
describe('results through the whole API flow', () => {
  let app: TestApp;
  let firm: TestFirm;

  beforeAll(async () => {
    app = await startTestApp();
    firm = await createTestFirm(app.running.database.dataSource, 'Flow Firm');
  });
  afterAll(async () => {
    await app?.stop();
  });

  const ok = <T = any>(query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
    app.ok<T>(query, variables, headers);

  it('closes an assessment through the API and serves the stored result, history and latest result', async () => {
    const admin = firm.auth.CONSULTANT;
    const org = await ok(
      'mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }',
      { input: { name: 'Flow Retail', industry: 'G', sizeBand: 'S50_249', country: 'DE' } },
      admin,
    );
    const organisationId: string = org.createOrganisation.id;
    const frameworks = await ok(
      '{ frameworks(filter: {key: "service-strategy"}) { edges { node { id } } } }',
      {},
      admin,
    );
    const frameworkVersionId: string = frameworks.frameworks.edges[0].node.id;
    const exported = await ok('query($id: ID!) { exportFramework(id: $id) }', { id: frameworkVersionId }, admin);
    const document = exported.exportFramework as FrameworkDocument;

    const created = await ok(
      'mutation($input: CreateAssessmentInput!) { createAssessment(input: $input) { id } }',
      {
        input: {
          organisationId,
          frameworkVersionId,
          title: 'Flow 2026',
          roleWeights: [{ role: 'EXECUTIVE', weight: 2 }],
        },
      },
      admin,
    );
    const assessmentId: string = created.createAssessment.id;

    // A draft has no result: CONFLICT from the query, null on the assessment.
    const draft = await app.gql(
      'query($id: ID!) { assessmentResult(assessmentId: $id) { provisional } }',
      { id: assessmentId },
      firm.auth.VIEWER,
    );
    expect(draft.errors?.[0].extensions?.code).toBe('CONFLICT');
    const draftField = await ok(
      'query($id: ID!) { assessment(id: $id) { result { provisional } } }',
      { id: assessmentId },
      firm.auth.VIEWER,
    );
    expect(draftField.assessment.result).toBeNull();

    await ok('mutation($id: ID!) { openAssessment(id: $id) { status } }', { id: assessmentId }, admin);
    const roles = ['EXECUTIVE', 'MANAGER', 'FRONTLINE', 'FRONTLINE'];
    const invited = await ok(
      'mutation($input: InviteRespondentsInput!) { inviteRespondents(input: $input) { token respondent { id } } }',
      {
        input: {
          assessmentId,
          respondents: roles.map((role, i) => ({ name: `Person ${i}`, email: `p${i}@example.com`, role })),
        },
      },
      admin,
    );
    const people: Array<{ token: string; respondent: { id: string } }> = invited.inviteRespondents;

    const random = rng(42);
    const submitted: RespondentInput[] = [];
    for (const [i, person] of people.entries()) {
      const answers = answersFor(document, random, [0.9, 0.5, 0.2, 0.4][i]);
      const token = { authorization: `Bearer ${person.token}` };
      await ok(
        'mutation($input: SaveAnswersInput!) { saveAnswers(input: $input) { status } }',
        { input: { answers: Object.entries(answers).map(([question, a]) => ({ question, value: a.value })) } },
        token,
      );
      // The last person saves but never submits: not counted.
      if (i < 3) {
        await ok('mutation { submitResponse { status } }', {}, token);
        submitted.push({ id: person.respondent.id, role: roles[i], answers });
      }
    }
    const expected = scoreAssessment({
      framework: toFrameworkDef(document),
      respondents: submitted,
      roleWeights: { EXECUTIVE: 2 },
    });

    const live = await ok(
      'query($id: ID!) { assessmentResult(assessmentId: $id) { provisional respondentCount overall { score } } }',
      { id: assessmentId },
      firm.auth.VIEWER,
    );
    expect(live.assessmentResult.provisional).toBe(true);
    expect(live.assessmentResult.respondentCount).toBe(3);
    expect(live.assessmentResult.overall.score).toBeCloseTo(expected.overall.score!, 9);

    await ok('mutation($id: ID!) { closeAssessment(id: $id) { status } }', { id: assessmentId }, admin);

    const closed = await ok(
      `query($id: ID!) { assessment(id: $id) { status closedAt result(locale: RU) { provisional respondentCount computedAt
        overall { score level { code title } } dimensions { code score } recommendations { code title } } } }`,
      { id: assessmentId },
      firm.auth.VIEWER,
    );
    const result = closed.assessment.result;
    expect(closed.assessment.status).toBe('CLOSED');
    expect(result.provisional).toBe(false);
    expect(result.respondentCount).toBe(3);
    expect(result.overall.score).toBeCloseTo(expected.overall.score!, 9);
    expect(result.overall.level.code).toBe(expected.overall.levelCode);
    expect(result.overall.level.title).toBe(document.levels.find((l) => l.level === expected.overall.level)!.title.ru);
    expect(result.dimensions.map((d: { code: string }) => d.code)).toEqual(expected.dimensions.map((d) => d.dimension));
    expect(result.recommendations.map((r: { code: string }) => r.code)).toEqual(
      expected.recommendations.map((r) => r.code),
    );

    // The benchmark rows written in the closing transaction.
    const rows = await app.running.database.dataSource.query(
      'SELECT dimension_code, score, is_latest, closed_at FROM benchmark_score WHERE firm_id = $1 AND assessment_id = $2',
      [firm.firmId, assessmentId],
    );
    expect(rows).toHaveLength(document.dimensions.length + 1);
    expect(rows.find((r: { dimension_code: string }) => r.dimension_code === OVERALL).score).toBeCloseTo(
      expected.overall.score!,
      9,
    );
    expect(
      rows.every(
        (r: { is_latest: boolean; closed_at: Date }) =>
          r.is_latest && new Date(r.closed_at).getTime() === new Date(closed.assessment.closedAt).getTime(),
      ),
    ).toBe(true);

    const history = await ok(
      'query($id: ID!) { organisationAssessmentHistory(organisationId: $id) { assessmentId status overallScore previousAssessmentId } }',
      { id: organisationId },
      firm.auth.VIEWER,
    );
    expect(history.organisationAssessmentHistory).toEqual([
      { assessmentId, status: 'CLOSED', overallScore: result.overall.score, previousAssessmentId: null },
    ]);

    const latest = await ok(
      'query($id: ID!) { organisation(id: $id) { latestResult { assessmentId overallScore levelCode closedAt } } }',
      { id: organisationId },
      firm.auth.VIEWER,
    );
    expect(latest.organisation.latestResult).toEqual({
      assessmentId,
      overallScore: result.overall.score,
      levelCode: expected.overall.levelCode,
      closedAt: closed.assessment.closedAt,
    });
  });
});
