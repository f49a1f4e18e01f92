import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { withTransaction } from '../../db/transaction';
import { BadInputError, ConflictError, NotFoundError, type InputProblem } from '../../graphql/errors';
import { decodeCursor, toConnection, type Connection } from '../../graphql/pagination';
import type { Principal } from '../firm/api-key.service';
import { getUsableFrameworkVersion } from '../framework/framework.service';
import { Assessment, type AssessmentStatus } from './assessment.entity';
import { AssessmentStateError, isUuidLike } from './assessment.errors';
import type {
  AssessmentsArgs,
  CreateAssessmentInput,
  RoleWeightInput,
  UpdateAssessmentInput,
} from './assessment.inputs';
import {
  AssessmentStatusValue,
  type AssessmentView,
  type RespondentCountsNode,
  type RoleWeightNode,
} from './assessment.types';
import { computeAndStoreResult } from '../result/result-store';
import { recordWebhookEvent } from '../webhook/webhook-outbox';
import { assessmentEventData } from '../webhook/webhook-payloads';
import { WebhookEventType } from '../webhook/webhook-events';

/** The roles every assessment has, in display order. */
export const STANDARD_ROLES = ['EXECUTIVE', 'MANAGER', 'FRONTLINE'] as const;

interface AssessmentRow {
  firm_id: string;
  id: string;
  organisation_id: string;
  framework_version_id: string;
  framework_key: string;
  framework_version: string;
  title: string;
  status: AssessmentStatus;
  role_weights: Record<string, number>;
  due_at: Date | null;
  opened_at: Date | null;
  closed_at: Date | null;
  cancelled_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  created_at_text: string;
}

const SELECT_VIEW = `
  SELECT a.firm_id, a.id, a.organisation_id, a.framework_version_id, fv.key AS framework_key, fv.version AS framework_version,
         a.title, a.status, a.role_weights, a.due_at, a.opened_at, a.closed_at, a.cancelled_at, a.created_at, a.updated_at,
         a.version, a.created_at::text AS created_at_text
    FROM assessment a
    JOIN framework_version fv ON fv.id = a.framework_version_id`;

/** Every declared role with its weight: the standard roles first, then the custom ones by code. */
export function roleWeightList(weights: Record<string, number>): RoleWeightNode[] {
  const standard: string[] = [...STANDARD_ROLES];
  const custom = Object.keys(weights)
    .filter((role) => !standard.includes(role))
    .sort();
  return [...standard, ...custom].map((role) => ({
    role,
    weight: typeof weights[role] === 'number' ? weights[role] : 1,
  }));
}

/** The role codes an assessment declares: the standard ones and every code in its weights. */
export function declaredRoles(weights: Record<string, number>): Set<string> {
  return new Set([...STANDARD_ROLES, ...Object.keys(weights)]);
}

function toView(row: AssessmentRow): AssessmentView {
  return {
    firmId: row.firm_id,
    id: row.id,
    organisationId: row.organisation_id,
    frameworkVersionId: row.framework_version_id,
    frameworkKey: row.framework_key,
    frameworkVersion: row.framework_version,
    title: row.title,
    status: row.status as AssessmentStatusValue,
    roleWeights: roleWeightList(row.role_weights ?? {}),
    dueAt: row.due_at,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    cancelledAt: row.cancelled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
    createdAtText: row.created_at_text,
  };
}

/** Reads one assessment of the firm (through `manager`, so it sees the caller's transaction). */
export async function findAssessmentView(
  manager: EntityManager,
  firmId: string,
  id: string,
): Promise<AssessmentView | null> {
  if (!isUuidLike(id)) return null;
  const rows: AssessmentRow[] = await manager.query(`${SELECT_VIEW} WHERE a.firm_id = $1 AND a.id = $2`, [firmId, id]);
  return rows[0] ? toView(rows[0]) : null;
}

/**
 * Turns a role-weight list into the stored map (the standard roles filled in with 1);
 * BAD_USER_INPUT on a role listed twice.
 */
function roleWeightMap(list: RoleWeightInput[] | null | undefined, path: string): Record<string, number> {
  const map: Record<string, number> = { EXECUTIVE: 1, MANAGER: 1, FRONTLINE: 1 };
  const seen = new Set<string>();
  const problems: InputProblem[] = [];
  (list ?? []).forEach((item, i) => {
    if (seen.has(item.role))
      problems.push({ path: `${path}[${i}].role`, message: 'this role is listed more than once' });
    seen.add(item.role);
    map[item.role] = item.weight;
  });
  if (problems.length) throw new BadInputError(problems);
  return map;
}

