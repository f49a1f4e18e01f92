import { createTestFirm, type TestFirm } from './helpers/fixtures';
import {
  answersFor,
  closeAssessmentDirectly,
  ensureSeedFramework,
  insertAssessment,
  insertOrganisation,
  rng,
  type RespondentSpec,
  type StoredFramework,
} from './helpers/result-fixtures';
import { countSql, type SqlCounter } from './helpers/sql-counter';
import { startTestApp, type TestApp } from './helpers/test-app';

const LIST_QUERY = `
  query Orgs($first: Int!) {
    organisations(first: $first) {
      edges { node { id name latestResult { assessmentId overallScore overallLevel levelCode closedAt } } }
    }
  }`;

const RESULT_QUERY = `
  query Result($id: ID!) {
    assessmentResult(assessmentId: $id) {
      provisional respondentCount
      overall { score level { code title } knockedOutQuestions { code text } }
      dimensions { code title score level { code title } spread perceptionGap knockedOutQuestions { code text } }
      pyramid { height layers { dimension title gatedScore } }
      questions { code text score }
      recommendations { code title actions evidence { question text score } }
    }
  }`;

/** The statements of one GraphQL request, after checking that it succeeded. */
async function statementsOf(
  app: TestApp,
  counter: SqlCounter,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
) {
  const { result, statements } = await counter.during(() => app.gql(query, variables, headers));
  expect(result.errors).toBeUndefined();
  if (process.env.SHOW_SQL) console.log(`${statements.length} statements:\n${statements.join('\n')}`);
  return { data: result.data, statements };
}

