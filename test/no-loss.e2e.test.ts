/**
 * No answer is ever lost: hundreds of concurrent, reordered and repeated saves against the
 * real server; afterwards every stored answer must be the newest one sent (highest clientSeq
 * per question).
 */
import { startTestApp, ON_POSTGRES, type TestApp } from './helpers/test-app';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import {
  createAssessmentViaApi,
  defaultFrameworkDef,
  defaultFrameworkId,
  insertOrganisation,
  inviteViaApi,
  tokenAuth,
  validValue,
} from './helpers/assessment-fixtures';

jest.setTimeout(180_000);

// Embedded PGlite runs one query at a time: keep its volume moderate.
const RESPONDENTS = ON_POSTGRES ? 30 : 8;
const CALLS_PER_RESPONDENT = ON_POSTGRES ? 40 : 25;
const TWO_TAB_CALLS = ON_POSTGRES ? 200 : 100;
const IN_FLIGHT = ON_POSTGRES ? 24 : 8;

const SAVE = `mutation S($input: SaveAnswersInput!) { saveAnswers(input: $input) { results { index question outcome } } }`;
const QUESTIONNAIRE = `{ questionnaire { answers { question value notApplicable clientSeq } maxClientSeq } }`;

interface SentAnswer {
  question: string;
  value: unknown;
  clientSeq: number;
}
interface Call {
  respondent: number;
  answers: SentAnswer[];
}