function checkFuture(date: Date | null | undefined, path: string): void {
  if (date && date.getTime() <= Date.now()) throw new BadInputError([{ path, message: 'must be in the future' }]);
}

/**
 * Creates a DRAFT assessment of a non-archived organisation of the firm on a PUBLISHED
 * framework version the firm can use.
 */
export async function createAssessment(
  principal: Principal,
  dataSource: DataSource,
  input: CreateAssessmentInput,
): Promise<AssessmentView> {
  const roleWeights = roleWeightMap(input.roleWeights, 'input.roleWeights');
  checkFuture(input.dueAt, 'input.dueAt');
  const firmId = principal.firmId;
  return withTransaction(dataSource, async (manager) => {
    if (!isUuidLike(input.organisationId)) throw new NotFoundError('Organisation', input.organisationId);
    const orgs: Array<{ archived_at: Date | null }> = await manager.query(
      'SELECT archived_at FROM organisation WHERE firm_id = $1 AND id = $2 FOR KEY SHARE',
      [firmId, input.organisationId],
    );
    if (!orgs[0]) throw new NotFoundError('Organisation', input.organisationId);
    if (orgs[0].archived_at)
      throw new ConflictError('The organisation is archived: restore it before starting an assessment.');
    // Locked FOR SHARE so the version cannot be retired before this assessment exists.
    await getUsableFrameworkVersion(principal, manager, input.frameworkVersionId, { lock: true });
    const id = randomUUID();
    await manager.query(
      `INSERT INTO assessment (firm_id, id, organisation_id, framework_version_id, title, status, role_weights, due_at, version)
       VALUES ($1, $2, $3, $4, $5, 'DRAFT', $6::jsonb, $7, 1)`,
      [
        firmId,
        id,
        input.organisationId,
        input.frameworkVersionId,
        input.title.trim(),
        JSON.stringify(roleWeights),
        input.dueAt ?? null,
      ],
    );
    return (await findAssessmentView(manager, firmId, id))!;
  });
}

// PostgreSQL's text form of a timestamptz, as put in cursors.
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

/** One assessment of the firm; NOT_FOUND for any other id. */
export async function getAssessment(principal: Principal, dataSource: DataSource, id: string): Promise<AssessmentView> {
  const view = await findAssessmentView(dataSource.manager, principal.firmId, id);
  if (!view) throw new NotFoundError('Assessment', id);
  return view;
}

/** The firm's assessments, newest first, optionally of one organisation and/or in one status. */
export async function listAssessments(
  principal: Principal,
  dataSource: DataSource | EntityManager,
  args: AssessmentsArgs,
): Promise<Connection<AssessmentView>> {
  const first = args.first ?? 20;
  const where = ['a.firm_id = $1'];
  const params: unknown[] = [principal.firmId];
  const organisationId = args.filter?.organisationId;
  if (organisationId != null) {
    // An id of no possible organisation matches nothing.
    if (!isUuidLike(organisationId)) return toConnection<AssessmentView>([], first, 0, () => [], Boolean(args.after));
    params.push(organisationId);
    where.push(`a.organisation_id = $${params.length}`);
  }
  if (args.filter?.status) {
    params.push(args.filter.status);
    where.push(`a.status = $${params.length}`);
  }
  const filterSql = where.join(' AND ');
  const countRows: Array<{ n: string }> = await dataSource.query(
    `SELECT count(*) AS n FROM assessment a WHERE ${filterSql}`,
    params,
  );
  const pageWhere = [...where];
  const pageParams = [...params];
  if (args.after) {
    const [createdAt, id] = decodeCursor(args.after, 2);
    if (typeof createdAt !== 'string' || typeof id !== 'string' || !isUuidLike(id) || !TIMESTAMP_TEXT.test(createdAt)) {
      throw new BadInputError([{ path: 'after', message: 'is not a cursor returned by this API' }]);
    }
    pageParams.push(createdAt, id);
    pageWhere.push(`(a.created_at, a.id) < ($${pageParams.length - 1}::timestamptz, $${pageParams.length}::uuid)`);
  }
  pageParams.push(first + 1);
  const rows: AssessmentRow[] = await dataSource.query(
    `${SELECT_VIEW} WHERE ${pageWhere.join(' AND ')} ORDER BY a.created_at DESC, a.id DESC LIMIT $${pageParams.length}`,
    pageParams,
  );
  return toConnection(
    rows.map(toView),
    first,
    Number(countRows[0].n),
    (v) => [v.createdAtText, v.id],
    Boolean(args.after),
  );
}