describe('no N+1 queries', () => {
  let app: TestApp;
  let firm: TestFirm;
  let seed: StoredFramework;
  let counter: SqlCounter;

  beforeAll(async () => {
    app = await startTestApp();
    const ds = app.running.database.dataSource;
    firm = await createTestFirm(ds, 'N+1 Firm');
    seed = await ensureSeedFramework(ds);
    counter = countSql(ds);
  });
  afterAll(async () => {
    counter?.restore();
    await app?.stop();
  });

  it('lists 50 organisations with their latest result in a fixed number of statements', async () => {
    const ds = app.running.database.dataSource;
    const random = rng(1);
    const expectedLatest = new Map<string, string | null>();
    for (let i = 0; i < 50; i++) {
      const organisationId = await insertOrganisation(ds, firm.firmId, { name: `Org ${String(i).padStart(2, '0')}` });
      // Every fifth organisation has no closed assessment; every third has two (the later one counts).
      const closes = i % 5 === 0 ? 0 : i % 3 === 0 ? 2 : 1;
      let latest: string | null = null;
      for (let c = 0; c < closes; c++) {
        const { id } = await insertAssessment(ds, {
          firmId: firm.firmId,
          organisationId,
          framework: seed,
          status: 'OPEN',
          respondents: [{ role: 'EXECUTIVE', answers: answersFor(seed.document, random, c === 0 ? 0.2 : 0.8) }],
        });
        await closeAssessmentDirectly(ds, firm.firmId, id, new Date(Date.UTC(2026, 0, 10 + c)));
        latest = id;
      }
      expectedLatest.set(organisationId, latest);
    }

    await app.gql(LIST_QUERY, { first: 1 }, firm.auth.VIEWER); // warm-up: the key's last_used_at
    const small = await statementsOf(app, counter, LIST_QUERY, { first: 5 }, firm.auth.VIEWER);
    const big = await statementsOf(app, counter, LIST_QUERY, { first: 50 }, firm.auth.VIEWER);

    const nodes = big.data.organisations.edges.map((e: { node: any }) => e.node);
    expect(nodes).toHaveLength(50);
    const stored = new Map<string, { overall_score: number | null; overall_level: number | null; level_code: string }>(
      (
        await ds.query(
          `SELECT assessment_id, overall_score, overall_level, result -> 'overall' ->> 'levelCode' AS level_code FROM assessment_result WHERE firm_id = $1`,
          [firm.firmId],
        )
      ).map((r: { assessment_id: string }) => [r.assessment_id, r]),
    );
    for (const node of nodes) {
      const latest = expectedLatest.get(node.id);
      if (latest === null) {
        expect(node.latestResult).toBeNull();
        continue;
      }
      const row = stored.get(latest!)!;
      expect(node.latestResult).toEqual({
        assessmentId: latest,
        overallScore: row.overall_score,
        overallLevel: row.overall_level,
        levelCode: row.level_code,
        closedAt: expect.any(String),
      });
    }

    expect(big.statements.length).toBeLessThanOrEqual(6);
    // The count does not grow with the page size.
    expect(big.statements.length).toBe(small.statements.length);
    expect(big.statements.filter((s) => /assessment_result/.test(s))).toHaveLength(1);
  });

  it('lists assessments with their results (stored and live) in a fixed number of statements', async () => {
    const ds = app.running.database.dataSource;
    const own = await createTestFirm(ds, 'Assessment list firm');
    const random = rng(6);
    for (let i = 0; i < 20; i++) {
      const organisationId = await insertOrganisation(ds, own.firmId);
      const { id } = await insertAssessment(ds, {
        firmId: own.firmId,
        organisationId,
        framework: seed,
        status: 'OPEN',
        createdAt: new Date(Date.UTC(2026, 1, 1, 0, i)),
        respondents: [
          { role: 'EXECUTIVE', answers: answersFor(seed.document, random) },
          { role: 'MANAGER', answers: answersFor(seed.document, random) },
        ],
      });
      // Alternately closed and open, so that every page mixes stored and live results.
      if (i % 2 === 0) await closeAssessmentDirectly(ds, own.firmId, id);
    }
    const query = `
      query List($first: Int!) {
        assessments(first: $first) {
          edges { node { id status result { provisional respondentCount overall { score level { code title } } recommendations { code title } } } }
        }
      }`;
    await app.gql(query, { first: 1 }, own.auth.VIEWER);
    const small = await statementsOf(app, counter, query, { first: 4 }, own.auth.VIEWER);
    const big = await statementsOf(app, counter, query, { first: 20 }, own.auth.VIEWER);
    const nodes = big.data.assessments.edges.map((e: { node: any }) => e.node);
    expect(nodes).toHaveLength(20);
    for (const node of nodes) {
      expect(node.result.provisional).toBe(node.status === 'OPEN');
      expect(node.result.respondentCount).toBe(2);
    }
    expect(big.statements.length).toBeLessThanOrEqual(7);
    expect(big.statements.length).toBe(small.statements.length);
  });

  describe('one result with 100 respondents', () => {
    async function assessmentWith(respondents: number, seedNo: number): Promise<string> {
      const ds = app.running.database.dataSource;
      const organisationId = await insertOrganisation(ds, firm.firmId);
      const random = rng(seedNo);
      const specs: RespondentSpec[] = Array.from({ length: respondents }, (_, i) => ({
        role: ['EXECUTIVE', 'MANAGER', 'FRONTLINE'][i % 3],
        answers: answersFor(seed.document, random, (i % 10) / 10),
      }));
      const { id } = await insertAssessment(ds, {
        firmId: firm.firmId,
        organisationId,
        framework: seed,
        status: 'OPEN',
        respondents: specs,
      });
      return id;
    }

    it('reads a closed result in a fixed number of statements', async () => {
      const ds = app.running.database.dataSource;
      const small = await assessmentWith(10, 2);
      const big = await assessmentWith(100, 3);
      await closeAssessmentDirectly(ds, firm.firmId, small);
      await closeAssessmentDirectly(ds, firm.firmId, big);
      await app.gql(RESULT_QUERY, { id: small }, firm.auth.VIEWER); // warm-up: last_used_at, framework texts

      // First read: the assessment, then its stored result.
      const a = await statementsOf(app, counter, RESULT_QUERY, { id: big }, firm.auth.VIEWER);
      expect(a.data.assessmentResult.respondentCount).toBe(100);
      expect(a.data.assessmentResult.provisional).toBe(false);
      expect(a.data.assessmentResult.recommendations.length).toBeGreaterThan(0);
      expect(a.statements.length).toBeLessThanOrEqual(3);
      expect(a.statements.filter((s) => /FROM respondent|FROM answer/.test(s))).toEqual([]);
      // Later reads of a closed result: the assessment only (the localized result is cached).
      const b = await statementsOf(app, counter, RESULT_QUERY, { id: big }, firm.auth.VIEWER);
      const c = await statementsOf(app, counter, RESULT_QUERY, { id: small }, firm.auth.VIEWER);
      expect(b.data).toEqual(a.data);
      expect(b.statements.length).toBeLessThanOrEqual(2);
      expect(c.statements.length).toBe(b.statements.length);
    });

    it("computes an open assessment's live result in a fixed number of statements", async () => {
      const small = await assessmentWith(10, 4);
      const big = await assessmentWith(100, 5);
      await app.gql(RESULT_QUERY, { id: small }, firm.auth.VIEWER);

      const a = await statementsOf(app, counter, RESULT_QUERY, { id: small }, firm.auth.VIEWER);
      const b = await statementsOf(app, counter, RESULT_QUERY, { id: big }, firm.auth.VIEWER);
      expect(b.data.assessmentResult.provisional).toBe(true);
      expect(b.data.assessmentResult.respondentCount).toBe(100);
      expect(b.statements.length).toBeLessThanOrEqual(4);
      expect(b.statements.length).toBe(a.statements.length);
      // All answers of all respondents in one statement.
      expect(b.statements.filter((s) => /FROM respondent/.test(s))).toHaveLength(1);
    });
  });
});
