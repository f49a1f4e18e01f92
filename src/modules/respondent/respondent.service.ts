import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { withTransaction } from '../../db/transaction';
import { BadInputError, ConflictError, NotFoundError, type InputProblem } from '../../graphql/errors';
import { questionnaireStatus, type Answer, type FrameworkDef } from '../../scoring';
import { generateSecret, hashSecret, type Principal } from '../firm/api-key.service';
import type { AssessmentStatus } from '../assessment/assessment.entity';
import { AssessmentStateError, isUuidLike } from '../assessment/assessment.errors';
import { frameworkContents } from '../assessment/assessment.loaders';
import { declaredRoles } from '../assessment/assessment.service';
import type { InviteRespondentsInput } from './respondent.inputs';
import { RespondentStatusValue, type RespondentProgressNode, type RespondentView } from './respondent.types';

/** Link tokens: `ssr_` + 43 base64url characters (256 random bits). */
export const TOKEN_PATTERN = /^ssr_[A-Za-z0-9_-]{43}$/;
const TOKEN_PREFIX_LENGTH = 12;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Tokens live this long after the due date by default. */
const AFTER_DUE_MS = 7 * DAY_MS;
/** ...or this long from now when the assessment has no due date. */
const WITHOUT_DUE_MS = 90 * DAY_MS;

/** A newly issued link token: the secret (shown once) and what is stored of it. */
interface IssuedToken {
  token: string;
  hash: string;
  prefix: string;
  expiresAt: Date;
}

/** An invited respondent with the link token, shown once. */
export interface InvitationView {
  respondent: RespondentView;
  token: string;
  expiresAt: Date;
}

interface RespondentRow {
  firm_id: string;
  id: string;
  assessment_id: string;
  name: string;
  email: string;
  role: string;
  status: RespondentStatusValue;
  token_prefix: string | null;
  token_expires_at: Date | null;
  token_revoked_at: Date | null;
  submitted_at: Date | null;
  last_activity_at: Date | null;
  created_at: Date;
}

const RESPONDENT_COLUMNS =
  'firm_id, id, assessment_id, name, email, role, status, token_prefix, token_expires_at, token_revoked_at, submitted_at, last_activity_at, created_at';

function toView(row: RespondentRow): RespondentView {
  return {
    firmId: row.firm_id,
    id: row.id,
    assessmentId: row.assessment_id,
    name: row.name,
    email: row.email,
    role: row.role,
    status: row.status,
    tokenPrefix: row.token_prefix,
    tokenExpiresAt: row.token_expires_at,
    tokenRevokedAt: row.token_revoked_at,
    submittedAt: row.submitted_at,
    lastActivityAt: row.last_activity_at,
    createdAt: row.created_at,
  };
}

/** The default expiry of a new token: 7 days after the due date (at least 7 days from now), or 90 days. */
export function defaultTokenExpiry(dueAt: Date | null, now = Date.now()): Date {
  if (!dueAt) return new Date(now + WITHOUT_DUE_MS);
  return new Date(Math.max(dueAt.getTime(), now) + AFTER_DUE_MS);
}

function issueToken(expiresAt: Date): IssuedToken {
  const token = generateSecret('ssr');
  return { token, hash: hashSecret(token), prefix: token.slice(0, TOKEN_PREFIX_LENGTH), expiresAt };
}

function checkFutureExpiry(expiresAt: Date | null | undefined, path: string): void {
  if (expiresAt && expiresAt.getTime() <= Date.now())
    throw new BadInputError([{ path, message: 'must be in the future' }]);
}

interface AssessmentHead {
  status: AssessmentStatus;
  role_weights: Record<string, number>;
  due_at: Date | null;
}

/** Reads (and locks against transitions and concurrent invitations) an assessment of the firm. */
async function lockAssessment(manager: EntityManager, firmId: string, id: string): Promise<AssessmentHead> {
  if (!isUuidLike(id)) throw new NotFoundError('Assessment', id);
  const rows: AssessmentHead[] = await manager.query(
    'SELECT status, role_weights, due_at FROM assessment WHERE firm_id = $1 AND id = $2 FOR NO KEY UPDATE',
    [firmId, id],
  );
  if (!rows[0]) throw new NotFoundError('Assessment', id);
  return rows[0];
}

