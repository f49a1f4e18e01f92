import { ON_POSTGRES, type TestApp } from './helpers/test-app';
import { countSql } from './helpers/sql-counter';
import type { TestFirm } from './helpers/fixtures';
import { generatedFramework } from '../seeds/generated-framework';
import {
  defaultFrameworkDef,
  defaultFrameworkDocument,
  insertFrameworkVersion,
  inviteViaApi,
  tokenAuth,
  validValue,
} from './helpers/assessment-fixtures';
import { startAnsweringSetup, type AnsweringSetup } from './helpers/answering-setup';

const QUESTIONNAIRE = `query Q($locale: Locale) {
  questionnaire(locale: $locale) {
    locale assessmentTitle organisationName frameworkName respondentName respondentRole status assessmentStatus editable readOnlyReason
    tokenExpiresAt submittedAt maxClientSeq visibleQuestions
    questions { code type section text help required allowNotApplicable visible showIf { question anyOf }
      scale { min max minLabel maxLabel } options { code label exclusive } numeric { min max unit } }
    answers { question value notApplicable clientSeq updatedAt }
    progress { visible answered required requiredAnswered missingRequired }
  }
}`;
const SAVE = `mutation S($input: SaveAnswersInput!) {
  saveAnswers(input: $input) {
    results { index question outcome } status lastActivityAt visibleQuestions
    progress { visible answered required requiredAnswered missingRequired }
  }
}`;
const SUBMIT = `mutation { submitResponse { status submittedAt progress { required requiredAnswered missingRequired } } }`;
const LEAN_SAVE = `mutation S($input: SaveAnswersInput!) { saveAnswers(input: $input) { status results { question outcome } } }`;
const REVOKE = `mutation Revoke($id: ID!) { revokeRespondentToken(respondentId: $id) { tokenActive } }`;
const REISSUE = `mutation Reissue($id: ID!) { reissueRespondentToken(respondentId: $id) { token } }`;
const REMOVE = `mutation Remove($id: ID!) { removeRespondent(respondentId: $id) }`;
const RESPONDENTS = `query R($id: ID!) { respondents(assessmentId: $id) { id status lastActivityAt progress { visible answered required requiredAnswered } } }`;

const def = defaultFrameworkDef();
const doc = defaultFrameworkDocument();
const question = (code: string) => def.questions.find((q) => q.code === code)!;
// Facts of the seed framework, read from the document (not from the engine under test).
const UNCONDITIONAL = doc.questions.filter((q) => !q.showIf);
const UNCONDITIONAL_REQUIRED = UNCONDITIONAL.filter((q) => q.required);

