/**
 * Answering with a respondent's link token: the token opens that respondent's
 * questionnaire and answers and nothing else. Saves are idempotent upserts guarded by the
 * client's sequence number, so reordered or repeated saves never lose the newest answer.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { queryPrepared } from '../../db/prepared-statement';
import { withTransaction } from '../../db/transaction';
import { BadInputError, type InputProblem } from '../../graphql/errors';
import type { RequestContext } from '../../graphql/context';
import { validateAnswer, type Answer, type QuestionDef } from '../../scoring';
import { hashSecret, looksLikeApiKey } from '../firm/api-key.service';
import { localize } from '../framework/framework-convert';
import type { LocalizedText } from '../framework/framework-document';
import type { QuestionType } from '../framework/framework.types';
import { Locale } from '../reference/reference.types';
import type { AssessmentStatus } from '../assessment/assessment.entity';
import { frameworkContent, type FrameworkContent } from '../assessment/assessment.loaders';
import { ANSWERING_LOCK_CLASS } from '../assessment/assessment.service';
import { AssessmentStatusValue } from '../assessment/assessment.types';
import {
  InvalidLinkTokenError,
  MissingAnswersError,
  ReadOnlyAnswersError,
  answerProblemMessage,
} from './answering.errors';
import type { AnswerInput, SaveAnswersInput } from './answering.inputs';
import {
  AnswerOutcome,
  type QuestionnaireNode,
  type QuestionnaireProgressNode,
  type QuestionnaireQuestionNode,
  type SaveAnswersPayloadNode,
  type SavedAnswerNode,
  type SubmitResponsePayloadNode,
} from './answering.types';
import { TOKEN_PATTERN, progressOf, storedAnswer, type ProgressDetail } from './respondent.service';
import { RespondentStatusValue } from './respondent.types';
import { recordWebhookEvent } from '../webhook/webhook-outbox';
import { WebhookEventType } from '../webhook/webhook-events';

/** A well-formed link token from the request, not yet looked up. */
export interface LinkToken {
  /** SHA-256 of the token: what the respondent row stores. */
  hash: string;
}

/** The respondent behind a valid link token. */
export interface RespondentSession {
  firmId: string;
  respondentId: string;
  assessmentId: string;
  frameworkVersionId: string;
  /** The hash of the token used. */
  tokenHash: string;
}

// Whether a token has not expired, by the database's clock: the save statement checks the
// expiry there too, and a lookup that disagreed with it (another clock) would give a wrong reason.
function tokenActive(expiresAt: string): string {
  return `COALESCE(${expiresAt} > now(), false) AS token_active`;
}

/**
 * Reads the link token of the request (`Authorization: Bearer ssr_…`). UNAUTHENTICATED when
 * there is none or it is not of the token's form (an API key opens no questionnaire). The
 * token is looked up by the service, inside its transaction.
 */
export function requireLinkToken(ctx: RequestContext): LinkToken {
  const header = ctx.authorization;
  if (!header) throw new InvalidLinkTokenError('missing');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match && looksLikeApiKey(match[1])) throw new InvalidLinkTokenError('api-key');
  if (!match || !TOKEN_PATTERN.test(match[1])) throw new InvalidLinkTokenError('invalid');
  return { hash: hashSecret(match[1]) };
}

/**
 * Resolves a link token for a submission: locks the respondent (FOR UPDATE, against a
 * concurrent save, submission, revocation or removal) and takes the assessment's
 * answering lock shared (against a concurrent close or cancel) until the transaction ends,
 * then checks that the answers can still change. UNAUTHENTICATED for an unknown, revoked
 * or expired token; CONFLICT when the answers are read-only.
 */
