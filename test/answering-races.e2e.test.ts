import { Client } from 'pg';
import { ON_POSTGRES, type TestApp } from './helpers/test-app';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { ANSWERING_LOCK_CLASS } from '../src/modules/assessment/assessment.service';
import { defaultFrameworkDef, inviteViaApi, tokenAuth, validValue } from './helpers/assessment-fixtures';
import { startAnsweringSetup, type AnsweringSetup } from './helpers/answering-setup';

const SAVE = `mutation S($input: SaveAnswersInput!) { saveAnswers(input: $input) { status results { question outcome } } }`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A save is one statement that locks the respondent's row and, after waiting for another
// writer of that row, checks the token and the states again on the row's newest version.
// These tests hold the row on a second connection, start a save, wait until PostgreSQL
// shows it waiting for that lock, then commit a submission, revocation or removal: the save
// must write nothing and say why. Only on a real server: the embedded one serves one
// transaction at a time, so a held transaction there stops every other statement and
// pg_stat_activity shows no lock waits.
const describeOnPostgres = ON_POSTGRES ? describe : describe.skip;

describeOnPostgres('a save waiting for another writer of its respondent', () => {
  let setup: AnsweringSetup;
  let app: TestApp;
  let firm: TestFirm;
  let side: Client;

  beforeAll(async () => {
    setup = await startAnsweringSetup('Race Ltd');
    ({ app, firm } = setup);
    side = new Client({ connectionString: app.db.databaseUrl! });
    await side.connect();
  });
  afterAll(async () => {
    await side?.end();
    await app?.stop();
  });

  const respondent = () => setup.respondent();
  const save = (auth: Record<string, string>, question: string, value: unknown, clientSeq: number) =>
    app.gql(SAVE, { input: { answers: [{ question, value, clientSeq }] } }, auth);
  const storedCodes = async (respondentId: string) =>
    (
      await app.running.database.dataSource.query(
        'SELECT question_code FROM answer WHERE firm_id = $1 AND respondent_id = $2 ORDER BY 1',
        [firm.firmId, respondentId],
      )
    ).map((row: { question_code: string }) => row.question_code);

  /** Waits until a statement like `pattern` (LIKE) waits for a lock. */
  async function untilWaiting(pattern: string, what: string): Promise<void> {
    for (let i = 0; i < 250; i++) {
      // Not on the side connection: inside its transaction, pg_stat_activity stays as first read.
      const rows = await app.running.database.dataSource.query(
        "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1",
        [pattern],
      );
      if (rows.length) return;
      await sleep(20);
    }
    throw new Error(`${what} never waited for its lock`);
  }
  /** Waits until the save statement waits for a row lock. */
  const untilSaveWaits = () => untilWaiting('WITH r AS (%UPDATE respondent%', 'the save');

  /**
   * Holds the respondent's row in a transaction on the side connection, starts a save, runs
   * `whileWaiting` once the save waits for the row, commits, and returns the save's answer.
   */
  async function raceWith(respondentId: string, auth: Record<string, string>, whileWaiting: () => Promise<unknown>) {
    await side.query('BEGIN');
    try {
      await side.query('SELECT 1 FROM respondent WHERE firm_id = $1 AND id = $2 FOR UPDATE', [
        firm.firmId,
        respondentId,
      ]);
      const pending = save(auth, 'LEAD_02', 4, 2);
      await untilSaveWaits();
      await whileWaiting();
      await side.query('COMMIT');
      return await pending;
    } catch (error) {
      await side.query('ROLLBACK');
      throw error;
    }
  }
  /** {@link raceWith}, the side connection running `change` on the respondent before it commits. */
  const raceWithChange = (respondentId: string, auth: Record<string, string>, change: string) =>
    raceWith(respondentId, auth, () => side.query(change, [firm.firmId, respondentId]));

  it.each([
    [
      'a submission',
      "UPDATE respondent SET status = 'SUBMITTED', submitted_at = now() WHERE firm_id = $1 AND id = $2",
      'CONFLICT',
      /submitted/,
    ],
    [
      'a revocation',
      'UPDATE respondent SET token_hash = NULL, token_revoked_at = now() WHERE firm_id = $1 AND id = $2',
      'UNAUTHENTICATED',
      /./,
    ],
    [
      'an expiry',
      "UPDATE respondent SET token_expires_at = now() - interval '1 second' WHERE firm_id = $1 AND id = $2",
      'UNAUTHENTICATED',
      /expired/,
    ],
    ['a removal', 'DELETE FROM respondent WHERE firm_id = $1 AND id = $2', 'UNAUTHENTICATED', /./],
  ])('writes nothing after %s commits', async (_what, change, code, message) => {
    const r = await respondent();
    expect((await save(r.auth, 'LEAD_01', 3, 1)).errors).toBeUndefined();
    const before = await storedCodes(r.respondentId);
    const res = await raceWithChange(r.respondentId, r.auth, change);
    expect(res.errors?.[0].extensions?.code).toBe(code);
    expect(res.errors?.[0].message).toMatch(message);
    expect(await storedCodes(r.respondentId)).toEqual(change.startsWith('DELETE') ? [] : before);
  });

  it('writes after a mere touch of the row commits (another tab), keeping the newer answer', async () => {
    const r = await respondent();
    expect((await save(r.auth, 'LEAD_01', 3, 1)).errors).toBeUndefined();
    const res = await raceWithChange(
      r.respondentId,
      r.auth,
      'UPDATE respondent SET last_activity_at = now() WHERE firm_id = $1 AND id = $2',
    );
    expect(res.data.saveAnswers.results).toEqual([{ question: 'LEAD_02', outcome: 'APPLIED' }]);
    expect(await storedCodes(r.respondentId)).toEqual(['LEAD_01', 'LEAD_02']);
  });

  it('lets a save in flight when the assessment closes land without changing the result', async () => {
    const r = await respondent();
    const all = defaultFrameworkDef().questions.map((q) => ({ question: q.code, value: validValue(q) }));
    // A second respondent submits, so the close has a result to compute.
    const [other] = await inviteViaApi(app, firm.auth.CONSULTANT, r.assessmentId, [
      { name: 'S', email: `second-${r.respondentId}@example.com`, role: 'MANAGER' },
    ]);
    expect((await app.gql(SAVE, { input: { answers: all } }, tokenAuth(other.token))).errors).toBeUndefined();
    expect(
      (await app.gql('mutation { submitResponse { status } }', {}, tokenAuth(other.token))).errors,
    ).toBeUndefined();
    expect((await save(r.auth, 'LEAD_01', 3, 1)).errors).toBeUndefined();

    const RESULT = `query R($id: ID!) { assessmentResult(assessmentId: $id) { provisional respondentCount overall { score } } }`;
    let stored: unknown;
    // The save began before the close committed: it may land (an unsubmitted answer, which
    // never counts), or be refused; either way the stored result stays what the close computed.
    const late = await raceWith(r.respondentId, r.auth, async () => {
      const closed = await app.gql(
        `mutation C($id: ID!) { closeAssessment(id: $id) { status } }`,
        { id: r.assessmentId },
        firm.auth.CONSULTANT,
      );
      expect(closed.data.closeAssessment.status).toBe('CLOSED');
      stored = (await app.ok(RESULT, { id: r.assessmentId }, firm.auth.VIEWER)).assessmentResult;
    });
    if (late.errors) expect(late.errors[0].extensions?.code).toBe('CONFLICT');
    expect((await app.ok(RESULT, { id: r.assessmentId }, firm.auth.VIEWER)).assessmentResult).toEqual(stored);
    expect(stored).toMatchObject({ provisional: false, respondentCount: 1 });
    // Later saves are refused.
    const after = await save(
      r.auth,
      'LEAD_03',
      validValue(defaultFrameworkDef().questions.find((q) => q.code === 'LEAD_03')!),
      3,
    );
    expect(after.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('makes a close wait for a submission in flight, and answers another firm’s close or cancel NOT_FOUND without waiting', async () => {
    const r = await respondent();
    const other = await createTestFirm(app.running.database.dataSource, 'Other Race Ltd');
    const closeMine = () =>
      app.gql(
        `mutation C($id: ID!) { closeAssessment(id: $id) { status } }`,
        { id: r.assessmentId },
        firm.auth.CONSULTANT,
      );
    let mine: ReturnType<typeof closeMine> | undefined;
    // A submission in flight holds the assessment's answering lock shared until it commits.
    await side.query('BEGIN');
    try {
      await side.query('SELECT pg_advisory_xact_lock_shared($1, hashtext($2::text))', [
        ANSWERING_LOCK_CLASS,
        r.assessmentId,
      ]);
      for (const action of ['closeAssessment', 'cancelAssessment']) {
        const res = await Promise.race([
          app.gql(
            `mutation T($id: ID!) { ${action}(id: $id) { status } }`,
            { id: r.assessmentId },
            other.auth.CONSULTANT,
          ),
          sleep(10_000).then(() => ({ errors: [{ extensions: { code: 'STILL WAITING' } }] })),
        ]);
        expect({ action, code: res.errors?.[0].extensions?.code }).toEqual({ action, code: 'NOT_FOUND' });
      }
      const state = await app.gql(
        `query A($id: ID!) { assessment(id: $id) { status } }`,
        { id: r.assessmentId },
        firm.auth.VIEWER,
      );
      expect(state.data.assessment.status).toBe('OPEN');
      // The firm's own close waits for the submission.
      mine = closeMine();
      await untilWaiting('SELECT pg_advisory_xact_lock(%', 'the close');
      expect(await Promise.race([mine.then(() => 'answered'), sleep(200).then(() => 'waiting')])).toBe('waiting');
    } finally {
      await side.query('ROLLBACK');
    }
    expect((await mine).data.closeAssessment.status).toBe('CLOSED');
  });
});