type Transition = 'open' | 'close' | 'cancel';

/**
 * First key of the advisory lock on "answering in an assessment" (the second is
 * hashtext(assessment id)): submissions hold it shared, closing and cancelling exclusively,
 * so no response is submitted once a close or cancel has committed, and a close counts every
 * response submitted before it. Saves need no such lock: only submitted responses count, and
 * a save writes nothing for a submitted respondent.
 */
// An advisory lock rather than FOR SHARE on the assessment row: many concurrent savers
// would make PostgreSQL keep (and rewrite) a MultiXact of all share-lockers on that row.
export const ANSWERING_LOCK_CLASS = 482_913_010;

const TRANSITIONS: Record<Transition, { from: AssessmentStatus[]; to: AssessmentStatus; stamp: string }> = {
  open: { from: ['DRAFT'], to: 'OPEN', stamp: 'opened_at' },
  close: { from: ['OPEN'], to: 'CLOSED', stamp: 'closed_at' },
  cancel: { from: ['DRAFT', 'OPEN'], to: 'CANCELLED', stamp: 'cancelled_at' },
};

/**
 * Moves an assessment to the next state with one guarded UPDATE, so that of two concurrent
 * transitions only one can succeed; CONFLICT (naming the current state) for the other.
 */
async function transition(manager: EntityManager, firmId: string, id: string, action: Transition): Promise<void> {
  if (!isUuidLike(id)) throw new NotFoundError('Assessment', id);
  const t = TRANSITIONS[action];
  if (action !== 'open') {
    // Waits for submissions in flight; later ones then see the new state. Only for an
    // assessment of this firm: another firm's id must not hold up its submissions.
    await manager.query(
      'SELECT pg_advisory_xact_lock($1, hashtext(id::text)) FROM assessment WHERE firm_id = $2 AND id = $3',
      [ANSWERING_LOCK_CLASS, firmId, id],
    );
  }
  const [, affected]: [unknown, number] = await manager.query(
    `UPDATE assessment SET status = $3, ${t.stamp} = now(), updated_at = now(), version = version + 1
      WHERE firm_id = $1 AND id = $2 AND status = ANY($4::varchar[])`,
    [firmId, id, t.to, t.from],
  );
  if (affected === 1) return;
  const rows: Array<{ status: AssessmentStatus }> = await manager.query(
    'SELECT status FROM assessment WHERE firm_id = $1 AND id = $2',
    [firmId, id],
  );
  if (!rows[0]) throw new NotFoundError('Assessment', id);
  throw new AssessmentStateError(action, rows[0].status);
}

/** DRAFT → OPEN: respondents can answer from now on. Writes the assessment.opened webhook event. */
export async function openAssessment(
  principal: Principal,
  dataSource: DataSource,
  id: string,
): Promise<AssessmentView> {
  return withTransaction(dataSource, async (manager) => {
    await transition(manager, principal.firmId, id, 'open');
    const view = (await findAssessmentView(manager, principal.firmId, id))!;
    await recordWebhookEvent(manager, principal.firmId, WebhookEventType.ASSESSMENT_OPENED, assessmentEventData(view));
    return view;
  });
}

/**
 * OPEN → CLOSED, computing and storing the result, and writing the assessment.closed webhook
 * event, in the same transaction: all happen or none. Answers are read-only from then on.
 */
export async function closeAssessment(
  principal: Principal,
  dataSource: DataSource,
  id: string,
): Promise<AssessmentView> {
  return withTransaction(dataSource, async (manager) => {
    await transition(manager, principal.firmId, id, 'close');
    const assessment = await manager.findOneOrFail(Assessment, { where: { firmId: principal.firmId, id } });
    const result = await computeAndStoreResult(manager, assessment);
    const view = (await findAssessmentView(manager, principal.firmId, id))!;
    await recordWebhookEvent(
      manager,
      principal.firmId,
      WebhookEventType.ASSESSMENT_CLOSED,
      assessmentEventData(view, result),
    );
    return view;
  });
}

/** DRAFT or OPEN → CANCELLED: nothing is computed and answers become read-only. Writes the assessment.cancelled webhook event. */
export async function cancelAssessment(
  principal: Principal,
  dataSource: DataSource,
  id: string,
): Promise<AssessmentView> {
  return withTransaction(dataSource, async (manager) => {
    await transition(manager, principal.firmId, id, 'cancel');
    const view = (await findAssessmentView(manager, principal.firmId, id))!;
    await recordWebhookEvent(
      manager,
      principal.firmId,
      WebhookEventType.ASSESSMENT_CANCELLED,
      assessmentEventData(view),
    );
    return view;
  });
}