// Everything of a call runs in one transaction on its manager: besides consistency, the
// embedded database serves concurrent connections one transaction at a time, so statements
// outside a transaction could interleave with another connection's.
async function lockSessionForEditing(manager: EntityManager, token: LinkToken): Promise<RespondentSession> {
  // A token revoked or replaced while this waits for the lock no longer matches: no row.
  const respondents: Array<{
    firm_id: string;
    id: string;
    assessment_id: string;
    status: RespondentStatusValue;
    token_active: boolean;
  }> = await manager.query(
    `SELECT firm_id, id, assessment_id, status, ${tokenActive('token_expires_at')}, pg_advisory_xact_lock_shared($2, hashtext(assessment_id::text)) AS answering_lock
         FROM respondent WHERE token_hash = $1 FOR UPDATE`,
    [token.hash, ANSWERING_LOCK_CLASS],
  );
  const respondent = respondents[0];
  if (!respondent) throw new InvalidLinkTokenError('invalid');
  if (!respondent.token_active) throw new InvalidLinkTokenError('expired');
  // A new statement, so it sees a close or cancel that committed while the lock was awaited.
  const assessments: Array<{ status: AssessmentStatus; framework_version_id: string }> = await manager.query(
    'SELECT status, framework_version_id FROM assessment WHERE firm_id = $1 AND id = $2',
    [respondent.firm_id, respondent.assessment_id],
  );
  const assessment = assessments[0];
  if (!assessment) throw new InvalidLinkTokenError('invalid');
  const reason = readOnlyReason(assessment.status, respondent.status);
  if (reason) throw new ReadOnlyAnswersError(reason);
  return {
    firmId: respondent.firm_id,
    respondentId: respondent.id,
    assessmentId: respondent.assessment_id,
    frameworkVersionId: assessment.framework_version_id,
    tokenHash: token.hash,
  };
}

/** Why answers are read-only in these states, or null when they can be saved. */
function readOnlyReason(assessmentStatus: AssessmentStatus, respondentStatus: RespondentStatusValue): string | null {
  if (respondentStatus === RespondentStatusValue.SUBMITTED)
    return 'Your response is submitted: the answers can no longer be changed.';
  if (assessmentStatus === 'DRAFT')
    return 'The assessment is not open yet (DRAFT): answers can be saved once it is opened.';
  if (assessmentStatus === 'CLOSED') return 'The assessment is CLOSED: the answers can no longer be changed.';
  if (assessmentStatus === 'CANCELLED') return 'The assessment is CANCELLED: the answers can no longer be changed.';
  return null;
}

interface AnswerRow {
  question_code: string;
  value: unknown;
  not_applicable: boolean;
  client_seq: string | null;
  updated_at: Date;
}

async function loadAnswerRows(
  db: DataSource | EntityManager,
  session: Pick<RespondentSession, 'firmId' | 'respondentId'>,
): Promise<AnswerRow[]> {
  return db.query(
    'SELECT question_code, value, not_applicable, client_seq, updated_at FROM answer WHERE firm_id = $1 AND respondent_id = $2',
    [session.firmId, session.respondentId],
  );
}

/** The engine's view of stored answers; cleared answers (no value, not N/A) are left out. */
function answersOf(rows: AnswerRow[]): Record<string, Answer> {
  const answers: Record<string, Answer> = {};
  for (const row of rows) {
    const answer = storedAnswer(row);
    if (answer) answers[row.question_code] = answer;
  }
  return answers;
}

function progressNode(progress: ProgressDetail): QuestionnaireProgressNode {
  return {
    visible: progress.visible,
    answered: progress.answered,
    required: progress.required,
    requiredAnswered: progress.requiredAnswered,
    missingRequired: progress.missingRequired,
  };
}

function text(value: LocalizedText | null | undefined, locale: Locale): string | null {
  return localize(value, locale);
}