/**
 * Invites people to a DRAFT or OPEN assessment of the firm. Each gets a link token (256
 * random bits; only its SHA-256 is stored), returned here once. An e-mail address may be
 * invited once per assessment (case-insensitive): to send a new link use reissueRespondentToken.
 */
export async function inviteRespondents(
  principal: Principal,
  dataSource: DataSource,
  input: InviteRespondentsInput,
): Promise<InvitationView[]> {
  checkFutureExpiry(input.expiresAt, 'input.expiresAt');
  const firmId = principal.firmId;
  return withTransaction(dataSource, async (manager) => {
    const assessment = await lockAssessment(manager, firmId, input.assessmentId);
    if (assessment.status !== 'DRAFT' && assessment.status !== 'OPEN')
      throw new AssessmentStateError('invite', assessment.status);
    const roles = declaredRoles(assessment.role_weights ?? {});
    const problems: InputProblem[] = [];
    const emails = input.respondents.map((r) => r.email.trim().toLowerCase());
    const firstIndex = new Map<string, number>();
    input.respondents.forEach((r, i) => {
      if (!roles.has(r.role)) {
        problems.push({
          path: `input.respondents[${i}].role`,
          message: `is not a role of this assessment (roles: ${[...roles].join(', ')})`,
        });
      }
      const seen = firstIndex.get(emails[i]);
      if (seen !== undefined)
        problems.push({
          path: `input.respondents[${i}].email`,
          message: `repeats the address of input.respondents[${seen}]`,
        });
      else firstIndex.set(emails[i], i);
    });
    if (problems.length) throw new BadInputError(problems);
    const existing: Array<{ email: string }> = await manager.query(
      'SELECT lower(email) AS email FROM respondent WHERE firm_id = $1 AND assessment_id = $2 AND lower(email) = ANY($3::varchar[])',
      [firmId, input.assessmentId, emails],
    );
    if (existing.length) {
      const taken = new Set(existing.map((e) => e.email));
      const indexes = emails.flatMap((e, i) => (taken.has(e) ? [i] : []));
      throw new ConflictError(
        `${indexes.length} of these people are already invited to this assessment (input.respondents[${indexes.slice(0, 10).join('], [')}]${indexes.length > 10 ? ', …' : ''}): use reissueRespondentToken to send them a new link.`,
        {
          problems: indexes.map((i) => ({
            path: `input.respondents[${i}].email`,
            message: 'is already invited to this assessment',
          })),
        },
      );
    }
    const expiresAt = input.expiresAt ?? defaultTokenExpiry(assessment.due_at);
    const issued = input.respondents.map(() => ({ id: randomUUID(), ...issueToken(expiresAt) }));
    const rows: RespondentRow[] = await manager.query(
      // created_at grows by a microsecond per person, so lists keep the invitation order.
      `INSERT INTO respondent (firm_id, id, assessment_id, name, email, role, status, token_hash, token_prefix, token_expires_at, created_at)
       SELECT $1, x.id, $2, x.name, x.email, x.role, 'INVITED', x.hash, x.prefix, $3, now() + x.ord * interval '1 microsecond'
         FROM unnest($4::uuid[], $5::varchar[], $6::varchar[], $7::varchar[], $8::char(64)[], $9::varchar[])
              WITH ORDINALITY AS x(id, name, email, role, hash, prefix, ord)
       RETURNING ${RESPONDENT_COLUMNS}`,
      [
        firmId,
        input.assessmentId,
        expiresAt,
        issued.map((t) => t.id),
        input.respondents.map((r) => r.name.trim()),
        input.respondents.map((r) => r.email.trim()),
        input.respondents.map((r) => r.role),
        issued.map((t) => t.hash),
        issued.map((t) => t.prefix),
      ],
    );
    const byId = new Map(rows.map((row) => [row.id, toView(row)]));
    return issued.map((t) => ({ respondent: byId.get(t.id)!, token: t.token, expiresAt }));
  });
}

