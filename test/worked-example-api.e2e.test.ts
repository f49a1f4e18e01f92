/**
 * The worked example of docs/framework.md answered through the API, as a firm and its
 * three respondents would: the closed result must carry exactly the engine's figures that
 * the document shows (test/worked-example.test.ts ties the document to the engine).
 */
import { scoreAssessment, type AssessmentResult } from '../src/scoring';
import { loadWorkedExample, toAnswer } from '../scripts/worked-example';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

const SIZE_BAND_ENUM: Record<string, string> = {
  '1-9': 'S1_9',
  '10-49': 'S10_49',
  '50-249': 'S50_249',
  '250-999': 'S250_999',
  '1000+': 'S1000_PLUS',
};

describe('the worked example answered through the API', () => {
  let app: TestApp;
  let firm: TestFirm;
  const { example, input } = loadWorkedExample();
  const expected: AssessmentResult = scoreAssessment(input);

  beforeAll(async () => {
    app = await startTestApp();
    firm = await createTestFirm(app.running.database.dataSource, 'Worked Example Consulting');
  });
  afterAll(async () => {
    await app?.stop();
  });

  const ok = <T = any>(query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
    app.ok<T>(query, variables, headers);

  it('gives exactly the documented figures', async () => {
    const auth = firm.auth.CONSULTANT;
    const frameworks = await ok(
      `query { frameworks(filter: { key: "${example.framework.key}" }) { edges { node { id key version } } } }`,
      {},
      auth,
    );
    const framework = frameworks.frameworks.edges
      .map((e: any) => e.node)
      .find((n: any) => n.version === example.framework.version);
    expect(framework).toBeDefined();

    const o = example.organisation;
    const org = await ok(
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      { input: { name: o.name, industry: o.industry, sizeBand: SIZE_BAND_ENUM[o.sizeBand], country: o.country } },
      auth,
    );
    const assessment = await ok(
      `mutation($input: CreateAssessmentInput!) { createAssessment(input: $input) { id status } }`,
      {
        input: {
          organisationId: org.createOrganisation.id,
          frameworkVersionId: framework.id,
          title: 'Worked example',
          roleWeights: Object.entries(example.roleWeights).map(([role, weight]) => ({ role, weight })),
        },
      },
      auth,
    );
    const assessmentId = assessment.createAssessment.id;
    await ok(`mutation($id: ID!) { openAssessment(id: $id) { status } }`, { id: assessmentId }, auth);
    const invited = await ok(
      `mutation($input: InviteRespondentsInput!) { inviteRespondents(input: $input) { token respondent { name role } } }`,
      {
        input: {
          assessmentId,
          respondents: example.respondents.map((r, i) => ({
            name: r.name,
            email: `person${i + 1}@nordwind.example`,
            role: r.role,
          })),
        },
      },
      auth,
    );

    for (const [i, respondent] of example.respondents.entries()) {
      const token = { authorization: `Bearer ${invited.inviteRespondents[i].token}` };
      // Saved in reverse questionnaire order, in two calls, as a respondent jumping around would.
      const answers = Object.entries(respondent.answers)
        .reverse()
        .map(([question, raw]) => {
          const a = toAnswer(raw);
          return a.notApplicable ? { question, notApplicable: true } : { question, value: a.value };
        });
      const half = Math.ceil(answers.length / 2);
      for (const part of [answers.slice(0, half), answers.slice(half)]) {
        const saved = await ok(
          `mutation($input: SaveAnswersInput!) { saveAnswers(input: $input) { results { outcome } } }`,
          { input: { answers: part } },
          token,
        );
        expect(saved.saveAnswers.results.every((r: any) => r.outcome === 'APPLIED')).toBe(true);
      }
      const submitted = await ok(`mutation { submitResponse { status } }`, {}, token);
      expect(submitted.submitResponse.status).toBe('SUBMITTED');
    }

    await ok(`mutation($id: ID!) { closeAssessment(id: $id) { status } }`, { id: assessmentId }, auth);
    const { assessmentResult: result } = await ok(
      `query($id: ID!) { assessmentResult(assessmentId: $id) {
        provisional respondentCount
        overall { score level { number code } knockoutCapped }
        dimensions { code score level { number } coverage confidence spread perceptionGap perceptionGapFlagged }
        pyramid { height firstWeakLayer layers { layer dimension rawScore gatedScore cappedByLayer } }
        recommendations { code tier priority evidence { question } }
      } }`,
      { id: assessmentId },
      firm.auth.VIEWER,
    );

    expect(result.provisional).toBe(false);
    expect(result.respondentCount).toBe(3);
    expect(result.overall.score).toBeCloseTo(expected.overall.score!, 9);
    expect(result.overall.level.number).toBe(expected.overall.level);
    expect(result.overall.knockoutCapped).toBe(expected.overall.knockoutCapped);
    expect(
      result.dimensions.map((d: any) => [d.code, d.level?.number ?? null, d.confidence, d.perceptionGapFlagged]),
    ).toEqual(expected.dimensions.map((d) => [d.dimension, d.level, d.confidence, d.perceptionGapFlagged]));
    result.dimensions.forEach((d: any, i: number) => {
      const e = expected.dimensions[i];
      expect(d.score).toBeCloseTo(e.score!, 9);
      expect(d.coverage).toBeCloseTo(e.coverage!, 9);
      expect(d.spread).toBeCloseTo(e.spread!, 9);
      expect(d.perceptionGap).toBeCloseTo(e.perceptionGap!, 9);
    });
    expect(result.pyramid.height).toBe(expected.pyramid!.height);
    expect(result.pyramid.firstWeakLayer).toBe(expected.pyramid!.firstWeakLayer);
    expect(result.pyramid.layers.map((l: any) => [l.layer, l.dimension, l.cappedByLayer])).toEqual(
      expected.pyramid!.layers.map((l) => [l.layer, l.dimension, l.cappedByLayer]),
    );
    result.pyramid.layers.forEach((l: any, i: number) =>
      expect(l.gatedScore).toBeCloseTo(expected.pyramid!.layers[i].gatedScore!, 9),
    );
    expect(result.recommendations.map((r: any) => [r.code, r.tier, r.evidence.map((e: any) => e.question)])).toEqual(
      expected.recommendations.map((r) => [r.code, r.tier, r.evidence.map((e) => e.question)]),
    );
  });
});