function questionsOf(content: FrameworkContent, locale: Locale, visible: Set<string>): QuestionnaireQuestionNode[] {
  const dimensionTitle = new Map(content.document.dimensions.map((d) => [d.code, text(d.title, locale)]));
  return content.document.questions.map((q, i) => {
    const def: QuestionDef = content.def.questions[i];
    return {
      code: q.code,
      type: q.type as QuestionType,
      section: q.links.length ? (dimensionTitle.get(q.links[0].dimension) ?? null) : null,
      text: text(q.text, locale) ?? '',
      help: text(q.help, locale),
      required: q.required,
      allowNotApplicable: q.allowNotApplicable,
      visible: visible.has(q.code),
      showIf: def.showIf ? { question: def.showIf.question, anyOf: [...def.showIf.anyOf] } : null,
      scale: def.scale
        ? {
            min: def.scale.min,
            max: def.scale.max,
            minLabel: text(q.scale?.minLabel, locale),
            maxLabel: text(q.scale?.maxLabel, locale),
          }
        : null,
      options: q.options
        ? q.options.map((o) => ({
            code: o.code,
            label: text(o.label, locale) ?? o.code,
            exclusive: o.exclusive ?? false,
          }))
        : null,
      numeric: q.numeric ? { min: q.numeric.min, max: q.numeric.max, unit: text(q.numeric.unit, locale) } : null,
    };
  });
}

/**
 * The respondent's questionnaire in `locale`: texts, saved answers, the questions visible
 * with those answers, progress, and whether answers can still be saved.
 */
export async function getQuestionnaire(
  token: LinkToken,
  dataSource: DataSource,
  locale: Locale | null | undefined,
): Promise<QuestionnaireNode> {
  return withTransaction(dataSource, (manager) => readQuestionnaire(manager, token, locale ?? Locale.RU));
}

async function readQuestionnaire(manager: EntityManager, token: LinkToken, lang: Locale): Promise<QuestionnaireNode> {
  const heads: Array<{
    firm_id: string;
    id: string;
    assessment_id: string;
    framework_version_id: string;
    name: string;
    role: string;
    status: RespondentStatusValue;
    token_expires_at: Date | null;
    token_active: boolean;
    submitted_at: Date | null;
    title: string;
    assessment_status: AssessmentStatus;
    due_at: Date | null;
    organisation_name: string;
  }> = await manager.query(
    `SELECT r.firm_id, r.id, r.assessment_id, a.framework_version_id, r.name, r.role, r.status, r.token_expires_at, ${tokenActive('r.token_expires_at')}, r.submitted_at,
            a.title, a.status AS assessment_status, a.due_at, o.name AS organisation_name
       FROM respondent r
       JOIN assessment a ON a.firm_id = r.firm_id AND a.id = r.assessment_id
       JOIN organisation o ON o.firm_id = a.firm_id AND o.id = a.organisation_id
      WHERE r.token_hash = $1`,
    [token.hash],
  );
  const head = heads[0];
  if (!head) throw new InvalidLinkTokenError('invalid');
  if (!head.token_active || !head.token_expires_at) throw new InvalidLinkTokenError('expired');
  const session: RespondentSession = {
    firmId: head.firm_id,
    respondentId: head.id,
    assessmentId: head.assessment_id,
    frameworkVersionId: head.framework_version_id,
    tokenHash: token.hash,
  };
  const content = await frameworkContent(manager, session.frameworkVersionId);
  const rows = await loadAnswerRows(manager, session);
  const progress = progressOf(content.def, answersOf(rows));
  const order = new Map(content.def.questions.map((q, i) => [q.code, i]));
  const answers: SavedAnswerNode[] = rows
    .filter((row) => storedAnswer(row) !== null)
    .sort((a, b) => (order.get(a.question_code) ?? Infinity) - (order.get(b.question_code) ?? Infinity))
    .map((row) => ({
      question: row.question_code,
      value: row.not_applicable ? null : row.value,
      notApplicable: row.not_applicable,
      clientSeq: row.client_seq === null ? null : Number(row.client_seq),
      updatedAt: row.updated_at,
    }));
  const seqs = rows.filter((r) => r.client_seq !== null).map((r) => Number(r.client_seq));
  const reason = readOnlyReason(head.assessment_status, head.status);
  return {
    locale: lang,
    assessmentTitle: head.title,
    organisationName: head.organisation_name,
    frameworkName: text(content.document.name, lang) ?? content.key,
    respondentName: head.name,
    respondentRole: head.role,
    status: head.status,
    assessmentStatus: head.assessment_status as AssessmentStatusValue,
    editable: reason === null,
    readOnlyReason: reason,
    dueAt: head.due_at,
    submittedAt: head.submitted_at,
    tokenExpiresAt: head.token_expires_at,
    questions: questionsOf(content, lang, new Set(progress.visibleQuestions)),
    answers,
    visibleQuestions: progress.visibleQuestions,
    maxClientSeq: seqs.length ? Math.max(...seqs) : null,
    progress: progressNode(progress),
  };
}

