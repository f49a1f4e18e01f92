import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from './helpers/test-app';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { countSql } from './helpers/sql-counter';
import {
  createAssessmentViaApi,
  defaultFrameworkDef,
  defaultFrameworkId,
  insertOrganisation,
  inviteViaApi,
  tokenAuth,
  validValue,
} from './helpers/assessment-fixtures';

const INVITE = `mutation Invite($input: InviteRespondentsInput!) {
  inviteRespondents(input: $input) { token expiresAt respondent { id assessmentId name email role status tokenPrefix tokenExpiresAt tokenActive createdAt } }
}`;
const RESPONDENTS = `query R($id: ID!) {
  respondents(assessmentId: $id) {
    id name email role status tokenPrefix tokenActive tokenRevokedAt submittedAt lastActivityAt
    progress { visible answered required requiredAnswered }
  }
}`;
const REVOKE = `mutation Revoke($id: ID!) { revokeRespondentToken(respondentId: $id) { id tokenActive tokenRevokedAt tokenPrefix } }`;
const REISSUE = `mutation Reissue($id: ID!, $expiresAt: DateTimeISO) {
  reissueRespondentToken(respondentId: $id, expiresAt: $expiresAt) { token expiresAt respondent { id tokenActive tokenPrefix tokenRevokedAt } }
}`;
const REMOVE = `mutation Remove($id: ID!) { removeRespondent(respondentId: $id) }`;
const QUESTIONNAIRE = `{ questionnaire { respondentName tokenExpiresAt } }`;
const SAVE = `mutation S($input: SaveAnswersInput!) { saveAnswers(input: $input) { status } }`;
const DAY = 86_400_000;

