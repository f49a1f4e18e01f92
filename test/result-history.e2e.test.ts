import { randomUUID } from 'node:crypto';
import { roundHalfAwayFromZero } from '../src/scoring';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import {
  answersFor,
  closeAssessmentDirectly,
  ensureFramework,
  ensureSeedFramework,
  generatedFramework,
  insertAssessment,
  insertOrganisation,
  rng,
  type StoredFramework,
} from './helpers/result-fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

const HISTORY_QUERY = `
  query History($org: ID!, $key: String, $locale: Locale) {
    organisationAssessmentHistory(organisationId: $org, frameworkKey: $key, locale: $locale) {
      assessmentId title status frameworkKey frameworkVersion createdAt closedAt previousAssessmentId
      overallScore overallScoreRounded overallLevel { number code title } overallChange overallChangeRounded
      dimensions { code title group score scoreRounded level { number code } change changeRounded }
    }
  }`;

describe('organisation assessment history', () => {
  let app: TestApp;
  let firm: TestFirm;
  let other: TestFirm;
  let seed: StoredFramework;
  let own: StoredFramework;
  let organisationId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    const ds = app.running.database.dataSource;
    firm = await createTestFirm(ds, 'History Firm');
    other = await createTestFirm(ds, 'Other Firm');
    seed = await ensureSeedFramework(ds);
    own = await ensureFramework(ds, generatedFramework('service-strategy', 2, 2), firm.firmId);
    organisationId = await insertOrganisation(ds, firm.firmId);
    const random = rng(5);
    const respondentsAt = (framework: StoredFramework, bias: number) => [
      { role: 'EXECUTIVE', answers: answersFor(framework.document, random, bias) },
      { role: 'MANAGER', answers: answersFor(framework.document, random, bias) },
    ];
    const at = (day: number) => new Date(Date.UTC(2026, 0, day));
    // Created in this order; the second one closes before the first.
    const plan: Array<[string, StoredFramework, 'DRAFT' | 'OPEN' | 'CANCELLED', number, number | null, number]> = [
      ['A', seed, 'OPEN', 1, 20, 0.2],
      ['B', seed, 'OPEN', 2, 10, 0.5],
      ['OWN', own, 'OPEN', 3, 25, 0.5],
      ['C', seed, 'OPEN', 4, 30, 0.9],
      ['LIVE', seed, 'OPEN', 5, null, 0.5],
      ['DRAFT', seed, 'DRAFT', 6, null, 0.5],
    ];
    for (const [name, framework, status, created, closed, bias] of plan) {
      const { id } = await insertAssessment(ds, {
        firmId: firm.firmId,
        organisationId,
        framework,
        status,
        title: `Assessment ${name}`,
        createdAt: at(created),
        respondents: status === 'OPEN' ? respondentsAt(framework, bias) : [],
      });
      ids[name] = id;
      if (closed !== null) await closeAssessmentDirectly(ds, firm.firmId, id, at(closed));
    }
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('lists the assessments oldest first with stored scores and changes since the previous closed one on the same framework', async () => {
    const res = await app.gql(HISTORY_QUERY, { org: organisationId }, firm.auth.VIEWER);
    expect(res.errors).toBeUndefined();
    const entries = res.data.organisationAssessmentHistory;
    expect(entries.map((e: { assessmentId: string }) => e.assessmentId)).toEqual([
      ids.A,
      ids.B,
      ids.OWN,
      ids.C,
      ids.LIVE,
      ids.DRAFT,
    ]);
    const byId = new Map<string, any>(entries.map((e: { assessmentId: string }) => [e.assessmentId, e]));
    const ds = app.running.database.dataSource;
    const stored = async (id: string) =>
      (
        await ds.query('SELECT result FROM assessment_result WHERE firm_id = $1 AND assessment_id = $2', [
          firm.firmId,
          id,
        ])
      )[0].result;
    const [a, b, c] = [await stored(ids.A), await stored(ids.B), await stored(ids.C)];

    // B closed first: no previous. A closed after B: changes against B. C: against A.
    const eB = byId.get(ids.B);
    expect(eB.previousAssessmentId).toBeNull();
    expect(eB.overallChange).toBeNull();
    expect(eB.dimensions.every((d: { change: number | null }) => d.change === null)).toBe(true);

    const eA = byId.get(ids.A);
    expect(eA.status).toBe('CLOSED');
    expect(eA.previousAssessmentId).toBe(ids.B);
    expect(eA.overallScore).toBe(a.overall.score);
    expect(eA.overallScoreRounded).toBe(roundHalfAwayFromZero(a.overall.score));
    expect(eA.overallLevel.number).toBe(a.overall.level);
    expect(eA.overallLevel.title).toBe(seed.document.levels.find((l) => l.level === a.overall.level)!.title.en);
    expect(eA.overallChange).toBeCloseTo(a.overall.score - b.overall.score, 10);
    expect(eA.dimensions.map((d: { code: string }) => d.code)).toEqual(seed.document.dimensions.map((d) => d.code));
    for (const d of eA.dimensions) {
      const now = a.dimensions.find((x: { dimension: string }) => x.dimension === d.code).score;
      const before = b.dimensions.find((x: { dimension: string }) => x.dimension === d.code).score;
      expect(d.score).toBe(now);
      expect(d.title).toBe(seed.document.dimensions.find((x) => x.code === d.code)!.title.en);
      if (now === null || before === null) expect(d.change).toBeNull();
      else {
        expect(d.change).toBeCloseTo(now - before, 10);
        expect(d.changeRounded).toBe(roundHalfAwayFromZero(now - before));
      }
    }
    expect(eA.dimensions.some((d: { change: number | null }) => d.change !== null)).toBe(true);

    const eC = byId.get(ids.C);
    expect(eC.previousAssessmentId).toBe(ids.A);
    expect(eC.overallChange).toBeCloseTo(c.overall.score - a.overall.score, 10);

    // The firm's own framework with the same key is another framework: no previous.
    const eOwn = byId.get(ids.OWN);
    expect(eOwn.frameworkKey).toBe('service-strategy');
    expect(eOwn.previousAssessmentId).toBeNull();
    expect(eOwn.dimensions.map((d: { code: string }) => d.code)).toEqual(['DIM_1', 'DIM_2']);

    // Not closed: status only.
    for (const [id, status] of [
      [ids.LIVE, 'OPEN'],
      [ids.DRAFT, 'DRAFT'],
    ]) {
      const e = byId.get(id);
      expect(e.status).toBe(status);
      expect(e.closedAt).toBeNull();
      expect(e.overallScore).toBeNull();
      expect(e.overallLevel).toBeNull();
      expect(e.dimensions).toEqual([]);
    }
  });

  it('filters by framework key and localizes', async () => {
    const res = await app.gql(HISTORY_QUERY, { org: organisationId, key: 'no-such-framework' }, firm.auth.VIEWER);
    expect(res.errors).toBeUndefined();
    expect(res.data.organisationAssessmentHistory).toEqual([]);
    const ru = await app.gql(
      HISTORY_QUERY,
      { org: organisationId, key: 'service-strategy', locale: 'RU' },
      firm.auth.VIEWER,
    );
    const entry = ru.data.organisationAssessmentHistory.find((e: { assessmentId: string }) => e.assessmentId === ids.A);
    expect(entry.dimensions[0].title).toBe(seed.document.dimensions[0].title.ru);
  });

  it("answers NOT_FOUND for another firm's organisation, an unknown id and a malformed id", async () => {
    for (const [org, auth] of [
      [organisationId, other.auth.VIEWER],
      [randomUUID(), firm.auth.VIEWER],
      ['nope', firm.auth.VIEWER],
    ] as const) {
      const res = await app.gql(HISTORY_QUERY, { org }, auth);
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    const anonymous = await app.gql(HISTORY_QUERY, { org: organisationId });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