/** One answer of a call, checked and ready to store. */
interface PreparedAnswer {
  index: number;
  question: string;
  /** null clears the answer (with notApplicable false). */
  value: unknown;
  notApplicable: boolean;
  clientSeq: number | null;
  /**
   * Sent without a clientSeq: it always applies. It can still carry the clientSeq of an
   * earlier answer of the call that it replaced, which the stored answer then keeps.
   */
  unsequenced: boolean;
}

// Half of a UTF-16 surrogate pair: what a client leaves when it cuts a text inside an emoji.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL cannot store a text of this value, or null when it can. */
function unstorableText(value: unknown): string | null {
  const texts =
    typeof value === 'string'
      ? [value]
      : Array.isArray(value)
        ? value.filter((v): v is string => typeof v === 'string')
        : [];
  for (const text of texts) {
    if (text.includes('\u0000')) return 'text must not contain a NUL character';
    if (LONE_SURROGATE.test(text))
      return 'text contains half of a character (an unpaired UTF-16 surrogate, as when an emoji is cut in two)';
  }
  return null;
}

/**
 * Checks every answer of a call against its question; BAD_USER_INPUT with every problem
 * (paths `input.answers[i].…`) so that nothing of an invalid call is stored.
 */
function prepareAnswers(content: FrameworkContent, answers: AnswerInput[]): PreparedAnswer[] {
  const questions = new Map(content.def.questions.map((q) => [q.code, q]));
  const problems: InputProblem[] = [];
  const prepared = answers.map((a, index): PreparedAnswer => {
    const value = a.value === undefined ? null : a.value;
    const notApplicable = a.notApplicable === true;
    const question = questions.get(a.question);
    const textProblem = question ? unstorableText(value) : null;
    if (!question) {
      problems.push({
        path: `input.answers[${index}].question`,
        message: answerProblemMessage({ question: a.question, code: 'UNKNOWN_QUESTION', message: '' }, undefined),
      });
    } else if (textProblem) {
      problems.push({ path: `input.answers[${index}].value`, message: `question ${a.question}: ${textProblem}` });
    } else if (value !== null || notApplicable) {
      for (const problem of validateAnswer(question, { value: value as Answer['value'], notApplicable })) {
        const field =
          problem.code === 'NOT_APPLICABLE_NOT_ALLOWED' || problem.code === 'CONFLICTING_ANSWER'
            ? 'notApplicable'
            : 'value';
        problems.push({ path: `input.answers[${index}].${field}`, message: answerProblemMessage(problem, question) });
      }
    }
    const clientSeq = a.clientSeq ?? null;
    return { index, question: a.question, value, notApplicable, clientSeq, unsequenced: clientSeq === null };
  });
  if (problems.length) throw new BadInputError(problems);
  return prepared;
}

/**
 * True when an answer with sequence `incoming` may replace one with `stored`: the same rule
 * as the SQL upsert (a missing sequence on either side always applies; equal applies).
 */
function supersedes(incoming: number | null, stored: number | null): boolean {
  return incoming === null || stored === null || incoming >= stored;
}

// Link token hash -> framework version id of its assessment, so that a save can check its
// answers and write them in one statement, without looking the token up first. Only a hint:
// the statement checks the token, its expiry, the respondent's and the assessment's state and
// the framework version itself, and a miss falls back to the lookup.
const SAVE_TARGET_CACHE_LIMIT = 10_000;
const frameworkVersionOfToken = new Map<string, string>();