describe('invitations and link tokens', () => {
  let app: TestApp;
  let firm: TestFirm;
  let other: TestFirm;
  let orgId: string;
  let frameworkId: string;

  beforeAll(async () => {
    app = await startTestApp();
    const ds = app.running.database.dataSource;
    firm = await createTestFirm(ds, 'Firm A');
    other = await createTestFirm(ds, 'Firm B');
    frameworkId = await defaultFrameworkId(ds);
    orgId = await insertOrganisation(ds, firm.firmId);
  });
  afterAll(async () => {
    await app?.stop();
  });

  const newAssessment = (extra: Record<string, unknown> = {}, open = true) =>
    createAssessmentViaApi(
      app,
      firm.auth.CONSULTANT,
      { organisationId: orgId, frameworkVersionId: frameworkId, title: 'Invitations', ...extra },
      { open },
    );
  const invite = (
    assessmentId: string,
    respondents: unknown[],
    extra: Record<string, unknown> = {},
    auth = firm.auth.CONSULTANT,
  ) => app.gql(INVITE, { input: { assessmentId, respondents, ...extra } }, auth);

  it('returns each token once and stores only its SHA-256 with a short prefix', async () => {
    const id = await newAssessment({}, false);
    const res = await invite(id, [
      { name: 'Ivan Petrov', email: 'ivan@example.com', role: 'EXECUTIVE' },
      { name: 'Olga', email: 'Olga@Example.com', role: 'FRONTLINE' },
    ]);
    expect(res.errors).toBeUndefined();
    const invitations = res.data.inviteRespondents;
    expect(invitations).toHaveLength(2);
    const [a, b] = invitations;
    expect(a.token).toMatch(/^ssr_[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.respondent).toMatchObject({
      assessmentId: id,
      name: 'Ivan Petrov',
      role: 'EXECUTIVE',
      status: 'INVITED',
      tokenActive: true,
      tokenPrefix: a.token.slice(0, 12),
    });
    // No assessment due date: 90 days.
    expect(Math.abs(Date.parse(a.expiresAt) - (Date.now() + 90 * DAY))).toBeLessThan(60_000);

    const rows = await app.running.database.dataSource.query(
      'SELECT * FROM respondent WHERE firm_id = $1 AND assessment_id = $2',
      [firm.firmId, id],
    );
    const stored = JSON.stringify(rows);
    for (const inv of invitations) {
      expect(stored).not.toContain(inv.token);
      expect(rows.find((r: any) => r.id === inv.respondent.id).token_hash).toBe(
        createHash('sha256').update(inv.token).digest('hex'),
      );
    }
    // The list never shows tokens.
    const list = await app.gql(RESPONDENTS, { id }, firm.auth.VIEWER);
    expect(JSON.stringify(list.data)).not.toContain(a.token);
    expect(list.data.respondents.map((r: any) => r.email)).toEqual(['ivan@example.com', 'Olga@Example.com']);
  });

  it('sets the expiry from the due date, or as given', async () => {
    const dueAt = new Date(Date.now() + 10 * DAY);
    const id = await newAssessment({ dueAt: dueAt.toISOString() });
    const byDue = await invite(id, [{ name: 'A', email: 'a@example.com', role: 'MANAGER' }]);
    expect(Date.parse(byDue.data.inviteRespondents[0].expiresAt)).toBe(dueAt.getTime() + 7 * DAY);
    const expiresAt = new Date(Date.now() + 3 * DAY).toISOString();
    const given = await invite(id, [{ name: 'B', email: 'b@example.com', role: 'MANAGER' }], { expiresAt });
    expect(given.data.inviteRespondents[0].expiresAt).toBe(expiresAt);
    const past = await invite(id, [{ name: 'C', email: 'c@example.com', role: 'MANAGER' }], {
      expiresAt: new Date(Date.now() - DAY).toISOString(),
    });
    expect(past.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ path: 'input.expiresAt' }],
    });
  });

  it('validates people: e-mail, role, count and duplicates, without echoing input', async () => {
    const id = await newAssessment({ roleWeights: [{ role: 'BOARD', weight: 2 }] });
    const bad = await invite(id, [
      { name: 'X', email: 'not-an-email-SECRET', role: 'EXECUTIVE' },
      { name: ' ', email: 'ok@example.com', role: 'executive' },
    ]);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].extensions!.problems.map((p: any) => p.path).sort()).toEqual([
      'input.respondents[0].email',
      'input.respondents[1].name',
      'input.respondents[1].role',
    ]);
    expect(JSON.stringify(bad.errors)).not.toContain('SECRET');

    const undeclared = await invite(id, [
      { name: 'Board', email: 'board@example.com', role: 'BOARD' },
      { name: 'Aud', email: 'aud@example.com', role: 'AUDITOR' },
    ]);
    expect(undeclared.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ path: 'input.respondents[1].role' }],
    });
    const declared = await invite(id, [{ name: 'Board', email: 'board@example.com', role: 'BOARD' }]);
    expect(declared.data.inviteRespondents[0].respondent.role).toBe('BOARD');

    const none = await invite(id, []);
    expect(none.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await invite(
      id,
      Array.from({ length: 501 }, (_, i) => ({ name: `P${i}`, email: `p${i}@example.com`, role: 'FRONTLINE' })),
    );
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const dupInCall = await invite(id, [
      { name: 'D', email: 'd@example.com', role: 'FRONTLINE' },
      { name: 'D2', email: 'D@example.com', role: 'FRONTLINE' },
    ]);
    expect(dupInCall.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ path: 'input.respondents[1].email' }],
    });
    const again = await invite(id, [{ name: 'Board again', email: 'BOARD@example.com', role: 'BOARD' }]);
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    const viewer = await invite(id, [{ name: 'V', email: 'v@example.com', role: 'FRONTLINE' }], {}, firm.auth.VIEWER);
    expect(viewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('invites 500 at once', async () => {
    const id = await newAssessment();
    const res = await invite(
      id,
      Array.from({ length: 500 }, (_, i) => ({ name: `P${i}`, email: `p${i}@example.com`, role: 'FRONTLINE' })),
    );
    expect(res.errors).toBeUndefined();
    expect(new Set(res.data.inviteRespondents.map((i: any) => i.token)).size).toBe(500);
    const counts = await app.gql(
      `query A($id: ID!) { assessment(id: $id) { respondentCounts { invited total } } }`,
      { id },
      firm.auth.VIEWER,
    );
    expect(counts.data.assessment.respondentCounts).toEqual({ invited: 500, total: 500 });
  });

  it('invites only while the assessment is DRAFT or OPEN', async () => {
    for (const op of ['closeAssessment', 'cancelAssessment']) {
      const id = await newAssessment();
      await app.gql(`mutation T($id: ID!) { ${op}(id: $id) { status } }`, { id }, firm.auth.CONSULTANT);
      const res = await invite(id, [{ name: 'Late', email: 'late@example.com', role: 'MANAGER' }]);
      expect(res.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(res.errors?.[0].message).toMatch(op === 'closeAssessment' ? /CLOSED/ : /CANCELLED/);
    }
  });

  it('revokes and re-issues tokens; the old token stops working at once', async () => {
    const id = await newAssessment();
    const [r] = await inviteViaApi(app, firm.auth.CONSULTANT, id, [
      { name: 'Rita', email: 'rita@example.com', role: 'MANAGER' },
    ]);
    expect((await app.gql(QUESTIONNAIRE, {}, tokenAuth(r.token))).data.questionnaire.respondentName).toBe('Rita');

    const revoked = await app.gql(REVOKE, { id: r.id }, firm.auth.CONSULTANT);
    expect(revoked.data.revokeRespondentToken).toMatchObject({
      tokenActive: false,
      tokenRevokedAt: expect.any(String),
    });
    const denied = await app.gql(QUESTIONNAIRE, {}, tokenAuth(r.token));
    expect(denied.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const twice = await app.gql(REVOKE, { id: r.id }, firm.auth.CONSULTANT);
    expect(twice.errors?.[0].extensions?.code).toBe('CONFLICT');

    const reissued = await app.gql(REISSUE, { id: r.id }, firm.auth.CONSULTANT);
    expect(reissued.errors).toBeUndefined();
    const token2: string = reissued.data.reissueRespondentToken.token;
    expect(token2).not.toBe(r.token);
    expect(reissued.data.reissueRespondentToken.respondent).toMatchObject({
      tokenActive: true,
      tokenRevokedAt: null,
      tokenPrefix: token2.slice(0, 12),
    });
    expect((await app.gql(QUESTIONNAIRE, {}, tokenAuth(token2))).data.questionnaire.respondentName).toBe('Rita');

    // Re-issuing an active token replaces it too.
    const expiresAt = new Date(Date.now() + 2 * DAY).toISOString();
    const third = await app.gql(REISSUE, { id: r.id, expiresAt }, firm.auth.CONSULTANT);
    expect(third.data.reissueRespondentToken.expiresAt).toBe(expiresAt);
    expect((await app.gql(QUESTIONNAIRE, {}, tokenAuth(token2))).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const q = await app.gql(QUESTIONNAIRE, {}, tokenAuth(third.data.reissueRespondentToken.token));
    expect(q.data.questionnaire.tokenExpiresAt).toBe(expiresAt);

    await app.gql(`mutation T($id: ID!) { closeAssessment(id: $id) { status } }`, { id }, firm.auth.CONSULTANT);
    const closed = await app.gql(REISSUE, { id: r.id }, firm.auth.CONSULTANT);
    expect(closed.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('refuses an expired token', async () => {
    const id = await newAssessment();
    const [r] = await inviteViaApi(app, firm.auth.CONSULTANT, id, [
      { name: 'Exp', email: 'exp@example.com', role: 'MANAGER' },
    ]);
    await app.running.database.dataSource.query(
      "UPDATE respondent SET token_expires_at = now() - interval '1 minute' WHERE firm_id = $1 AND id = $2",
      [firm.firmId, r.id],
    );
    const res = await app.gql(QUESTIONNAIRE, {}, tokenAuth(r.token));
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0].message).toMatch(/expired/);
    const list = await app.gql(RESPONDENTS, { id }, firm.auth.VIEWER);
    expect(list.data.respondents[0].tokenActive).toBe(false);
  });

  it('removes a respondent who has not submitted, with their answers', async () => {
    const id = await newAssessment();
    const [keep, drop] = await inviteViaApi(app, firm.auth.CONSULTANT, id, [
      { name: 'Keep', email: 'keep@example.com', role: 'MANAGER' },
      { name: 'Drop', email: 'drop@example.com', role: 'MANAGER' },
    ]);
    await app.gql(SAVE, { input: { answers: [{ question: 'LEAD_01', value: 3 }] } }, tokenAuth(drop.token));
    const removed = await app.gql(REMOVE, { id: drop.id }, firm.auth.CONSULTANT);
    expect(removed.data.removeRespondent).toBe(drop.id);
    expect((await app.gql(QUESTIONNAIRE, {}, tokenAuth(drop.token))).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const answers = await app.running.database.dataSource.query(
      'SELECT 1 FROM answer WHERE firm_id = $1 AND respondent_id = $2',
      [firm.firmId, drop.id],
    );
    expect(answers).toEqual([]);
    expect((await app.gql(REMOVE, { id: drop.id }, firm.auth.CONSULTANT)).errors?.[0].extensions?.code).toBe(
      'NOT_FOUND',
    );

    // A submitted response stays.
    const def = defaultFrameworkDef();
    const all = def.questions.map((q) => ({ question: q.code, value: validValue(q) }));
    await app.gql(SAVE, { input: { answers: all } }, tokenAuth(keep.token));
    const submitted = await app.gql('mutation { submitResponse { status } }', {}, tokenAuth(keep.token));
    expect(submitted.data.submitResponse.status).toBe('SUBMITTED');
    const refused = await app.gql(REMOVE, { id: keep.id }, firm.auth.CONSULTANT);
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('lists respondents with status and progress in a constant number of queries', async () => {
    const def = defaultFrameworkDef();
    const visibleAtStart = def.questions.filter((q) => !q.showIf).length;
    const ds = app.running.database.dataSource;
    async function queriesFor(people: number): Promise<{ count: number; respondents: any[] }> {
      const id = await newAssessment();
      const invited = await inviteViaApi(
        app,
        firm.auth.CONSULTANT,
        id,
        Array.from({ length: people }, (_, i) => ({
          name: `N${i}`,
          email: `n${people}-${i}@example.com`,
          role: 'FRONTLINE',
        })),
      );
      // Respondent i answers the first i questions (i capped at 5).
      for (let i = 0; i < invited.length; i++) {
        const answers = def.questions.slice(0, Math.min(i, 5)).map((q) => ({ question: q.code, value: validValue(q) }));
        if (answers.length) await app.gql(SAVE, { input: { answers } }, tokenAuth(invited[i].token));
      }
      // Every statement of the DataSource, its transactions' managers included.
      const counter = countSql(ds);
      const { result: res, statements } = await counter.during(() => app.gql(RESPONDENTS, { id }, firm.auth.VIEWER));
      counter.restore();
      // The key's last use is written at most once a minute: not part of the listing.
      const count = statements.filter((sql) => !sql.startsWith('UPDATE api_key SET last_used_at')).length;
      expect(res.errors).toBeUndefined();
      return { count, respondents: res.data.respondents };
    }
    const small = await queriesFor(2);
    const large = await queriesFor(30);
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(5);
    expect(large.respondents).toHaveLength(30);
    large.respondents.forEach((r: any, i: number) => {
      expect(r.status).toBe(i === 0 ? 'INVITED' : 'IN_PROGRESS');
      expect(r.progress).toMatchObject({ visible: visibleAtStart, answered: Math.min(i, 5) });
      expect(r.lastActivityAt === null).toBe(i === 0);
    });
  });

  it("answers NOT_FOUND for another firm's respondents and assessments", async () => {
    const id = await newAssessment();
    const [r] = await inviteViaApi(app, firm.auth.CONSULTANT, id, [
      { name: 'Mine', email: 'mine@example.com', role: 'MANAGER' },
    ]);
    const checks: Array<[string, Record<string, unknown>]> = [
      [REVOKE, { id: r.id }],
      [REISSUE, { id: r.id }],
      [REMOVE, { id: r.id }],
      [RESPONDENTS, { id }],
      [INVITE, { input: { assessmentId: id, respondents: [{ name: 'X', email: 'x@example.com', role: 'MANAGER' }] } }],
    ];
    for (const [query, variables] of checks) {
      const res = await app.gql(query, variables, other.auth.ADMIN);
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    for (const query of [REVOKE, REMOVE]) {
      expect((await app.gql(query, { id: 'garbage' }, firm.auth.CONSULTANT)).errors?.[0].extensions?.code).toBe(
        'NOT_FOUND',
      );
    }
    const list = await app.gql(RESPONDENTS, { id }, firm.auth.VIEWER);
    expect(list.data.respondents[0]).toMatchObject({ tokenActive: true });
  });
});
