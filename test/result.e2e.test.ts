import { randomUUID } from 'node:crypto';
import { Assessment } from '../src/modules/assessment/assessment.entity';
import { buildScoringInput } from '../src/modules/result/result-store';
import { OVERALL } from '../src/modules/benchmark/benchmark-score.entity';
import { toFrameworkDef } from '../src/modules/framework/framework-convert';
import { roundHalfAwayFromZero, scoreAssessment, type AssessmentResult, type RespondentInput } from '../src/scoring';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import {
  answersFor,
  closeAssessmentDirectly,
  ensureFramework,
  ensureSeedFramework,
  generatedFramework,
  insertAssessment,
  insertOrganisation,
  insertRespondents,
  rng,
  type RespondentSpec,
  type StoredFramework,
} from './helpers/result-fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

const RESULT_QUERY = `
  query Result($id: ID!, $locale: Locale) {
    assessmentResult(assessmentId: $id, locale: $locale) {
      assessmentId provisional computedAt scoringMethod locale respondentCount
      overall { group score scoreRounded level { number code title } uncappedLevel { number code } knockedOutQuestions { code text } knockoutCapped }
      dimensions {
        code title group layer weight score scoreRounded level { number code title } uncappedLevel { number code title }
        coverage confidence spread spreadRounded respondentsScored executiveMean othersMean perceptionGap perceptionGapRounded perceptionGapFlagged
        knockedOutQuestions { code text } cappedBy { capLevel questions { code text } }
      }
      pyramid { group height firstWeakLayer firstWeakDimension
        layers { layer dimension title rawScore rawScoreRounded gatedScore gatedScoreRounded gatedLevel { number code title } cappedByLayer cappedByDimension solid } }
      questions { code text score scoreRounded scoredRespondents weightSum knockedOut excludedFromCoverage }
      recommendations {
        code dimension dimensionTitle question tier tierName priority gap target targetRounded threshold weight impact effort horizon
        title body actions source evidence { question text score scoreRounded linkWeight shortfall }
      }
      ignoredAnswers { respondentId question code }
    }
  }`;

function engineResult(
  framework: StoredFramework,
  respondents: Array<{ id: string } & RespondentSpec>,
  roleWeights: Record<string, number> = {},
): AssessmentResult {
  const inputs: RespondentInput[] = respondents
    .filter((r) => (r.status ?? 'SUBMITTED') === 'SUBMITTED')
    .map((r) => ({ id: r.id, role: r.role, answers: r.answers }));
  return scoreAssessment({ framework: toFrameworkDef(framework.document), respondents: inputs, roleWeights });
}