function rememberFrameworkVersion(tokenHash: string, frameworkVersionId: string): void {
  frameworkVersionOfToken.delete(tokenHash);
  if (frameworkVersionOfToken.size >= SAVE_TARGET_CACHE_LIMIT)
    frameworkVersionOfToken.delete(frameworkVersionOfToken.keys().next().value as string);
  frameworkVersionOfToken.set(tokenHash, frameworkVersionId);
}

/**
 * Looks a link token up for a save, without locking anything (the save's statement checks
 * everything again), and returns its assessment's framework version id: UNAUTHENTICATED for
 * an unknown or expired token, CONFLICT when the answers are read-only.
 */
async function lookupFrameworkVersion(dataSource: DataSource, token: LinkToken): Promise<string> {
  const rows: Array<{
    status: RespondentStatusValue;
    token_active: boolean;
    assessment_status: AssessmentStatus;
    framework_version_id: string;
  }> = await dataSource.query(
    `SELECT r.status, ${tokenActive('r.token_expires_at')}, a.status AS assessment_status, a.framework_version_id
         FROM respondent r JOIN assessment a ON a.firm_id = r.firm_id AND a.id = r.assessment_id
        WHERE r.token_hash = $1`,
    [token.hash],
  );
  const row = rows[0];
  if (!row) throw new InvalidLinkTokenError('invalid');
  if (!row.token_active) throw new InvalidLinkTokenError('expired');
  const reason = readOnlyReason(row.assessment_status, row.status);
  if (reason) throw new ReadOnlyAnswersError(reason);
  rememberFrameworkVersion(token.hash, row.framework_version_id);
  return row.framework_version_id;
}

/** What the save statement returns: null when the token no longer opens editable answers. */
interface StoredSave {
  firmId: string;
  respondentId: string;
  status: RespondentStatusValue;
  lastActivityAt: Date;
  applied: Set<string>;
}

/** One try of a save against a framework version: the checked answers, and what was stored (null: nothing). */
interface SaveAttempt {
  content: FrameworkContent;
  prepared: PreparedSave;
  stored: StoredSave | null;
}

async function attemptSave(
  dataSource: DataSource,
  token: LinkToken,
  frameworkVersionId: string,
  answers: AnswerInput[],
  remembered: boolean,
): Promise<SaveAttempt> {
  const content = await frameworkContent(dataSource.manager, frameworkVersionId);
  let prepared: PreparedSave;
  try {
    prepared = prepareSave(content, answers);
  } catch (error) {
    // An unknown, expired or read-only token is reported before the answers' problems.
    if (remembered) await lookupFrameworkVersion(dataSource, token);
    throw error;
  }
  return { content, prepared, stored: await storeAnswers(dataSource, token, frameworkVersionId, prepared) };
}

/**
 * Saves answers of the token's respondent. Each answer is applied unless an answer with a
 * higher clientSeq is stored (STALE); several answers to one question in a call are first
 * reduced to one, in order, by the same rule (see prepareSave). The first save moves the
 * respondent to IN_PROGRESS.
 * UNAUTHENTICATED for an unknown or expired token; CONFLICT once submitted or unless the
 * assessment is OPEN; BAD_USER_INPUT, storing nothing, when any answer is invalid.
 *
 * The write is one statement (its own transaction): it checks the token and both states,
 * locks the respondent's row (so a concurrent submission, revocation or removal either
 * waits for it or makes it store nothing), upserts the answers and touches the respondent.
 * It takes no lock against a close: only submitted responses count in a result, and a
 * submitted respondent's answers are never written.
 */