/**
 * Changes the title, due date or role weights of a DRAFT or OPEN assessment. With
 * `expectedVersion`, CONFLICT when the assessment has changed since. A custom role that a
 * respondent holds cannot be dropped from the weights (CONFLICT).
 */
export async function updateAssessment(
  principal: Principal,
  dataSource: DataSource,
  input: UpdateAssessmentInput,
): Promise<AssessmentView> {
  const firmId = principal.firmId;
  const id = input.id;
  if (!isUuidLike(id)) throw new NotFoundError('Assessment', id);
  const roleWeights = input.roleWeights == null ? null : roleWeightMap(input.roleWeights, 'input.roleWeights');
  checkFuture(input.dueAt, 'input.dueAt');
  return withTransaction(dataSource, async (manager) => {
    const rows: Array<{ status: AssessmentStatus; version: number }> = await manager.query(
      'SELECT status, version FROM assessment WHERE firm_id = $1 AND id = $2 FOR UPDATE',
      [firmId, id],
    );
    const current = rows[0];
    if (!current) throw new NotFoundError('Assessment', id);
    if (current.status !== 'DRAFT' && current.status !== 'OPEN')
      throw new AssessmentStateError('update', current.status);
    const version = input.expectedVersion ?? Number(current.version);
    if (version !== Number(current.version)) {
      throw new ConflictError(
        `The assessment has changed: it is at version ${current.version}, not ${version}. Read it again and retry.`,
        {
          currentVersion: Number(current.version),
        },
      );
    }
    const sets: string[] = [];
    const params: unknown[] = [firmId, id, version];
    if (input.title != null) {
      params.push(input.title.trim());
      sets.push(`title = $${params.length}`);
    }
    if (input.dueAt !== undefined) {
      params.push(input.dueAt);
      sets.push(`due_at = $${params.length}`);
    }
    if (roleWeights) {
      const used: Array<{ role: string }> = await manager.query(
        'SELECT DISTINCT role FROM respondent WHERE firm_id = $1 AND assessment_id = $2 AND NOT (role = ANY($3::varchar[])) ORDER BY role',
        [firmId, id, [...declaredRoles(roleWeights)]],
      );
      if (used.length) {
        throw new ConflictError(
          `Respondents hold the role(s) ${used.map((u) => u.role).join(', ')}: keep them in roleWeights (a weight of 0 leaves them out of the result).`,
        );
      }
      params.push(JSON.stringify(roleWeights));
      sets.push(`role_weights = $${params.length}::jsonb`);
    }
    if (sets.length) {
      const [, affected]: [unknown, number] = await manager.query(
        `UPDATE assessment SET ${sets.join(', ')}, updated_at = now(), version = version + 1
          WHERE firm_id = $1 AND id = $2 AND version = $3 AND status IN ('DRAFT', 'OPEN')`,
        params,
      );
      if (affected !== 1)
        throw new ConflictError('The assessment was changed at the same time. Read it again and retry.');
    }
    return (await findAssessmentView(manager, firmId, id))!;
  });
}

/**
 * Respondent counts per assessment of one firm, in one query (for the DataLoader).
 */
export async function respondentCountsOf(
  dataSource: DataSource,
  firmId: string,
  assessmentIds: readonly string[],
): Promise<RespondentCountsNode[]> {
  const rows: Array<{ assessment_id: string; status: string; n: string }> = await dataSource.query(
    `SELECT assessment_id, status, count(*) AS n FROM respondent
      WHERE firm_id = $1 AND assessment_id = ANY($2::uuid[]) GROUP BY assessment_id, status`,
    [firmId, [...assessmentIds]],
  );
  const byId = new Map<string, RespondentCountsNode>();
  for (const id of assessmentIds) byId.set(id, { invited: 0, inProgress: 0, submitted: 0, total: 0 });
  for (const row of rows) {
    const counts = byId.get(row.assessment_id)!;
    const n = Number(row.n);
    if (row.status === 'INVITED') counts.invited += n;
    else if (row.status === 'IN_PROGRESS') counts.inProgress += n;
    else if (row.status === 'SUBMITTED') counts.submitted += n;
    counts.total += n;
  }
  return assessmentIds.map((id) => byId.get(id)!);
}
