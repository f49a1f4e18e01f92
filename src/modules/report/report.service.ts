/**
 * The executive report of an assessment, and the share links that open it without an API
 * key. The report reads the stored result (result.service), the organisation's history
 * (history.service) and the peer benchmark (benchmark.service): it computes no figure itself.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { BadInputError, ConflictError, NotFoundError } from '../../graphql/errors';
import type { RequestContext } from '../../graphql/context';
import { withTransaction } from '../../db/transaction';
import { DEFAULT_SETTINGS } from '../../scoring';
import { getAssessmentResult } from '../result/result.service';
import { getOrganisationHistory } from '../result/history.service';
import { frameworkTextsLoader } from '../result/result.loaders';
import { assessmentBenchmark } from '../benchmark/benchmark.service';
import { BenchmarkScope } from '../benchmark/benchmark.types';
import { generateSecret, hashSecret, type Principal } from '../firm/api-key.service';
import { isUuid } from '../firm/tenant-ids';
import { localize } from '../framework/framework-convert';
import type { LocalizedText } from '../framework/framework-document';
import { Locale } from '../reference/reference.types';
import { buildReportModel, type ReportModel } from './report-model';
import { ReportShareLink } from './report-share-link.entity';

/** Share-link tokens look like `rsl_` + 43 base64url characters (256 random bits). */
const TOKEN_PATTERN = /^rsl_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = 12;
/** The longest a share link may stay valid. */
export const MAX_SHARE_LINK_DAYS = 366;

interface MetaRow {
  id: string;
  title: string;
  status: string;
  closed_at: Date | null;
  organisation_id: string;
  organisation_name: string;
  framework_version_id: string;
  checksum: string;
  framework_key: string;
  framework_version: string;
  framework_name: LocalizedText | null;
  shares_benchmarks: boolean;
}

/**
 * The report of one of the principal's firm's assessments in `locale`: a CLOSED one's stored
 * result with its history and benchmark, or an OPEN one's live provisional result (no benchmark).
 *
 * @throws NotFoundError for an id that is not one of the firm's assessments
 * @throws ConflictError for a DRAFT or CANCELLED assessment (no result)
 */