export async function saveAnswers(
  token: LinkToken,
  dataSource: DataSource,
  input: SaveAnswersInput,
): Promise<SaveAnswersPayloadNode> {
  const remembered = frameworkVersionOfToken.get(token.hash);
  if (remembered) rememberFrameworkVersion(token.hash, remembered);
  const frameworkVersionId = remembered ?? (await lookupFrameworkVersion(dataSource, token));
  let attempt = await attemptSave(dataSource, token, frameworkVersionId, input.answers, remembered !== undefined);
  if (!attempt.stored) {
    frameworkVersionOfToken.delete(token.hash);
    // The token or a state changed since the token was looked up: the lookup says why. When
    // it still opens editable answers, what changed is the assessment's framework version
    // (the statement checks it against the remembered one): the save is tried once more.
    attempt = await attemptSave(
      dataSource,
      token,
      await lookupFrameworkVersion(dataSource, token),
      input.answers,
      false,
    );
    if (!attempt.stored) {
      frameworkVersionOfToken.delete(token.hash);
      await lookupFrameworkVersion(dataSource, token);
      throw new ReadOnlyAnswersError('The response changed while saving; please save again.');
    }
  }
  const { content, prepared, stored } = attempt;
  let progress: Promise<ProgressDetail> | null = null;
  return {
    results: prepared.answers.map((a) => ({
      index: a.index,
      question: a.question,
      outcome:
        prepared.outcomes[a.index] ?? (stored.applied.has(a.question) ? AnswerOutcome.APPLIED : AnswerOutcome.STALE),
    })),
    status: stored.status,
    lastActivityAt: stored.lastActivityAt,
    // Read only when the client asks for it (see SaveAnswersPayloadResolver).
    progressDetail: () =>
      (progress ??= loadAnswerRows(dataSource, { firmId: stored.firmId, respondentId: stored.respondentId }).then(
        (rows) => progressOf(content.def, answersOf(rows)),
      )),
  };
}

/** The answers of a call to write: one per question, the one that wins by the save rule. */
interface PreparedSave {
  answers: PreparedAnswer[];
  /** STALE for the answers that lose to a later one of the same call, by index. */
  outcomes: Array<AnswerOutcome | undefined>;
  winners: PreparedAnswer[];
}

function prepareSave(content: FrameworkContent, answers: AnswerInput[]): PreparedSave {
  const prepared = prepareAnswers(content, answers);
  const winners = new Map<string, PreparedAnswer>();
  const outcomes = new Array<AnswerOutcome | undefined>(prepared.length);
  for (const answer of prepared) {
    const current = winners.get(answer.question);
    if (!current) winners.set(answer.question, answer);
    else if (supersedes(answer.clientSeq, current.clientSeq)) {
      outcomes[current.index] = AnswerOutcome.STALE;
      // A save without a sequence keeps the highest one seen, as the upsert does.
      winners.set(answer.question, { ...answer, clientSeq: answer.clientSeq ?? current.clientSeq });
    } else outcomes[answer.index] = AnswerOutcome.STALE;
  }
  return { answers: prepared, outcomes, winners: [...winners.values()] };
}

/**
 * The save in one statement ($1 token hash, $2 framework version id, $3 the answers as a JSON
 * array of {q, v, na, seq}, $4 the codes of those that apply whatever their seq): the UPDATE
 * locks the respondent's row and, after waiting for a concurrent writer, re-checks the token
 * and the states on the row's newest version; then the sequence-guarded upsert, which keeps
 * the highest seq and moves `updated_at` only when the answer changes. No row when the token
 * no longer opens editable answers.
 * Exported for `npm run bench:api`, which measures it without the API as the save's ceiling.
 */