/** The respondents of one of the firm's assessments, in invitation order. */
export async function listRespondents(
  principal: Principal,
  dataSource: DataSource,
  assessmentId: string,
): Promise<RespondentView[]> {
  if (!isUuidLike(assessmentId)) throw new NotFoundError('Assessment', assessmentId);
  const exists: unknown[] = await dataSource.query('SELECT 1 FROM assessment WHERE firm_id = $1 AND id = $2', [
    principal.firmId,
    assessmentId,
  ]);
  if (!exists.length) throw new NotFoundError('Assessment', assessmentId);
  const rows: RespondentRow[] = await dataSource.query(
    `SELECT ${RESPONDENT_COLUMNS} FROM respondent WHERE firm_id = $1 AND assessment_id = $2 ORDER BY created_at, id`,
    [principal.firmId, assessmentId],
  );
  return rows.map(toView);
}

/**
 * Revokes a respondent's link token at once (their next request is UNAUTHENTICATED).
 * CONFLICT when no token is active.
 */
export async function revokeRespondentToken(
  principal: Principal,
  dataSource: DataSource,
  respondentId: string,
): Promise<RespondentView> {
  if (!isUuidLike(respondentId)) throw new NotFoundError('Respondent', respondentId);
  return withTransaction(dataSource, async (manager) => {
    const [rows, affected]: [RespondentRow[], number] = await manager.query(
      `UPDATE respondent SET token_hash = NULL, token_revoked_at = now()
        WHERE firm_id = $1 AND id = $2 AND token_hash IS NOT NULL
        RETURNING ${RESPONDENT_COLUMNS}`,
      [principal.firmId, respondentId],
    );
    if (affected === 1) return toView(rows[0]);
    const exists: unknown[] = await manager.query('SELECT 1 FROM respondent WHERE firm_id = $1 AND id = $2', [
      principal.firmId,
      respondentId,
    ]);
    if (!exists.length) throw new NotFoundError('Respondent', respondentId);
    throw new ConflictError(
      'This respondent has no active link token: it is already revoked. Use reissueRespondentToken for a new one.',
    );
  });
}

/**
 * Issues a new link token for a respondent of a DRAFT or OPEN assessment; the old one
 * stops working at once. The new token is returned once.
 */
export async function reissueRespondentToken(
  principal: Principal,
  dataSource: DataSource,
  respondentId: string,
  expiresAt: Date | null | undefined,
): Promise<InvitationView> {
  if (!isUuidLike(respondentId)) throw new NotFoundError('Respondent', respondentId);
  checkFutureExpiry(expiresAt, 'expiresAt');
  const firmId = principal.firmId;
  return withTransaction(dataSource, async (manager) => {
    // The respondent first, as saves and submissions lock it before anything else.
    const found: Array<{ assessment_id: string }> = await manager.query(
      'SELECT assessment_id FROM respondent WHERE firm_id = $1 AND id = $2 FOR UPDATE',
      [firmId, respondentId],
    );
    if (!found[0]) throw new NotFoundError('Respondent', respondentId);
    const assessment = await lockAssessment(manager, firmId, found[0].assessment_id);
    if (assessment.status !== 'DRAFT' && assessment.status !== 'OPEN')
      throw new AssessmentStateError('reissue', assessment.status);
    const issued = issueToken(expiresAt ?? defaultTokenExpiry(assessment.due_at));
    const rows: [RespondentRow[], number] = await manager.query(
      `UPDATE respondent SET token_hash = $3, token_prefix = $4, token_expires_at = $5, token_revoked_at = NULL
        WHERE firm_id = $1 AND id = $2
        RETURNING ${RESPONDENT_COLUMNS}`,
      [firmId, respondentId, issued.hash, issued.prefix, issued.expiresAt],
    );
    if (rows[1] !== 1) throw new NotFoundError('Respondent', respondentId);
    return { respondent: toView(rows[0][0]), token: issued.token, expiresAt: issued.expiresAt };
  });
}