describe('assessment results', () => {
  let app: TestApp;
  let firm: TestFirm;
  let other: TestFirm;
  let seed: StoredFramework;

  beforeAll(async () => {
    app = await startTestApp();
    const ds = app.running.database.dataSource;
    firm = await createTestFirm(ds, 'Results Firm');
    other = await createTestFirm(ds, 'Other Firm');
    seed = await ensureSeedFramework(ds);
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** An OPEN assessment of a new organisation with `n` respondents (the first of them EXECUTIVE). */
  async function openAssessmentWith(n: number, seedNo: number, extra: Partial<RespondentSpec>[] = []) {
    const ds = app.running.database.dataSource;
    const organisationId = await insertOrganisation(ds, firm.firmId);
    const random = rng(seedNo);
    const specs: RespondentSpec[] = Array.from({ length: n }, (_, i) => ({
      role: i === 0 ? 'EXECUTIVE' : i % 2 ? 'MANAGER' : 'FRONTLINE',
      answers: answersFor(seed.document, random, i === 0 ? 0.9 : 0.3),
      ...extra[i],
    }));
    const roleWeights = { EXECUTIVE: 2, MANAGER: 1, FRONTLINE: 1 };
    const { id, respondentIds } = await insertAssessment(ds, {
      firmId: firm.firmId,
      organisationId,
      framework: seed,
      status: 'OPEN',
      roleWeights,
      respondents: specs,
    });
    return { id, organisationId, roleWeights, respondents: specs.map((s, i) => ({ ...s, id: respondentIds[i] })) };
  }

  it('returns the stored result of a closed assessment with localized texts and rounded scores', async () => {
    const ds = app.running.database.dataSource;
    const a = await openAssessmentWith(6, 11, [{}, {}, {}, {}, { status: 'IN_PROGRESS' }]);
    await closeAssessmentDirectly(ds, firm.firmId, a.id);
    const expected = engineResult(seed, a.respondents, a.roleWeights);

    const res = await app.gql(RESULT_QUERY, { id: a.id }, firm.auth.VIEWER);
    expect(res.errors).toBeUndefined();
    const r = res.data.assessmentResult;
    expect(r.assessmentId).toBe(a.id);
    expect(r.provisional).toBe(false);
    expect(r.scoringMethod).toBe('1');
    expect(r.locale).toBe('EN');
    expect(r.respondentCount).toBe(5);
    expect(r.respondentCount).toBe(expected.respondentCount);

    expect(r.overall.score).toBeCloseTo(expected.overall.score!, 10);
    expect(r.overall.scoreRounded).toBe(roundHalfAwayFromZero(expected.overall.score));
    expect(r.overall.level.number).toBe(expected.overall.level);
    expect(r.overall.level.code).toBe(expected.overall.levelCode);
    const levelDoc = seed.document.levels.find((l) => l.level === expected.overall.level)!;
    expect(r.overall.level.title).toBe(levelDoc.title.en);
    expect(r.overall.knockoutCapped).toBe(expected.overall.knockoutCapped);
    expect(r.overall.knockedOutQuestions.map((q: { code: string }) => q.code)).toEqual(
      expected.overall.knockedOutQuestions,
    );

    // Every dimension of every group, in framework order, with the engine's numbers.
    expect(r.dimensions.map((d: { code: string }) => d.code)).toEqual(seed.document.dimensions.map((d) => d.code));
    for (const [i, d] of expected.dimensions.entries()) {
      const got = r.dimensions[i];
      expect(got.title).toBe(seed.document.dimensions[i].title.en);
      expect(got.group).toBe(d.group);
      expect(got.layer).toBe(d.layer);
      expect(got.score).toBeCloseTo(d.score!, 10);
      expect(got.scoreRounded).toBe(roundHalfAwayFromZero(d.score));
      expect(got.level?.code ?? null).toBe(d.levelCode);
      expect(got.uncappedLevel?.number ?? null).toBe(d.uncappedLevel);
      expect(got.coverage).toBe(d.coverage);
      expect(got.confidence).toBe(d.confidence);
      expect(got.spread).toBeCloseTo(d.spread!, 10);
      expect(got.perceptionGap).toBeCloseTo(d.perceptionGap!, 10);
      expect(got.perceptionGapFlagged).toBe(d.perceptionGapFlagged);
      expect(got.knockedOutQuestions.map((q: { code: string }) => q.code)).toEqual(d.knockedOutQuestions);
      expect(got.cappedBy?.capLevel ?? null).toBe(d.cappedBy?.capLevel ?? null);
    }

    // The pyramid bottom to top.
    expect(r.pyramid.group).toBe('PYRAMID');
    expect(r.pyramid.height).toBe(expected.pyramid!.height);
    expect(r.pyramid.firstWeakLayer).toBe(expected.pyramid!.firstWeakLayer);
    expect(r.pyramid.layers.map((l: { layer: number }) => l.layer)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const [i, l] of expected.pyramid!.layers.entries()) {
      expect(r.pyramid.layers[i].dimension).toBe(l.dimension);
      expect(r.pyramid.layers[i].gatedScore).toBeCloseTo(l.gatedScore!, 10);
      expect(r.pyramid.layers[i].cappedByLayer).toBe(l.cappedByLayer);
    }

    // Question scores in questionnaire order, with texts.
    expect(r.questions).toHaveLength(seed.document.questions.length);
    expect(r.questions[0].text).toBe(seed.document.questions[0].text.en);

    // Recommendations in engine order with their texts and evidence.
    expect(expected.recommendations.length).toBeGreaterThan(0);
    expect(r.recommendations.map((x: { code: string }) => x.code)).toEqual(expected.recommendations.map((x) => x.code));
    for (const [i, rec] of expected.recommendations.entries()) {
      const got = r.recommendations[i];
      const doc = seed.document.recommendations.find((t) => t.code === rec.code)!;
      expect(got.tier).toBe(rec.tier);
      expect(got.tierName).toBe(rec.tierName);
      expect(got.priority).toBeCloseTo(rec.priority, 12);
      expect(got.title).toBe(doc.title.en);
      expect(got.body).toBe(doc.body.en);
      expect(got.actions).toEqual(doc.actions.map((x) => x.en));
      expect(got.source).toBe(doc.source);
      expect(got.evidence.map((e: { question: string }) => e.question)).toEqual(rec.evidence.map((e) => e.question));
      for (const e of got.evidence) {
        expect(e.text).toBe(seed.document.questions.find((q) => q.code === e.question)!.text.en);
      }
    }
    expect(r.ignoredAnswers).toEqual([]);

    // Russian texts on request.
    const ru = await app.gql(RESULT_QUERY, { id: a.id, locale: 'RU' }, firm.auth.VIEWER);
    expect(ru.errors).toBeUndefined();
    expect(ru.data.assessmentResult.locale).toBe('RU');
    expect(ru.data.assessmentResult.dimensions[0].title).toBe(seed.document.dimensions[0].title.ru);
    expect(ru.data.assessmentResult.overall.level.title).toBe(levelDoc.title.ru);
    expect(ru.data.assessmentResult.recommendations[0].title).toBe(
      seed.document.recommendations.find((t) => t.code === expected.recommendations[0].code)!.title.ru,
    );
  });

  it('never recomputes a closed result: later changes to the answers do not show', async () => {
    const ds = app.running.database.dataSource;
    const a = await openAssessmentWith(3, 12);
    await closeAssessmentDirectly(ds, firm.firmId, a.id);
    const before = await app.gql(RESULT_QUERY, { id: a.id }, firm.auth.VIEWER);
    // Tamper with the stored answers behind the API's back: a recomputation would change the scores.
    const [, changed] = await ds.query(
      `UPDATE answer SET value = '1'::jsonb WHERE firm_id = $1 AND assessment_id = $2 AND question_code IN ('LEAD_01', 'LEAD_02', 'LEAD_05', 'LEAD_06') AND value <> '1'::jsonb`,
      [firm.firmId, a.id],
    );
    expect(changed).toBeGreaterThan(0);
    // In the other locale, so that the read goes to the stored result (not a view cached by the first read).
    const after = await app.gql(RESULT_QUERY, { id: a.id, locale: 'RU' }, firm.auth.VIEWER);
    expect(after.errors).toBeUndefined();
    const numbers = (r: any) => ({
      overall: r.overall.score,
      dimensions: r.dimensions.map((d: { score: number | null }) => d.score),
      questions: r.questions.map((q: { score: number | null }) => q.score),
      recommendations: r.recommendations.map((x: { code: string; priority: number }) => [x.code, x.priority]),
      computedAt: r.computedAt,
    });
    expect(numbers(after.data.assessmentResult)).toEqual(numbers(before.data.assessmentResult));
    // What a recomputation from the tampered answers would give differs.
    const live = await app.running.database.dataSource.transaction(async (manager) => {
      const assessment = await manager.findOneOrFail(Assessment, { where: { firmId: firm.firmId, id: a.id } });
      return scoreAssessment((await buildScoringInput(manager, assessment)).input);
    });
    expect(live.questions.map((q) => q.score)).not.toEqual(numbers(before.data.assessmentResult).questions);
    const [row] = await ds.query(
      'SELECT computed_at FROM assessment_result WHERE firm_id = $1 AND assessment_id = $2',
      [firm.firmId, a.id],
    );
    expect(new Date(after.data.assessmentResult.computedAt).getTime()).toBe(new Date(row.computed_at).getTime());
  });

  it('returns a live provisional result for an open assessment from the submitted responses only', async () => {
    const ds = app.running.database.dataSource;
    const a = await openAssessmentWith(4, 13, [{}, {}, { status: 'IN_PROGRESS' }, { status: 'INVITED' }]);
    const started = Date.now();
    const res = await app.gql(RESULT_QUERY, { id: a.id }, firm.auth.VIEWER);
    expect(res.errors).toBeUndefined();
    const r = res.data.assessmentResult;
    expect(r.provisional).toBe(true);
    expect(new Date(r.computedAt).getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(r.respondentCount).toBe(2);
    const expected = engineResult(seed, a.respondents, a.roleWeights);
    expect(r.overall.score).toBeCloseTo(expected.overall.score!, 10);

    // One more submitted response changes the live result; nothing is stored.
    const random = rng(99);
    await insertRespondents(ds, firm.firmId, a.id, [
      { role: 'FRONTLINE', answers: answersFor(seed.document, random, 0.95) },
    ]);
    const again = await app.gql(RESULT_QUERY, { id: a.id }, firm.auth.VIEWER);
    expect(again.data.assessmentResult.respondentCount).toBe(3);
    expect(again.data.assessmentResult.overall.score).not.toBeCloseTo(r.overall.score, 6);
    const stored = await ds.query('SELECT 1 FROM assessment_result WHERE firm_id = $1 AND assessment_id = $2', [
      firm.firmId,
      a.id,
    ]);
    expect(stored).toHaveLength(0);
  });

  it('gives an open assessment without submitted responses an empty provisional result', async () => {
    const a = await openAssessmentWith(1, 14, [{ status: 'IN_PROGRESS' }]);
    const res = await app.gql(RESULT_QUERY, { id: a.id }, firm.auth.VIEWER);
    expect(res.errors).toBeUndefined();
    expect(res.data.assessmentResult.respondentCount).toBe(0);
    expect(res.data.assessmentResult.overall.score).toBeNull();
    expect(res.data.assessmentResult.overall.level).toBeNull();
    expect(res.data.assessmentResult.recommendations).toEqual([]);
  });

  it('answers CONFLICT for DRAFT and CANCELLED assessments', async () => {
    const ds = app.running.database.dataSource;
    const organisationId = await insertOrganisation(ds, firm.firmId);
    for (const status of ['DRAFT', 'CANCELLED'] as const) {
      const { id } = await insertAssessment(ds, { firmId: firm.firmId, organisationId, framework: seed, status });
      const res = await app.gql(RESULT_QUERY, { id }, firm.auth.VIEWER);
      expect(res.data).toBeNull();
      expect(res.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(res.errors?.[0].message).toContain(status);
    }
  });

  it("answers NOT_FOUND for another firm's assessment, an unknown id and a malformed id alike", async () => {
    const a = await openAssessmentWith(1, 15);
    for (const [id, auth] of [
      [a.id, other.auth.VIEWER],
      [randomUUID(), firm.auth.VIEWER],
      ['not-a-uuid', firm.auth.VIEWER],
    ] as const) {
      const res = await app.gql(RESULT_QUERY, { id }, auth);
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('needs a key', async () => {
    const a = await openAssessmentWith(1, 16);
    const res = await app.gql(RESULT_QUERY, { id: a.id });
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown locale naming the argument', async () => {
    const a = await openAssessmentWith(1, 17);
    const res = await app.gql(RESULT_QUERY, { id: a.id, locale: 'DE' }, firm.auth.VIEWER);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('locale');
  });

  describe('stored benchmark rows', () => {
    it('writes one row per dimension plus the overall score, and keeps is_latest on the latest closed assessment', async () => {
      const ds = app.running.database.dataSource;
      const organisationId = await insertOrganisation(ds, firm.firmId, {
        industry: 'K',
        sizeBand: '10-49',
        country: 'FR',
        excluded: true,
      });
      const random = rng(21);
      const make = async () =>
        (
          await insertAssessment(ds, {
            firmId: firm.firmId,
            organisationId,
            framework: seed,
            status: 'OPEN',
            respondents: [{ role: 'EXECUTIVE', answers: answersFor(seed.document, random) }],
          })
        ).id;
      const first = await make();
      const second = await make();
      const t1 = new Date('2026-01-10T10:00:00Z');
      const t2 = new Date('2026-03-10T10:00:00Z');
      await closeAssessmentDirectly(ds, firm.firmId, first, t1);

      const rowsOf = async (assessmentId: string) =>
        ds.query(
          `SELECT dimension_code, organisation_id, framework_key, framework_major, score, industry, size_band, country, is_latest, excluded, closed_at
             FROM benchmark_score WHERE firm_id = $1 AND assessment_id = $2 ORDER BY dimension_code`,
          [firm.firmId, assessmentId],
        );
      const firstRows = await rowsOf(first);
      expect(firstRows.map((r: { dimension_code: string }) => r.dimension_code).sort()).toEqual(
        [...seed.document.dimensions.map((d) => d.code), OVERALL].sort(),
      );
      const [stored] = await ds.query(
        'SELECT result, overall_score, overall_level, respondent_count, scoring_method FROM assessment_result WHERE firm_id = $1 AND assessment_id = $2',
        [firm.firmId, first],
      );
      expect(stored.scoring_method).toBe('1');
      expect(stored.respondent_count).toBe(1);
      expect(stored.overall_score).toBe(stored.result.overall.score);
      expect(stored.overall_level).toBe(stored.result.overall.level);
      for (const row of firstRows) {
        expect(row).toMatchObject({
          organisation_id: organisationId,
          framework_key: 'service-strategy',
          framework_major: 1,
          industry: 'K',
          size_band: '10-49',
          country: 'FR',
          is_latest: true,
          excluded: true,
        });
        expect(new Date(row.closed_at).getTime()).toBe(t1.getTime());
        const expectedScore =
          row.dimension_code === OVERALL
            ? stored.result.overall.score
            : stored.result.dimensions.find((d: { dimension: string }) => d.dimension === row.dimension_code).score;
        expect(row.score).toBe(expectedScore);
      }

      await closeAssessmentDirectly(ds, firm.firmId, second, t2);
      expect((await rowsOf(second)).every((r: { is_latest: boolean }) => r.is_latest)).toBe(true);
      expect((await rowsOf(first)).every((r: { is_latest: boolean }) => !r.is_latest)).toBe(true);
    });

    it('keeps exactly one latest assessment when several of an organisation close at once', async () => {
      const ds = app.running.database.dataSource;
      const organisationId = await insertOrganisation(ds, firm.firmId);
      const random = rng(23);
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const { id } = await insertAssessment(ds, {
          firmId: firm.firmId,
          organisationId,
          framework: seed,
          status: 'OPEN',
          respondents: [{ role: 'EXECUTIVE', answers: answersFor(seed.document, random) }],
        });
        ids.push(id);
      }
      // Distinct closing times, closed concurrently in separate transactions.
      await Promise.all(
        ids.map((id, i) => closeAssessmentDirectly(ds, firm.firmId, id, new Date(Date.UTC(2026, 4, 1 + i)))),
      );
      const latest = await ds.query(
        'SELECT DISTINCT assessment_id FROM benchmark_score WHERE firm_id = $1 AND organisation_id = $2 AND is_latest',
        [firm.firmId, organisationId],
      );
      expect(latest).toEqual([{ assessment_id: ids[5] }]);
    });

    it("keys a firm's own framework by owner and key, and flags the latest per framework", async () => {
      const ds = app.running.database.dataSource;
      const own = await ensureFramework(ds, generatedFramework('own-framework', 3, 2), firm.firmId);
      const organisationId = await insertOrganisation(ds, firm.firmId);
      const random = rng(22);
      const ownId = (
        await insertAssessment(ds, {
          firmId: firm.firmId,
          organisationId,
          framework: own,
          status: 'OPEN',
          respondents: [{ role: 'EXECUTIVE', answers: answersFor(own.document, random) }],
        })
      ).id;
      const seedId = (
        await insertAssessment(ds, {
          firmId: firm.firmId,
          organisationId,
          framework: seed,
          status: 'OPEN',
          respondents: [{ role: 'EXECUTIVE', answers: answersFor(seed.document, random) }],
        })
      ).id;
      await closeAssessmentDirectly(ds, firm.firmId, ownId, new Date('2026-02-01T00:00:00Z'));
      await closeAssessmentDirectly(ds, firm.firmId, seedId, new Date('2026-02-02T00:00:00Z'));
      const rows = await ds.query(
        'SELECT DISTINCT assessment_id, framework_key, is_latest FROM benchmark_score WHERE firm_id = $1 AND organisation_id = $2 ORDER BY framework_key',
        [firm.firmId, organisationId],
      );
      expect(rows).toEqual([
        { assessment_id: ownId, framework_key: `${firm.firmId}:own-framework`, is_latest: true },
        { assessment_id: seedId, framework_key: 'service-strategy', is_latest: true },
      ]);
      // A group with no layered dimensions has no pyramid.
      const res = await app.gql(RESULT_QUERY, { id: ownId }, firm.auth.VIEWER);
      expect(res.errors).toBeUndefined();
      expect(res.data.assessmentResult.pyramid).toBeNull();
      expect(res.data.assessmentResult.dimensions).toHaveLength(3);
    });
  });
});