/** A seeded pseudo-random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], rnd: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('no answer is lost under concurrent, reordered and repeated saves', () => {
  let app: TestApp;
  let firm: TestFirm;
  const def = defaultFrameworkDef();
  // A small set of questions per respondent, so that saves to one question collide often.
  const questions = def.questions
    .filter((q) => ['LIKERT', 'SINGLE_CHOICE', 'MULTI_CHOICE', 'TEXT', 'BOOLEAN'].includes(q.type))
    .slice(0, 12);

  beforeAll(async () => {
    app = await startTestApp();
    const ds = app.running.database.dataSource;
    firm = await createTestFirm(ds);
    const orgId = await insertOrganisation(ds, firm.firmId);
    const frameworkId = await defaultFrameworkId(ds);
    assessmentId = await createAssessmentViaApi(app, firm.auth.CONSULTANT, {
      organisationId: orgId,
      frameworkVersionId: frameworkId,
      title: 'Load',
    });
    const people = Array.from({ length: RESPONDENTS + 1 }, (_, i) => ({
      name: `R${i}`,
      email: `r${i}@example.com`,
      role: ['EXECUTIVE', 'MANAGER', 'FRONTLINE'][i % 3],
    }));
    invited = await inviteViaApi(app, firm.auth.CONSULTANT, assessmentId, people);
  });
  afterAll(async () => {
    await app?.stop();
  });
  let assessmentId: string;
  let invited: Array<{ id: string; token: string }>;

  it('stores, for every question, exactly the answer with the highest clientSeq', async () => {
    const rnd = random(20261122);
    const calls: Call[] = [];
    const seqOf = new Map<number, number>();
    const nextSeq = (r: number) => {
      const s = (seqOf.get(r) ?? 1000) + 1 + Math.floor(rnd() * 3);
      seqOf.set(r, s);
      return s;
    };
    const edit = (r: number): SentAnswer => {
      const q = questions[Math.floor(rnd() * questions.length)];
      // One edit in ten clears the answer (value null): clears are sequenced like any save.
      const value = rnd() < 0.1 ? null : validValue(q, Math.floor(rnd() * 7));
      return { question: q.code, value, clientSeq: nextSeq(r) };
    };
    // Many respondents, each with a series of saves of 1..3 answers.
    for (let r = 0; r < RESPONDENTS; r++) {
      for (let c = 0; c < CALLS_PER_RESPONDENT; c++) {
        const size = 1 + Math.floor(rnd() * 3);
        calls.push({ respondent: r, answers: Array.from({ length: size }, () => edit(r)) });
      }
    }
    // One respondent in "two tabs": two streams of edits to the same questions, interleaved,
    // with increasing sequence numbers from one clock.
    const tabs = RESPONDENTS;
    for (let c = 0; c < TWO_TAB_CALLS; c++) calls.push({ respondent: tabs, answers: [edit(tabs)] });
    // Retries: some calls are delivered twice.
    const retries = calls.filter(() => rnd() < 0.1).map((call) => ({ ...call }));
    const delivery = shuffle([...calls, ...retries], rnd);

    const outcomes = new Map<string, string[]>(); // `${respondent}/${question}/${seq}` → outcomes
    let next = 0;
    const errors: unknown[] = [];
    async function worker(): Promise<void> {
      while (next < delivery.length) {
        const call = delivery[next++];
        const res = await app.gql(
          SAVE,
          { input: { answers: call.answers } },
          tokenAuth(invited[call.respondent].token),
        );
        if (res.errors || res.status !== 200) {
          errors.push(res.errors ?? res.status);
          continue;
        }
        res.data.saveAnswers.results.forEach((result: { index: number; outcome: string }) => {
          const a = call.answers[result.index];
          const key = `${call.respondent}/${a.question}/${a.clientSeq}`;
          outcomes.set(key, [...(outcomes.get(key) ?? []), result.outcome]);
        });
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    expect(errors).toEqual([]);
    expect(delivery.length).toBeGreaterThanOrEqual(ON_POSTGRES ? 1400 : 300);

    // The newest answer sent per respondent and question.
    const newest = new Map<number, Map<string, SentAnswer>>();
    for (const call of calls) {
      const perQuestion = newest.get(call.respondent) ?? new Map<string, SentAnswer>();
      newest.set(call.respondent, perQuestion);
      for (const a of call.answers) {
        const current = perQuestion.get(a.question);
        if (!current || a.clientSeq > current.clientSeq) perQuestion.set(a.question, a);
      }
    }

    // Every stored row, straight from the database...
    const rows: Array<{
      respondent_id: string;
      question_code: string;
      value: unknown;
      not_applicable: boolean;
      client_seq: string;
    }> = await app.running.database.dataSource.query(
      'SELECT respondent_id, question_code, value, not_applicable, client_seq FROM answer WHERE firm_id = $1 AND assessment_id = $2',
      [firm.firmId, assessmentId],
    );
    const indexOf = new Map(invited.map((r, i) => [r.id, i]));
    let compared = 0;
    for (const [r, perQuestion] of newest) {
      const stored = rows.filter((row) => indexOf.get(row.respondent_id) === r);
      expect(stored.map((row) => row.question_code).sort()).toEqual([...perQuestion.keys()].sort());
      for (const row of stored) {
        const expected = perQuestion.get(row.question_code)!;
        expect({ respondent: r, question: row.question_code, value: row.value, seq: Number(row.client_seq) }).toEqual({
          respondent: r,
          question: row.question_code,
          value: expected.value,
          seq: expected.clientSeq,
        });
        expect(row.not_applicable).toBe(false);
        // The newest save was reported APPLIED every time it was delivered.
        expect(outcomes.get(`${r}/${row.question_code}/${expected.clientSeq}`)?.every((o) => o === 'APPLIED')).toBe(
          true,
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(RESPONDENTS * 5);

    // ...and as the respondent reads them back (cleared answers are not listed).
    for (const r of [0, tabs]) {
      const res = await app.gql(QUESTIONNAIRE, {}, tokenAuth(invited[r].token));
      const expected = [...newest.get(r)!.values()].filter((a) => a.value !== null);
      const got = new Map(res.data.questionnaire.answers.map((a: any) => [a.question, a]));
      expect(got.size).toBe(expected.length);
      for (const a of expected)
        expect(got.get(a.question)).toEqual({
          question: a.question,
          value: a.value,
          notApplicable: false,
          clientSeq: a.clientSeq,
        });
      expect(res.data.questionnaire.maxClientSeq).toBe(
        Math.max(...[...newest.get(r)!.values()].map((a) => a.clientSeq)),
      );
    }
  });
});