export const SAVE_ANSWERS_STATEMENT = `WITH r AS (
   UPDATE respondent r
      SET status = CASE WHEN r.status = 'INVITED' THEN 'IN_PROGRESS' ELSE r.status END, last_activity_at = now()
     FROM assessment a
    WHERE r.token_hash = $1 AND r.token_expires_at > now() AND r.status <> 'SUBMITTED'
      AND a.firm_id = r.firm_id AND a.id = r.assessment_id AND a.status = 'OPEN' AND a.framework_version_id = $2
   RETURNING r.firm_id, r.id, r.assessment_id, r.status, r.last_activity_at
 ), up AS (
   INSERT INTO answer AS ans (firm_id, respondent_id, question_code, assessment_id, value, not_applicable, client_seq, updated_at)
   SELECT r.firm_id, r.id, x.q, r.assessment_id, x.v, x.na, x.seq, now()
     FROM r CROSS JOIN jsonb_to_recordset($3::jsonb) AS x(q varchar, v jsonb, na boolean, seq bigint)
   ON CONFLICT (firm_id, respondent_id, question_code) DO UPDATE
      SET value = EXCLUDED.value,
          not_applicable = EXCLUDED.not_applicable,
          client_seq = GREATEST(EXCLUDED.client_seq, ans.client_seq),
          updated_at = CASE WHEN ans.value IS NOT DISTINCT FROM EXCLUDED.value AND ans.not_applicable = EXCLUDED.not_applicable
                            THEN ans.updated_at ELSE EXCLUDED.updated_at END
    WHERE ans.client_seq IS NULL OR EXCLUDED.client_seq IS NULL OR EXCLUDED.client_seq >= ans.client_seq
       OR EXCLUDED.question_code = ANY($4::varchar[])
   RETURNING question_code
 )
 SELECT r.firm_id, r.id, r.status, r.last_activity_at, (SELECT array_agg(question_code) FROM up) AS applied FROM r`;

async function storeAnswers(
  dataSource: DataSource,
  token: LinkToken,
  frameworkVersionId: string,
  save: PreparedSave,
): Promise<StoredSave | null> {
  const records = save.winners.map((a) => ({
    q: a.question,
    v: a.notApplicable ? null : a.value,
    na: a.notApplicable,
    seq: a.clientSeq,
  }));
  const alwaysApply = save.winners.filter((a) => a.unsequenced && a.clientSeq !== null).map((a) => a.question);
  const rows = await queryPrepared<{
    firm_id: string;
    id: string;
    status: RespondentStatusValue;
    last_activity_at: Date;
    applied: string[] | null;
  }>(dataSource, 'answering.save', SAVE_ANSWERS_STATEMENT, [
    token.hash,
    frameworkVersionId,
    JSON.stringify(records),
    alwaysApply,
  ]);
  const row = rows[0];
  if (!row) return null;
  return {
    firmId: row.firm_id,
    respondentId: row.id,
    status: row.status,
    lastActivityAt: row.last_activity_at,
    applied: new Set(row.applied ?? []),
  };
}

/**
 * Submits the token's response: every required question visible with the saved answers
 * must be answered (else BAD_USER_INPUT naming them). The answers are read-only afterwards.
 * Writes the respondent.submitted webhook event in the same transaction.
 */
export async function submitResponse(token: LinkToken, dataSource: DataSource): Promise<SubmitResponsePayloadNode> {
  return withTransaction(dataSource, async (manager) => {
    const session = await lockSessionForEditing(manager, token);
    const content = await frameworkContent(manager, session.frameworkVersionId);
    const progress = progressOf(content.def, answersOf(await loadAnswerRows(manager, session)));
    if (progress.missingRequired.length) throw new MissingAnswersError(progress.missingRequired);
    const updated: [Array<{ submitted_at: Date }>, number] = await manager.query(
      `UPDATE respondent SET status = 'SUBMITTED', submitted_at = now(), last_activity_at = now()
        WHERE firm_id = $1 AND id = $2
        RETURNING submitted_at`,
      [session.firmId, session.respondentId],
    );
    const submittedAt: Date = updated[0][0].submitted_at;
    await recordWebhookEvent(manager, session.firmId, WebhookEventType.RESPONDENT_SUBMITTED, {
      respondent: {
        id: session.respondentId,
        assessmentId: session.assessmentId,
        status: RespondentStatusValue.SUBMITTED,
        submittedAt: new Date(submittedAt).toISOString(),
      },
    });
    return { status: RespondentStatusValue.SUBMITTED, submittedAt, progress: progressNode(progress) };
  });
}