describe('answering with a link token', () => {
  let setup: AnsweringSetup;
  let app: TestApp;
  let firm: TestFirm;

  beforeAll(async () => {
    setup = await startAnsweringSetup('ООО Ромашка');
    ({ app, firm } = setup);
  });
  afterAll(async () => {
    await app?.stop();
  });

  const respondent = (options: { open?: boolean; role?: string } = {}) => setup.respondent(options);
  const save = (auth: Record<string, string>, answers: unknown[]) => app.gql(SAVE, { input: { answers } }, auth);
  const read = async (auth: Record<string, string>, locale?: string) => {
    const res = await app.gql(QUESTIONNAIRE, { locale }, auth);
    expect(res.errors).toBeUndefined();
    return res.data.questionnaire;
  };
  const storedOf = async (auth: Record<string, string>) =>
    Object.fromEntries((await read(auth)).answers.map((a: any) => [a.question, a]));

  it('opens the questionnaire in the respondent’s language, without scores', async () => {
    const r = await respondent();
    const q = await read(r.auth);
    expect(q).toMatchObject({
      locale: 'RU',
      assessmentTitle: 'Service review',
      organisationName: 'ООО Ромашка',
      frameworkName: doc.name.ru,
      respondentName: 'Анна',
      respondentRole: 'EXECUTIVE',
      status: 'INVITED',
      assessmentStatus: 'OPEN',
      editable: true,
      readOnlyReason: null,
      answers: [],
      maxClientSeq: null,
    });
    expect(q.questions).toHaveLength(doc.questions.length);
    expect(q.questions[0]).toMatchObject({
      code: doc.questions[0].code,
      text: doc.questions[0].text.ru,
      required: doc.questions[0].required,
    });
    const likert = q.questions.find((x: any) => x.type === 'LIKERT');
    expect(likert.scale).toEqual({ min: 1, max: 5, minLabel: expect.any(String), maxLabel: expect.any(String) });
    const choice = q.questions.find((x: any) => x.code === 'LEAD_07');
    expect(choice.options.find((o: any) => o.code === 'NONE').exclusive).toBe(true);
    expect(q.questions.find((x: any) => x.code === 'SYS_02')).toMatchObject({
      visible: false,
      showIf: { question: 'SYS_01', anyOf: [true] },
    });
    expect(q.visibleQuestions).toEqual(UNCONDITIONAL.map((x) => x.code));
    expect(q.progress).toEqual({
      visible: UNCONDITIONAL.length,
      answered: 0,
      required: UNCONDITIONAL_REQUIRED.length,
      requiredAnswered: 0,
      missingRequired: UNCONDITIONAL_REQUIRED.map((x) => x.code),
    });
    const en = await read(r.auth, 'EN');
    expect(en.locale).toBe('EN');
    expect(en.questions[0].text).toBe(doc.questions[0].text.en);
    expect(en.frameworkName).toBe(doc.name.en);
  });

  it('saves answers in any order, moves the respondent to IN_PROGRESS, and reports progress', async () => {
    const r = await respondent();
    const res = await save(r.auth, [
      { question: 'LEAD_02', value: 4 },
      { question: 'LEAD_01', value: 5, clientSeq: 1 },
      { question: 'PEOPLE_01', notApplicable: true },
      { question: 'COMMENT_MAGIC_MOMENT', value: 'Нас встретили по имени.' },
    ]);
    expect(res.errors).toBeUndefined();
    const out = res.data.saveAnswers;
    expect(out.results).toEqual([
      { index: 0, question: 'LEAD_02', outcome: 'APPLIED' },
      { index: 1, question: 'LEAD_01', outcome: 'APPLIED' },
      { index: 2, question: 'PEOPLE_01', outcome: 'APPLIED' },
      { index: 3, question: 'COMMENT_MAGIC_MOMENT', outcome: 'APPLIED' },
    ]);
    expect(out.status).toBe('IN_PROGRESS');
    expect(out.progress).toMatchObject({ answered: 4, requiredAnswered: 3, required: UNCONDITIONAL_REQUIRED.length });
    expect(out.progress.missingRequired).not.toContain('LEAD_01');

    const stored = await storedOf(r.auth);
    expect(stored.LEAD_01).toMatchObject({ value: 5, notApplicable: false, clientSeq: 1 });
    expect(stored.PEOPLE_01).toMatchObject({ value: null, notApplicable: true, clientSeq: null });
    expect(stored.COMMENT_MAGIC_MOMENT.value).toBe('Нас встретили по имени.');

    const list = await app.gql(RESPONDENTS, { id: r.assessmentId }, firm.auth.VIEWER);
    expect(list.data.respondents[0]).toMatchObject({
      status: 'IN_PROGRESS',
      lastActivityAt: expect.any(String),
      progress: { answered: 4, requiredAnswered: 3 },
    });
  });

  it('follows showIf: a follow-up becomes visible, and its answer is kept (but hidden) when the trigger changes', async () => {
    const r = await respondent();
    const shown = await save(r.auth, [{ question: 'SYS_01', value: true }]);
    expect(shown.data.saveAnswers.visibleQuestions).toContain('SYS_02');
    expect(shown.data.saveAnswers.progress.missingRequired).toContain('SYS_02');
    await save(r.auth, [{ question: 'SYS_02', value: 3 }]);
    const hidden = await save(r.auth, [{ question: 'SYS_01', value: false }]);
    expect(hidden.data.saveAnswers.visibleQuestions).not.toContain('SYS_02');
    const q = await read(r.auth);
    expect(q.answers.map((a: any) => a.question)).toEqual(['SYS_01', 'SYS_02']);
    expect(q.questions.find((x: any) => x.code === 'SYS_02').visible).toBe(false);
    // Answering a hidden question is allowed.
    const direct = await save(r.auth, [{ question: 'EMP_03', value: 2 }]);
    expect(direct.data.saveAnswers.results[0].outcome).toBe('APPLIED');
    expect(direct.data.saveAnswers.visibleQuestions).not.toContain('EMP_03');
  });

  it('rejects a call with any invalid answer as a whole, naming every problem without echoing values', async () => {
    const r = await respondent();
    const res = await save(r.auth, [
      { question: 'LEAD_01', value: 4 },
      { question: 'LEAD_02', value: 9 },
      { question: 'NO_SUCH_QUESTION', value: 1 },
      { question: 'LEAD_04', value: 'SECRET_OPTION_VALUE' },
      { question: 'LEAD_07', value: ['NONE', 'RECOGNITION'] },
      { question: 'LEAD_01', notApplicable: true },
      { question: 'LEAD_03', value: 'yes' },
      { question: 'LEAD_05', value: 2.5 },
    ]);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const problems: Array<{ path: string; message: string }> = res.errors![0].extensions!.problems;
    expect(problems.map((p) => p.path)).toEqual([
      'input.answers[1].value',
      'input.answers[2].question',
      'input.answers[3].value',
      'input.answers[4].value',
      'input.answers[5].notApplicable',
      'input.answers[6].value',
      'input.answers[7].value',
    ]);
    expect(problems[0].message).toMatch(/1 to 5/);
    const text = JSON.stringify(res.errors);
    expect(text).not.toContain('SECRET_OPTION_VALUE');
    expect(text).not.toContain('2.5');
    // Nothing of the call was stored, not even the valid answer.
    expect((await read(r.auth)).answers).toEqual([]);
    expect((await read(r.auth)).status).toBe('INVITED');

    const nul = await save(r.auth, [{ question: 'COMMENT_MAGIC_MOMENT', value: 'a\u0000b' }]);
    expect(nul.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ path: 'input.answers[0].value' }],
    });
    // A text cut inside an emoji (half a surrogate pair) cannot be stored as JSON: named, not INTERNAL.
    const halfEmoji = await save(r.auth, [
      { question: 'LEAD_01', value: 4 },
      { question: 'COMMENT_MAGIC_MOMENT', value: 'Great service \uD83D' },
    ]);
    expect(halfEmoji.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ path: 'input.answers[1].value', message: expect.stringMatching(/unpaired UTF-16 surrogate/) }],
    });
    for (const [question, value] of [
      ['COMMENT_MAGIC_MOMENT', '\uDE00 end'],
      ['LEAD_07', ['RECOGNITION', 'X\uD83D']],
    ]) {
      const half = await save(r.auth, [{ question, value }]);
      expect(half.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        problems: [{ path: 'input.answers[0].value', message: expect.stringMatching(/unpaired UTF-16 surrogate/) }],
      });
    }
    // A whole emoji is stored as sent.
    const emoji = await save(r.auth, [{ question: 'COMMENT_MAGIC_MOMENT', value: 'Great service \uD83D\uDE00' }]);
    expect(emoji.errors).toBeUndefined();
    expect((await storedOf(r.auth)).COMMENT_MAGIC_MOMENT.value).toBe('Great service 😀');
    await save(r.auth, [{ question: 'COMMENT_MAGIC_MOMENT', value: null }]);

    const classValidator = await save(r.auth, [{ question: 'LEAD_01', value: 1, clientSeq: -1 }]);
    expect(classValidator.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ path: 'input.answers[0].clientSeq' }],
    });
    const tooMany = await save(
      r.auth,
      Array.from({ length: 201 }, () => ({ question: 'LEAD_01', value: 1 })),
    );
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const none = await save(r.auth, []);
    expect(none.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // The form of the call is checked before the token.
    expect((await save({}, [])).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const longCode = 'Q'.repeat(5000);
    const long = await save(r.auth, [{ question: longCode, value: 1 }]);
    expect(long.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ path: 'input.answers[0].question', message: expect.stringMatching(/64/) }],
    });
    expect(JSON.stringify(long.errors)).not.toContain(longCode);
  });

  it('never lets an older clientSeq overwrite a newer answer', async () => {
    const r = await respondent();
    const at = async () => (await storedOf(r.auth)).LEAD_01;

    expect(
      (await save(r.auth, [{ question: 'LEAD_01', value: 4, clientSeq: 5 }])).data.saveAnswers.results[0].outcome,
    ).toBe('APPLIED');
    expect(
      (await save(r.auth, [{ question: 'LEAD_01', value: 1, clientSeq: 3 }])).data.saveAnswers.results[0].outcome,
    ).toBe('STALE');
    expect(await at()).toMatchObject({ value: 4, clientSeq: 5 });

    // An equal sequence applies (a retried save is harmless)...
    expect(
      (await save(r.auth, [{ question: 'LEAD_01', value: 2, clientSeq: 5 }])).data.saveAnswers.results[0].outcome,
    ).toBe('APPLIED');
    expect(await at()).toMatchObject({ value: 2, clientSeq: 5 });
    // ...a save without a sequence always applies but keeps the highest sequence seen...
    expect((await save(r.auth, [{ question: 'LEAD_01', value: 3 }])).data.saveAnswers.results[0].outcome).toBe(
      'APPLIED',
    );
    expect(await at()).toMatchObject({ value: 3, clientSeq: 5 });
    // ...so an older sequenced save still cannot overwrite it.
    expect(
      (await save(r.auth, [{ question: 'LEAD_01', value: 1, clientSeq: 4 }])).data.saveAnswers.results[0].outcome,
    ).toBe('STALE');
    expect(await at()).toMatchObject({ value: 3, clientSeq: 5 });

    // Several answers to one question in a call: the highest sequence wins wherever it is.
    const dup = await save(r.auth, [
      { question: 'LEAD_02', value: 5, clientSeq: 9 },
      { question: 'LEAD_02', value: 1, clientSeq: 8 },
    ]);
    expect(dup.data.saveAnswers.results.map((x: any) => x.outcome)).toEqual(['APPLIED', 'STALE']);
    expect((await storedOf(r.auth)).LEAD_02).toMatchObject({ value: 5, clientSeq: 9 });

    // An answer without a sequence after a sequenced one in the same call replaces it, keeps
    // its sequence, and still applies over a higher stored sequence.
    await save(r.auth, [{ question: 'LEAD_04', value: 'BALANCED', clientSeq: 10 }]);
    const mixed = await save(r.auth, [
      { question: 'LEAD_04', value: 'RETENTION_FIRST', clientSeq: 9 },
      { question: 'LEAD_04', value: 'ACQUISITION_ONLY' },
    ]);
    expect(mixed.data.saveAnswers.results.map((x: any) => x.outcome)).toEqual(['STALE', 'APPLIED']);
    expect((await storedOf(r.auth)).LEAD_04).toMatchObject({ value: 'ACQUISITION_ONLY', clientSeq: 10 });
    // Against a lower stored sequence, the call's sequence is kept: a late older save stays out.
    await save(r.auth, [
      { question: 'LEAD_04', value: 'BALANCED', clientSeq: 20 },
      { question: 'LEAD_04', value: 'RETENTION_FIRST' },
    ]);
    expect((await storedOf(r.auth)).LEAD_04).toMatchObject({ value: 'RETENTION_FIRST', clientSeq: 20 });
    expect(
      (await save(r.auth, [{ question: 'LEAD_04', value: 'ACQUISITION_ONLY', clientSeq: 15 }])).data.saveAnswers
        .results[0].outcome,
    ).toBe('STALE');
    expect((await storedOf(r.auth)).LEAD_04).toMatchObject({ value: 'RETENTION_FIRST', clientSeq: 20 });

    // Large sequence numbers (e.g. Date.now()) are fine.
    const big = Date.now() * 1000;
    await save(r.auth, [{ question: 'LEAD_03', value: true, clientSeq: big }]);
    expect((await storedOf(r.auth)).LEAD_03.clientSeq).toBe(big);
    expect((await read(r.auth)).maxClientSeq).toBe(big);
  });

  it('treats a repeated call as a no-op', async () => {
    const r = await respondent();
    const call = [
      { question: 'LEAD_01', value: 4, clientSeq: 10 },
      { question: 'LEAD_02', value: 2, clientSeq: 11 },
    ];
    await save(r.auth, call);
    const before = await read(r.auth);
    const again = await save(r.auth, call);
    expect(again.errors).toBeUndefined();
    const after = await read(r.auth);
    expect(after.answers).toEqual(before.answers);
    expect(after.progress).toEqual(before.progress);
    // A save of the same value with a higher sequence keeps when the answer last changed.
    await save(r.auth, [{ question: 'LEAD_01', value: 4, clientSeq: 12 }]);
    const resent = (await storedOf(r.auth)).LEAD_01;
    expect(resent).toMatchObject({ value: 4, clientSeq: 12, updatedAt: before.answers[0].updatedAt });
    await save(r.auth, [{ question: 'LEAD_01', value: 5, clientSeq: 13 }]);
    expect((await storedOf(r.auth)).LEAD_01.updatedAt).not.toBe(before.answers[0].updatedAt);
  });

  it('clears an answer with value null, sequenced like any save', async () => {
    const r = await respondent();
    await save(r.auth, [{ question: 'LEAD_01', value: 4, clientSeq: 1 }]);
    const cleared = await save(r.auth, [{ question: 'LEAD_01', value: null, clientSeq: 3 }]);
    expect(cleared.data.saveAnswers.results[0].outcome).toBe('APPLIED');
    expect(cleared.data.saveAnswers.progress.answered).toBe(0);
    expect(cleared.data.saveAnswers.progress.missingRequired).toContain('LEAD_01');
    expect((await read(r.auth)).answers).toEqual([]);
    // A delayed older save does not bring the cleared answer back.
    expect(
      (await save(r.auth, [{ question: 'LEAD_01', value: 5, clientSeq: 2 }])).data.saveAnswers.results[0].outcome,
    ).toBe('STALE');
    expect((await read(r.auth)).answers).toEqual([]);
    expect((await read(r.auth)).maxClientSeq).toBe(3);
  });

  it('submits only when every visible required question is answered; then answers are read-only', async () => {
    const r = await respondent();
    await save(r.auth, [{ question: 'LEAD_01', value: 3 }]);
    const early = await app.gql(SUBMIT, {}, r.auth);
    expect(early.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const missing = UNCONDITIONAL_REQUIRED.map((q) => q.code).filter((c) => c !== 'LEAD_01');
    expect(early.errors![0].extensions!.missingQuestions).toEqual(missing);
    expect(early.errors![0].extensions!.problems).toHaveLength(missing.length);
    expect(early.errors![0].message).toContain('LEAD_02');

    // Answer everything; TRAIN_01 = true hides TRAIN_02 and SYS_01 = false hides SYS_02, so they need no answer.
    const answers = def.questions
      .filter((q) => !['SYS_02', 'TRAIN_02'].includes(q.code))
      .map((q) => ({
        question: q.code,
        value: q.code === 'SYS_01' ? false : q.code === 'TRAIN_01' ? true : validValue(q),
      }));
    const saved = await save(r.auth, answers);
    expect(saved.errors).toBeUndefined();
    expect(saved.data.saveAnswers.visibleQuestions).not.toContain('SYS_02');
    expect(saved.data.saveAnswers.progress.missingRequired).toEqual([]);

    const ok = await app.gql(SUBMIT, {}, r.auth);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.submitResponse).toMatchObject({
      status: 'SUBMITTED',
      submittedAt: expect.any(String),
      progress: { missingRequired: [] },
    });

    const late = await save(r.auth, [{ question: 'LEAD_01', value: 1 }]);
    expect(late.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(late.errors?.[0].message).toMatch(/submitted/);
    const twice = await app.gql(SUBMIT, {}, r.auth);
    expect(twice.errors?.[0].extensions?.code).toBe('CONFLICT');
    const q = await read(r.auth);
    expect(q).toMatchObject({
      status: 'SUBMITTED',
      editable: false,
      readOnlyReason: expect.stringMatching(/submitted/),
    });
    expect((await storedOf(r.auth)).LEAD_01.value).toBe(validValue(question('LEAD_01')));

    // The submitted response counts when the assessment closes.
    const closed = await app.gql(
      `mutation C($id: ID!) { closeAssessment(id: $id) { status } }`,
      { id: r.assessmentId },
      firm.auth.CONSULTANT,
    );
    expect(closed.errors).toBeUndefined();
    const rows = await app.running.database.dataSource.query(
      'SELECT respondent_count FROM assessment_result WHERE firm_id = $1 AND assessment_id = $2',
      [firm.firmId, r.assessmentId],
    );
    expect(rows).toEqual([{ respondent_count: 1 }]);
  });

  it('never writes an answer after the submission: a submit and saves sent at once do not interleave', async () => {
    const all = def.questions.map((q) => ({ question: q.code, value: validValue(q) }));
    // Set up one after another; only the token operations below run at once.
    const people: Array<Awaited<ReturnType<typeof respondent>>> = [];
    for (let i = 0; i < 6; i++) people.push(await respondent());
    await Promise.all(people.map((r) => save(r.auth, all)));
    const calls = people.flatMap((r) => [
      ...Array.from({ length: 15 }, (_, i) =>
        save(r.auth, [
          { question: def.questions[i].code, value: validValue(def.questions[i], 1), clientSeq: 1000 + i },
        ]),
      ),
      app.gql(SUBMIT, {}, r.auth),
    ]);
    const results = await Promise.all(calls);
    // Each save either ran before the submission or was refused after it; nothing failed otherwise.
    for (const res of results) if (res.errors) expect(res.errors[0].extensions?.code).toBe('CONFLICT');
    const rows = await app.running.database.dataSource.query(
      `SELECT r.status, count(a.*) FILTER (WHERE a.updated_at > r.submitted_at)::int AS late
         FROM respondent r LEFT JOIN answer a ON a.firm_id = r.firm_id AND a.respondent_id = r.id
        WHERE r.firm_id = $1 AND r.id = ANY($2::uuid[]) GROUP BY r.id, r.status`,
      [firm.firmId, people.map((r) => r.respondentId)],
    );
    expect(rows).toEqual(people.map(() => ({ status: 'SUBMITTED', late: 0 })));
  });

  it('either counts a submission in the closing result or refuses it', async () => {
    const answers = def.questions.map((q) => ({ question: q.code, value: validValue(q) }));
    let counted = 0;
    let refused = 0;
    for (let round = 0; round < 12; round++) {
      const r = await respondent();
      await save(r.auth, answers);
      const sendSubmit = () => app.gql(SUBMIT, {}, r.auth);
      const sendClose = () =>
        app.gql(
          `mutation C($id: ID!) { closeAssessment(id: $id) { status } }`,
          { id: r.assessmentId },
          firm.auth.CONSULTANT,
        );
      // The embedded database runs one transaction at a time, so the race is real only on
      // PostgreSQL; on the embedded one the two orders are taken in turn, so that both
      // outcomes are tested.
      const [submitted, closed] = ON_POSTGRES
        ? await Promise.all([sendSubmit(), sendClose()])
        : round % 2 === 0
          ? [await sendSubmit(), await sendClose()]
          : await (async () => {
              const c = await sendClose();
              return [await sendSubmit(), c];
            })();
      expect(closed.errors).toBeUndefined();
      const rows = await app.running.database.dataSource.query(
        'SELECT respondent_count FROM assessment_result WHERE firm_id = $1 AND assessment_id = $2',
        [firm.firmId, r.assessmentId],
      );
      if (submitted.errors) {
        expect(submitted.errors[0].extensions?.code).toBe('CONFLICT');
        expect(rows).toEqual([{ respondent_count: 0 }]);
        refused++;
      } else {
        expect(rows).toEqual([{ respondent_count: 1 }]);
        counted++;
      }
    }
    expect(counted + refused).toBe(12);
  });

  it('answers only while the assessment is OPEN', async () => {
    const draft = await respondent({ open: false });
    const q = await read(draft.auth);
    expect(q).toMatchObject({
      assessmentStatus: 'DRAFT',
      editable: false,
      readOnlyReason: expect.stringMatching(/not open yet/),
    });
    const res = await save(draft.auth, [{ question: 'LEAD_01', value: 3 }]);
    expect(res.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await app.gql(SUBMIT, {}, draft.auth)).errors?.[0].extensions?.code).toBe('CONFLICT');

    for (const op of ['closeAssessment', 'cancelAssessment']) {
      const r = await respondent();
      await save(r.auth, [{ question: 'LEAD_01', value: 3 }]);
      await app.gql(`mutation T($id: ID!) { ${op}(id: $id) { status } }`, { id: r.assessmentId }, firm.auth.CONSULTANT);
      const late = await save(r.auth, [{ question: 'LEAD_01', value: 4 }]);
      expect(late.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(late.errors?.[0].message).toMatch(op === 'closeAssessment' ? /CLOSED/ : /CANCELLED/);
      // Still readable, read-only.
      const after = await read(r.auth);
      expect(after.editable).toBe(false);
      expect(after.answers[0]).toMatchObject({ question: 'LEAD_01', value: 3 });
    }
  });

  it('stops saving with a token at once when it is revoked, replaced, expired or its respondent removed', async () => {
    for (const change of ['revoke', 'reissue', 'expire', 'remove'] as const) {
      const r = await respondent();
      // Saved once, so the server already knows the token when it changes.
      expect((await save(r.auth, [{ question: 'LEAD_01', value: 3, clientSeq: 1 }])).errors).toBeUndefined();
      let newToken: string | null = null;
      if (change === 'revoke')
        expect((await app.gql(REVOKE, { id: r.respondentId }, firm.auth.CONSULTANT)).errors).toBeUndefined();
      if (change === 'reissue')
        newToken = (await app.ok(REISSUE, { id: r.respondentId }, firm.auth.CONSULTANT)).reissueRespondentToken.token;
      if (change === 'remove')
        expect((await app.gql(REMOVE, { id: r.respondentId }, firm.auth.CONSULTANT)).errors).toBeUndefined();
      if (change === 'expire') {
        await app.running.database.dataSource.query(
          "UPDATE respondent SET token_expires_at = now() - interval '1 second' WHERE firm_id = $1 AND id = $2",
          [firm.firmId, r.respondentId],
        );
      }
      const late = await save(r.auth, [{ question: 'LEAD_01', value: 4, clientSeq: 2 }]);
      expect([change, late.errors?.[0].extensions?.code]).toEqual([change, 'UNAUTHENTICATED']);
      if (change === 'expire') expect(late.errors?.[0].message).toMatch(/expired/);
      if (newToken) {
        // The new token saves, into the same answers.
        const saved = await save(tokenAuth(newToken), [{ question: 'LEAD_02', value: 2, clientSeq: 2 }]);
        expect(saved.errors).toBeUndefined();
        const stored = await storedOf(tokenAuth(newToken));
        expect([stored.LEAD_01.value, stored.LEAD_02.value]).toEqual([3, 2]);
      }
    }
  });

  it('checks the framework version it remembers for a token against the assessment before writing', async () => {
    const ds = app.running.database.dataSource;
    const r = await respondent();
    expect((await save(r.auth, [{ question: 'LEAD_01', value: 3 }])).errors).toBeUndefined();
    const other = await insertFrameworkVersion(ds, {
      document: generatedFramework('answering-switch', 2, 2),
      status: 'PUBLISHED',
      ownerFirmId: firm.firmId,
    });
    // The API never changes an assessment's framework; this stands for any change the
    // server's remembered hint does not know of.
    await ds.query('UPDATE assessment SET framework_version_id = $3 WHERE firm_id = $1 AND id = $2', [
      firm.firmId,
      r.assessmentId,
      other,
    ]);
    const stale = await save(r.auth, [{ question: 'LEAD_01', value: 4 }]);
    expect(stale.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ path: 'input.answers[0].question' }],
    });
    const fresh = await save(r.auth, [{ question: 'Q_1_1', value: 4 }]);
    expect(fresh.data?.saveAnswers.results).toEqual([{ index: 0, question: 'Q_1_1', outcome: 'APPLIED' }]);
    const rows = await ds.query(
      'SELECT question_code, value FROM answer WHERE firm_id = $1 AND respondent_id = $2 ORDER BY 1',
      [firm.firmId, r.respondentId],
    );
    expect(rows).toEqual([
      { question_code: 'LEAD_01', value: 3 },
      { question_code: 'Q_1_1', value: 4 },
    ]);
  });

  it('reports an unknown token or a read-only response before the problems of the answers', async () => {
    const r = await respondent();
    expect((await save(r.auth, [{ question: 'LEAD_01', value: 3 }])).errors).toBeUndefined();
    const bad = [{ question: 'NO_SUCH_QUESTION', value: 3 }];
    expect((await save(r.auth, bad)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    await app.ok(
      `mutation T($id: ID!) { closeAssessment(id: $id) { status } }`,
      { id: r.assessmentId },
      firm.auth.CONSULTANT,
    );
    const closed = await save(r.auth, bad);
    expect(closed.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(closed.errors?.[0].message).toMatch(/CLOSED/);
    const unknown = await save(tokenAuth(`ssr_${'B'.repeat(43)}`), bad);
    expect(unknown.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('saves in one SQL statement once the token is known, and reads the answers back only for the progress', async () => {
    const r = await respondent();
    const counter = countSql(app.running.database.dataSource);
    try {
      const first = await counter.during(() =>
        app.gql(LEAN_SAVE, { input: { answers: [{ question: 'LEAD_01', value: 3 }] } }, r.auth),
      );
      expect(first.result.errors).toBeUndefined();
      // Looking the token up, then the save.
      expect(first.statements).toHaveLength(2);
      const lean = await counter.during(() =>
        app.gql(
          LEAN_SAVE,
          {
            input: {
              answers: [
                { question: 'LEAD_02', value: 4 },
                { question: 'LEAD_03', value: validValue(question('LEAD_03')) },
              ],
            },
          },
          r.auth,
        ),
      );
      expect(lean.result.data.saveAnswers).toEqual({
        status: 'IN_PROGRESS',
        results: [
          { question: 'LEAD_02', outcome: 'APPLIED' },
          { question: 'LEAD_03', outcome: 'APPLIED' },
        ],
      });
      expect(lean.statements).toHaveLength(1);
      expect(lean.statements[0]).toMatch(/^WITH r AS \( UPDATE respondent/);
      const full = await counter.during(() =>
        save(r.auth, [{ question: 'LEAD_04', value: validValue(question('LEAD_04')) }]),
      );
      expect(full.statements).toHaveLength(2);
      // The progress counts this call's answer and the earlier ones.
      expect(full.result.data.saveAnswers.progress.answered).toBe(4);
    } finally {
      counter.restore();
    }
  });

  it('opens only its own respondent’s answers: another respondent of the same assessment sees and changes none of them', async () => {
    const a = await respondent();
    const [other] = await inviteViaApi(app, firm.auth.CONSULTANT, a.assessmentId, [
      { name: 'Борис', email: `boris-${a.respondentId}@example.com`, role: 'MANAGER' },
    ]);
    const b = tokenAuth(other.token);
    await save(a.auth, [{ question: 'LEAD_01', value: 5, clientSeq: 7 }]);
    expect((await read(b)).answers).toEqual([]);
    expect((await read(b)).respondentName).toBe('Борис');
    // B's save of the same question is B's own answer; A's stays as it was, and A's submit
    // leaves B still answering.
    await save(b, [{ question: 'LEAD_01', value: 1, clientSeq: 100 }]);
    expect((await storedOf(a.auth)).LEAD_01).toMatchObject({ value: 5, clientSeq: 7 });
    expect((await storedOf(b)).LEAD_01).toMatchObject({ value: 1, clientSeq: 100 });
    await save(
      a.auth,
      def.questions.map((q) => ({ question: q.code, value: validValue(q) })),
    );
    expect((await app.gql(SUBMIT, {}, a.auth)).errors).toBeUndefined();
    expect((await read(b)).status).toBe('IN_PROGRESS');
    expect((await save(b, [{ question: 'LEAD_02', value: 2 }])).errors).toBeUndefined();
    expect(Object.keys(await storedOf(b)).sort()).toEqual(['LEAD_01', 'LEAD_02']);
  });

  it('keeps the link token and API keys apart', async () => {
    const r = await respondent();
    const withKey = await app.gql(QUESTIONNAIRE, {}, firm.auth.ADMIN);
    expect(withKey.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const saveWithKey = await save(firm.auth.CONSULTANT, [{ question: 'LEAD_01', value: 1 }]);
    expect(saveWithKey.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    for (const query of [
      `{ assessments { totalCount } }`,
      `query R($id: ID!) { respondents(assessmentId: $id) { id } }`,
      `query A($id: ID!) { assessment(id: $id) { id } }`,
    ]) {
      const res = await app.gql(query, { id: r.assessmentId }, r.auth);
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    const noToken = await app.gql(QUESTIONNAIRE, {});
    expect(noToken.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await app.gql(QUESTIONNAIRE, {}, tokenAuth(`ssr_${'A'.repeat(43)}`));
    expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const malformed = await app.gql(QUESTIONNAIRE, {}, { authorization: 'Token abc' });
    expect(malformed.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