export async function getReport(
  ctx: RequestContext,
  principal: Principal,
  assessmentId: string,
  locale: Locale,
): Promise<ReportModel> {
  if (!isUuid(assessmentId)) throw new NotFoundError('Assessment', assessmentId);
  const id = assessmentId.toLowerCase();
  const result = await getAssessmentResult(ctx, principal, id, locale);
  const rows: MetaRow[] = await ctx.dataSource.query(
    `SELECT a.id, a.title, a.status, a.closed_at, a.organisation_id, o.name AS organisation_name,
            a.framework_version_id, fv.checksum, fv.key AS framework_key, fv.version AS framework_version,
            fv.document -> 'name' AS framework_name, f.shares_benchmarks
       FROM assessment a
       JOIN organisation o ON o.firm_id = a.firm_id AND o.id = a.organisation_id
       JOIN framework_version fv ON fv.id = a.framework_version_id
       JOIN firm f ON f.id = a.firm_id
      WHERE a.firm_id = $1 AND a.id = $2`,
    [principal.firmId, id],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError('Assessment', assessmentId);
  const closed = row.status === 'CLOSED';
  const [texts, history, benchmark] = await Promise.all([
    frameworkTextsLoader(ctx).load({ id: row.framework_version_id, checksum: row.checksum }),
    getOrganisationHistory(ctx, principal, row.organisation_id, row.framework_key, locale),
    closed
      ? assessmentBenchmark(principal, ctx.dataSource, {
          assessmentId: id,
          // The widest cohort the firm may see: the shared pool once it has joined it.
          cohort: { scope: row.shares_benchmarks ? BenchmarkScope.SHARED_POOL : BenchmarkScope.OWN_FIRM },
          locale,
        })
      : Promise.resolve(null),
  ]);
  const level = result.overall.level;
  return buildReportModel({
    locale,
    meta: {
      assessmentId: id,
      assessmentTitle: row.title,
      organisationName: row.organisation_name,
      frameworkName: localize(row.framework_name, locale),
      frameworkVersion: row.framework_version,
      status: closed ? 'CLOSED' : 'OPEN',
      closedAt: row.closed_at,
    },
    result,
    levelDescription: level ? localize(texts.levels.get(level.number)?.description, locale) : null,
    settings: texts.def.settings ?? DEFAULT_SETTINGS,
    history,
    benchmark,
  });
}

/** The path of an assessment's report (relative to the server's public URL). */
export function reportPath(assessmentId: string, locale: Locale, format: 'html' | 'pdf' = 'html'): string {
  return `/reports/${encodeURIComponent(assessmentId)}${format === 'pdf' ? '.pdf' : ''}?locale=${locale}`;
}

/** The absolute URL of an assessment's report page (opened with an API key). */
export function reportUrl(publicUrl: string, assessmentId: string, locale: Locale): string {
  return `${publicUrl}${reportPath(assessmentId, locale)}`;
}

/** The absolute URL a share link opens: the report page with the token. */
export function shareLinkUrl(
  publicUrl: string,
  link: Pick<ReportShareLink, 'assessmentId' | 'locale'>,
  token: string,
): string {
  return `${publicUrl}${reportPath(link.assessmentId, link.locale as Locale)}&token=${encodeURIComponent(token)}`;
}

/** Whether a share link still opens its report. */
export type ShareLinkState = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

/** The state of a share link at `now`. */
export function shareLinkState(
  link: Pick<ReportShareLink, 'expiresAt' | 'revokedAt'>,
  now = new Date(),
): ShareLinkState {
  if (link.revokedAt) return 'REVOKED';
  return link.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : 'ACTIVE';
}

/**
 * Creates a share link of a CLOSED assessment of the principal's firm, valid until
 * `expiresAt` (in the future, at most {@link MAX_SHARE_LINK_DAYS} days ahead). Returns the
 * stored link and its token, which is shown once: only its SHA-256 is stored.
 *
 * @throws NotFoundError for an assessment that is not the firm's
 * @throws ConflictError when the assessment is not CLOSED (an open result still changes)
 * @throws BadInputError for an expiry in the past or too far ahead
 */
export async function createShareLink(
  ctx: RequestContext,
  principal: Principal,
  input: { assessmentId: string; expiresAt: Date; locale: Locale },
): Promise<{ link: ReportShareLink; token: string }> {
  const now = Date.now();
  const expires = input.expiresAt.getTime();
  if (!Number.isFinite(expires) || expires <= now) {
    throw new BadInputError(
      [{ path: 'expiresAt', message: 'must be in the future' }],
      'expiresAt must be in the future.',
    );
  }
  if (expires > now + MAX_SHARE_LINK_DAYS * 86_400_000) {
    throw new BadInputError(
      [{ path: 'expiresAt', message: `must be at most ${MAX_SHARE_LINK_DAYS} days ahead` }],
      `expiresAt must be at most ${MAX_SHARE_LINK_DAYS} days ahead.`,
    );
  }
  if (!isUuid(input.assessmentId)) throw new NotFoundError('Assessment', input.assessmentId);
  const assessmentId = input.assessmentId.toLowerCase();
  return withTransaction(ctx.dataSource, async (manager) => {
    const rows: Array<{ status: string }> = await manager.query(
      'SELECT status FROM assessment WHERE firm_id = $1 AND id = $2 FOR KEY SHARE',
      [principal.firmId, assessmentId],
    );
    if (!rows[0]) throw new NotFoundError('Assessment', input.assessmentId);
    if (rows[0].status !== 'CLOSED') {
      throw new ConflictError(
        `Assessment ${JSON.stringify(input.assessmentId)} is ${rows[0].status}: only a CLOSED assessment's report can be shared.`,
        {
          status: rows[0].status,
        },
      );
    }
    return insertShareLink(manager, {
      firmId: principal.firmId,
      assessmentId,
      expiresAt: input.expiresAt,
      locale: input.locale,
      createdByKeyId: principal.keyId,
    });
  });
}

/**
 * Stores a new share link of an assessment (checked by the caller to be the firm's and
 * CLOSED) and returns it with its token, which is not stored: only its SHA-256 is.
 */
export async function insertShareLink(
  manager: EntityManager,
  input: { firmId: string; assessmentId: string; expiresAt: Date; locale: Locale; createdByKeyId: string | null },
): Promise<{ link: ReportShareLink; token: string }> {
  const token = generateSecret('rsl');
  const link = manager.create(ReportShareLink, {
    firmId: input.firmId,
    id: randomUUID(),
    assessmentId: input.assessmentId,
    tokenHash: hashSecret(token),
    prefix: token.slice(0, PREFIX_LENGTH),
    locale: input.locale,
    createdByKeyId: input.createdByKeyId,
    expiresAt: input.expiresAt,
    revokedAt: null,
  });
  await manager.insert(ReportShareLink, link);
  return { link: await manager.findOneByOrFail(ReportShareLink, { firmId: input.firmId, id: link.id }), token };
}

/**
 * The share links of one of the firm's assessments, newest first (expired and revoked too).
 *
 * @throws NotFoundError for an assessment that is not the firm's
 */
export async function listShareLinks(
  ctx: RequestContext,
  principal: Principal,
  assessmentId: string,
): Promise<ReportShareLink[]> {
  if (!isUuid(assessmentId)) throw new NotFoundError('Assessment', assessmentId);
  const id = assessmentId.toLowerCase();
  const [exists, links] = await Promise.all([
    ctx.dataSource.query<unknown[]>('SELECT 1 FROM assessment WHERE firm_id = $1 AND id = $2', [principal.firmId, id]),
    ctx.dataSource
      .getRepository(ReportShareLink)
      .find({ where: { firmId: principal.firmId, assessmentId: id }, order: { createdAt: 'DESC', id: 'DESC' } }),
  ]);
  if (exists.length === 0) throw new NotFoundError('Assessment', assessmentId);
  return links;
}

/**
 * Revokes a share link of the firm: it no longer opens the report.
 *
 * @throws NotFoundError for an id of no link of this firm; ConflictError when already revoked
 */
export async function revokeShareLink(ctx: RequestContext, principal: Principal, id: string): Promise<ReportShareLink> {
  if (!isUuid(id)) throw new NotFoundError('ReportShareLink', id);
  return withTransaction(ctx.dataSource, async (manager) => {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [, revoked]: [unknown[], number] = await manager.query(
      'UPDATE report_share_link SET revoked_at = now() WHERE firm_id = $1 AND id = $2 AND revoked_at IS NULL',
      [principal.firmId, id.toLowerCase()],
    );
    const link = await manager.findOneBy(ReportShareLink, { firmId: principal.firmId, id: id.toLowerCase() });
    if (!link) throw new NotFoundError('ReportShareLink', id);
    if (revoked === 0) throw new ConflictError(`ReportShareLink "${id}" is already revoked.`);
    return link;
  });
}

/** What a share-link token opens: the link's firm as a read-only principal, for its one assessment. */
export type ShareLinkAccess =
  | { kind: 'ok'; principal: Principal; link: ReportShareLink }
  | { kind: 'not-found' }
  | { kind: 'expired' }
  | { kind: 'revoked' };

/**
 * Resolves a share-link token for `assessmentId`. A token of another assessment is
 * `not-found`, like an unknown token: a link opens only its own report.
 */
export async function resolveShareToken(
  ctx: RequestContext,
  token: string,
  assessmentId: string,
): Promise<ShareLinkAccess> {
  if (!TOKEN_PATTERN.test(token) || !isUuid(assessmentId)) return { kind: 'not-found' };
  const link = await ctx.dataSource.getRepository(ReportShareLink).findOneBy({ tokenHash: hashSecret(token) });
  if (!link || link.assessmentId !== assessmentId.toLowerCase()) return { kind: 'not-found' };
  const state = shareLinkState(link);
  if (state === 'REVOKED') return { kind: 'revoked' };
  if (state === 'EXPIRED') return { kind: 'expired' };
  return { kind: 'ok', link, principal: { firmId: link.firmId, keyId: `share-link:${link.id}`, role: 'VIEWER' } };
}