/** Removes a respondent who has not submitted, with their saved answers. CONFLICT once submitted. */
export async function removeRespondent(
  principal: Principal,
  dataSource: DataSource,
  respondentId: string,
): Promise<string> {
  if (!isUuidLike(respondentId)) throw new NotFoundError('Respondent', respondentId);
  return withTransaction(dataSource, async (manager) => {
    const rows: Array<{ status: RespondentStatusValue }> = await manager.query(
      'SELECT status FROM respondent WHERE firm_id = $1 AND id = $2 FOR UPDATE',
      [principal.firmId, respondentId],
    );
    if (!rows[0]) throw new NotFoundError('Respondent', respondentId);
    if (rows[0].status === RespondentStatusValue.SUBMITTED) {
      throw new ConflictError(
        'This respondent has submitted: a submitted response is part of the assessment and cannot be removed.',
      );
    }
    await manager.query('DELETE FROM respondent WHERE firm_id = $1 AND id = $2', [principal.firmId, respondentId]);
    return respondentId;
  });
}

/** A stored answer row as the scoring engine reads it; null for a cleared answer. */
export function storedAnswer(row: { value: unknown; not_applicable: boolean }): Answer | null {
  if (row.not_applicable) return { notApplicable: true };
  if (row.value === null || row.value === undefined) return null;
  return { value: row.value as Answer['value'] };
}

/** Progress with the visible questions and the missing required ones, in questionnaire order. */
export interface ProgressDetail extends RespondentProgressNode {
  visibleQuestions: string[];
  missingRequired: string[];
}

/** A respondent's progress from their saved answers (visibility per showIf with those answers). */
export function progressOf(def: FrameworkDef, answers: Record<string, Answer>): ProgressDetail {
  const status = questionnaireStatus(def, answers);
  return {
    visible: status.visible.length,
    answered: status.answeredVisible.length,
    required: status.requiredVisible.length,
    requiredAnswered: status.requiredVisible.length - status.missingRequired.length,
    visibleQuestions: status.visible,
    missingRequired: status.missingRequired,
  };
}

/**
 * The progress of many respondents (of any of the firm's assessments) in three queries:
 * the assessments' framework versions, their contents (cached), and all their answers.
 */
export async function progressOfRespondents(
  dataSource: DataSource,
  firmId: string,
  respondents: ReadonlyArray<Pick<RespondentView, 'id' | 'assessmentId'>>,
): Promise<RespondentProgressNode[]> {
  const assessmentIds = [...new Set(respondents.map((r) => r.assessmentId))];
  const assessments: Array<{ id: string; framework_version_id: string }> = await dataSource.query(
    'SELECT id, framework_version_id FROM assessment WHERE firm_id = $1 AND id = ANY($2::uuid[])',
    [firmId, assessmentIds],
  );
  const versionOf = new Map(assessments.map((a) => [a.id, a.framework_version_id]));
  const contents = await frameworkContents(dataSource.manager, [...new Set(versionOf.values())]);
  const answerRows: Array<{ respondent_id: string; question_code: string; value: unknown; not_applicable: boolean }> =
    await dataSource.query(
      'SELECT respondent_id, question_code, value, not_applicable FROM answer WHERE firm_id = $1 AND respondent_id = ANY($2::uuid[])',
      [firmId, respondents.map((r) => r.id)],
    );
  const answersOf = new Map<string, Record<string, Answer>>();
  for (const row of answerRows) {
    const answer = storedAnswer(row);
    if (!answer) continue;
    let answers = answersOf.get(row.respondent_id);
    if (!answers) answersOf.set(row.respondent_id, (answers = {}));
    answers[row.question_code] = answer;
  }
  return respondents.map((r) => {
    const versionId = versionOf.get(r.assessmentId);
    if (!versionId) return { visible: 0, answered: 0, required: 0, requiredAnswered: 0 };
    const {
      visibleQuestions: _v,
      missingRequired: _m,
      ...counts
    } = progressOf(contents.get(versionId)!.def, answersOf.get(r.id) ?? {});
    return counts;
  });
}
