/**
 * Framework versions of a firm: listing, reading in a locale, importing as a draft,
 * publishing, retiring, deleting drafts and exporting; and the check the assessment module
 * makes before starting an assessment on a version.
 *
 * Tenant isolation: every query is limited to the caller's firm's own versions and the
 * built-in ones (`ownerFirmId` null). Another firm's version answers NOT_FOUND exactly like
 * one that does not exist.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { RequestContext } from '../../graphql/context';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError, type InputProblem } from '../../graphql/errors';
import { decodeCursor, toConnection, type Connection } from '../../graphql/pagination';
import { withTransaction } from '../../db/transaction';
import { recordWebhookEvent } from '../webhook/webhook-outbox';
import { WebhookEventType } from '../webhook/webhook-events';
import type { Principal } from '../firm/api-key.service';
import type { FrameworkDocument, LocalizedText, QuestionDocument } from './framework-document';
import { frameworkChecksum, localize } from './framework-convert';
import { frameworkDefOf, LruCache } from './framework-def-cache';
import type { FrameworkVersion } from './framework-version.entity';
import { validateFrameworkDocument, type FrameworkProblem } from './framework-validation';
import { frameworkVersionLoader } from './framework.loaders';
import {
  HEADER_COLUMNS,
  isUuid,
  nextVersions,
  rowsOf,
  toFrameworkVersion,
  VERSION_COLUMNS,
  VISIBLE_TO_FIRM,
  type Queryable,
  type VersionRow,
} from './framework-rows';
import {
  FrameworkStatus,
  Locale,
  type FrameworkDimension,
  type FrameworkGroup,
  type FrameworkLevel,
  type FrameworkQuestion,
  type FrameworkRecommendation,
  type FrameworkSettings,
  type FrameworkView,
  type GroupKind,
  type Horizon,
  type QuestionType,
} from './framework.types';
import type { FrameworkFilter } from './framework.inputs';

/** Only the firm of the caller matters to this module. */
export type FirmScope = Pick<Principal, 'firmId'>;

const KIND = 'Framework';

/** How many localised framework contents a process keeps (one per version and locale). */
export const FRAMEWORK_CONTENT_CACHE_SIZE = 16;

const BUILT_IN_READ_ONLY =
  'Built-in frameworks are provided by the platform: a firm cannot publish, retire or delete them. To adapt one, export it and import it under a key of your own.';

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * The version with this id if the firm may see it (its own, or a built-in one that is not a
 * draft); null otherwise, also for a malformed id. With `lock`, the row is locked FOR SHARE
 * until the end of the caller's transaction, so it cannot be retired meanwhile.
 */
export async function findVisibleFrameworkVersion(
  scope: FirmScope,
  db: Queryable,
  id: string,
  options: { lock?: boolean } = {},
): Promise<FrameworkVersion | null> {
  if (!isUuid(id)) return null;
  const rows = rowsOf<VersionRow>(
    await db.query(
      `SELECT ${VERSION_COLUMNS} FROM framework_version WHERE ${VISIBLE_TO_FIRM} AND id = $2${options.lock ? ' FOR SHARE' : ''}`,
      [scope.firmId, id],
    ),
  );
  return rows[0] ? toFrameworkVersion(rows[0]) : null;
}

/**
 * The version an assessment of the firm may be started on: visible to the firm and PUBLISHED.
 * Throws NOT_FOUND when the firm cannot see it, and CONFLICT for a DRAFT or RETIRED version.
 * Inside a transaction pass its EntityManager (and `lock: true` to keep the version from
 * being retired until the transaction ends).
 */
export async function getUsableFrameworkVersion(
  scope: FirmScope,
  db: Queryable,
  id: string,
  options: { lock?: boolean } = {},
): Promise<FrameworkVersion> {
  const version = await findVisibleFrameworkVersion(scope, db, id, options);
  if (!version) throw new NotFoundError(KIND, id);
  if (version.status === 'DRAFT') {
    throw new ConflictError(
      `Framework "${version.key}" version ${version.version} is a DRAFT: publish it before starting assessments on it.`,
    );
  }
  if (version.status === 'RETIRED') {
    throw new ConflictError(
      `Framework "${version.key}" version ${version.version} is RETIRED: no new assessments can be started on it; use a published version.`,
    );
  }
  return version;
}

/**
 * One page of the framework versions the firm can see, ordered by key, then newest version
 * first. By default: published versions (built-in and own) and the firm's own drafts; retired
 * ones only with `includeRetired` or `status: RETIRED`.
 */
export async function listFrameworks(
  scope: FirmScope,
  db: Queryable,
  args: { filter?: FrameworkFilter | null; first?: number | null; after?: string | null; locale?: Locale | null },
): Promise<Connection<FrameworkView>> {
  const first = args.first ?? 20;
  const locale = args.locale ?? Locale.EN;
  const params: unknown[] = [scope.firmId];
  const where = [VISIBLE_TO_FIRM];
  const filter = args.filter ?? {};
  if (filter.key) {
    params.push(filter.key);
    where.push(`key = $${params.length}`);
  }
  if (filter.status) {
    params.push(filter.status);
    where.push(`status = $${params.length}`);
  } else if (!filter.includeRetired) {
    where.push(`status <> 'RETIRED'`);
  }
  // Newest version first within a key: compare (key, -major, -minor, -patch, id) ascending.
  const sortKey = `(key COLLATE "C", -major, -split_part(version, '.', 2)::int, -split_part(version, '.', 3)::int, id)`;
  const countRows = rowsOf<{ n: string }>(
    await db.query(`SELECT count(*) AS n FROM framework_version WHERE ${where.join(' AND ')}`, params),
  );
  const pageParams = [...params];
  const pageWhere = [...where];
  if (args.after) {
    const [key, major, minor, patch, id] = decodeCursor(args.after, 5);
    if (
      typeof key !== 'string' ||
      typeof major !== 'number' ||
      typeof minor !== 'number' ||
      typeof patch !== 'number' ||
      typeof id !== 'string' ||
      !isUuid(id)
    ) {
      throw new BadInputError([{ path: 'after', message: 'is not a cursor returned by this API' }]);
    }
    pageParams.push(key, -major, -minor, -patch, id);
    const n = pageParams.length;
    pageWhere.push(
      `${sortKey} > ($${n - 4}::text COLLATE "C", $${n - 3}::int, $${n - 2}::int, $${n - 1}::int, $${n}::uuid)`,
    );
  }
  pageParams.push(first + 1);
  const rows = rowsOf<VersionRow>(
    await db.query(
      `SELECT ${HEADER_COLUMNS} FROM framework_version WHERE ${pageWhere.join(' AND ')} ORDER BY ${sortKey.slice(1, -1)} LIMIT $${pageParams.length}`,
      pageParams,
    ),
  );
  const views = rows.map((row) => toView(row, scope.firmId, locale));
  return toConnection(
    views,
    first,
    Number(countRows[0]?.n ?? 0),
    (v) => {
      const [major, minor, patch] = v.version.split('.').map(Number);
      return [v.key, major, minor, patch, v.id];
    },
    Boolean(args.after),
  );
}

/**
 * One framework version the firm can see, with its texts in `locale`; NOT_FOUND otherwise.
 * Reads only the header: the content is resolved (and cached) by {@link frameworkContent}.
 */
export async function getFramework(
  scope: FirmScope,
  db: Queryable,
  id: string,
  locale: Locale | null | undefined,
): Promise<FrameworkView> {
  if (!isUuid(id)) throw new NotFoundError(KIND, id);
  const rows = rowsOf<VersionRow>(
    await db.query(`SELECT ${HEADER_COLUMNS} FROM framework_version WHERE ${VISIBLE_TO_FIRM} AND id = $2`, [
      scope.firmId,
      id,
    ]),
  );
  if (!rows[0]) throw new NotFoundError(KIND, id);
  return toView(rows[0], scope.firmId, locale ?? Locale.EN);
}

/**
 * The document of a version the firm can see, exactly as stored: importing it again (under
 * another version, or into another firm) stores an identical document.
 */
export async function exportFramework(scope: FirmScope, db: Queryable, id: string): Promise<FrameworkDocument> {
  const version = await findVisibleFrameworkVersion(scope, db, id);
  if (!version) throw new NotFoundError(KIND, id);
  return version.document;
}

// ---------------------------------------------------------------------------------------------
// Changing

/**
 * Validates a framework document and stores it as a DRAFT of the firm. A draft with the same
 * key and version is replaced; a published or retired one is a CONFLICT (published versions
 * never change), and so is a key of a built-in framework. Every validation problem is
 * reported as BAD_USER_INPUT with its path under `document`.
 */
export async function importFramework(
  scope: FirmScope,
  dataSource: DataSource,
  input: unknown,
  locale: Locale | null | undefined,
): Promise<FrameworkView> {
  const result = validateFrameworkDocument(input);
  if (!result.ok) throw new BadInputError(documentProblems(result.problems));
  const doc = result.document;
  const checksum = frameworkChecksum(doc);
  const major = Number(doc.version.split('.')[0]);

  const row = await withTransaction(dataSource, async (manager): Promise<VersionRow> => {
    const builtIn = rowsOf<{ id: string }>(
      await manager.query('SELECT id FROM framework_version WHERE owner_firm_id IS NULL AND key = $1 LIMIT 1', [
        doc.key,
      ]),
    );
    if (builtIn.length > 0) {
      throw new ConflictError(
        `The key "${doc.key}" belongs to a built-in framework; a firm's framework may not use it, so that it can never be mistaken for the built-in one. Choose another "key".`,
      );
    }
    const inserted = rowsOf<VersionRow>(
      await manager.query(
        `INSERT INTO framework_version (id, owner_firm_id, key, version, major, status, document, checksum)
         VALUES ($1, $2, $3, $4, $5, 'DRAFT', $6::jsonb, $7)
         ON CONFLICT (owner_firm_id, key, version) WHERE owner_firm_id IS NOT NULL DO NOTHING
         RETURNING ${HEADER_COLUMNS}`,
        [randomUUID(), scope.firmId, doc.key, doc.version, major, JSON.stringify(doc), checksum],
      ),
    );
    if (inserted[0]) return inserted[0];
    // The firm already has this key and version: replace it only while it is a draft.
    const replaced = rowsOf<VersionRow>(
      await manager.query(
        `UPDATE framework_version SET document = $4::jsonb, checksum = $5, major = $6
         WHERE owner_firm_id = $1 AND key = $2 AND version = $3 AND status = 'DRAFT'
         RETURNING ${HEADER_COLUMNS}`,
        [scope.firmId, doc.key, doc.version, JSON.stringify(doc), checksum, major],
      ),
    );
    if (replaced[0]) return replaced[0];
    const next = nextVersions(doc.version);
    throw new ConflictError(
      `Framework "${doc.key}" version ${doc.version} is already published; published versions never change: raise the version (e.g. to ${next.patch} or ${next.minor}) and import again.`,
    );
  });
  return toView({ ...row, document: doc }, scope.firmId, locale ?? Locale.EN);
}

/** DRAFT → PUBLISHED: the version becomes usable and never changes again. Writes the framework.published webhook event. */
export async function publishFramework(
  scope: FirmScope,
  dataSource: DataSource,
  id: string,
  locale: Locale | null | undefined,
): Promise<FrameworkView> {
  return transition(scope, dataSource, id, locale, {
    from: 'DRAFT',
    set: `status = 'PUBLISHED', published_at = now()`,
    event: WebhookEventType.FRAMEWORK_PUBLISHED,
    refuse: (v) => `Framework "${v.key}" version ${v.version} is ${v.status}: only a DRAFT can be published.`,
  });
}

/** PUBLISHED → RETIRED: no new assessments on it; existing ones keep it. */
export async function retireFramework(
  scope: FirmScope,
  dataSource: DataSource,
  id: string,
  locale: Locale | null | undefined,
): Promise<FrameworkView> {
  return transition(scope, dataSource, id, locale, {
    from: 'PUBLISHED',
    set: `status = 'RETIRED', retired_at = now()`,
    refuse: (v) =>
      v.status === 'RETIRED'
        ? `Framework "${v.key}" version ${v.version} is already RETIRED.`
        : `Framework "${v.key}" version ${v.version} is a DRAFT: only a PUBLISHED version can be retired (delete the draft instead).`,
  });
}

/** Deletes a DRAFT of the firm and returns its id; published and retired versions stay forever. */
export async function deleteFrameworkDraft(scope: FirmScope, dataSource: DataSource, id: string): Promise<string> {
  if (!isUuid(id)) throw new NotFoundError(KIND, id);
  const deleted = rowsOf<{ id: string }>(
    await dataSource.query(
      `DELETE FROM framework_version WHERE id = $1 AND owner_firm_id = $2 AND status = 'DRAFT' RETURNING id`,
      [id, scope.firmId],
    ),
  );
  if (deleted[0]) return deleted[0].id;
  const version = await findVisibleFrameworkVersion(scope, dataSource, id);
  if (!version) throw new NotFoundError(KIND, id);
  if (version.ownerFirmId === null) throw new ForbiddenError(BUILT_IN_READ_ONLY);
  throw new ConflictError(
    `Framework "${version.key}" version ${version.version} is ${version.status}: only a DRAFT can be deleted (retire a published version to stop new assessments on it).`,
  );
}

async function transition(
  scope: FirmScope,
  dataSource: DataSource,
  id: string,
  locale: Locale | null | undefined,
  step: { from: 'DRAFT' | 'PUBLISHED'; set: string; refuse: (v: FrameworkVersion) => string; event?: WebhookEventType },
): Promise<FrameworkView> {
  if (!isUuid(id)) throw new NotFoundError(KIND, id);
  // A conditional update: a concurrent transition makes this one match no row (then CONFLICT).
  // Its webhook event is written in the same transaction.
  const changed = await withTransaction(dataSource, async (manager) => {
    const updated = rowsOf<VersionRow>(
      await manager.query(
        `UPDATE framework_version SET ${step.set} WHERE id = $1 AND owner_firm_id = $2 AND status = $3 RETURNING ${HEADER_COLUMNS}`,
        [id, scope.firmId, step.from],
      ),
    );
    if (updated[0] && step.event)
      await recordWebhookEvent(manager, scope.firmId, step.event, frameworkEventData(updated[0]));
    return updated[0];
  });
  if (changed) return toView(changed, scope.firmId, locale ?? Locale.EN);
  const version = await findVisibleFrameworkVersion(scope, dataSource, id);
  if (!version) throw new NotFoundError(KIND, id);
  if (version.ownerFirmId === null) throw new ForbiddenError(BUILT_IN_READ_ONLY);
  throw new ConflictError(step.refuse(version));
}

/** `data` of framework.published. */
function frameworkEventData(row: VersionRow): Record<string, unknown> {
  return {
    framework: {
      id: row.id,
      key: row.key,
      version: row.version,
      status: row.status,
      checksum: row.checksum,
      publishedAt: row.published_at ? new Date(row.published_at).toISOString() : null,
    },
  };
}

/** Validation problems as input problems under the `document` argument. */
function documentProblems(problems: FrameworkProblem[]): InputProblem[] {
  return problems.map((p) => ({
    path: p.path === '' ? 'document' : p.path.startsWith('[') ? `document${p.path}` : `document.${p.path}`,
    message: p.message,
  }));
}

// ---------------------------------------------------------------------------------------------
// Views

function text(value: LocalizedText | null | undefined, locale: Locale): string {
  return localize(value, locale) ?? '';
}

function toView(row: VersionRow, viewerFirmId: string, locale: Locale): FrameworkView {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    major: row.major,
    status: row.status as FrameworkStatus,
    builtIn: row.owner_firm_id === null,
    locale,
    name: text(row.name ?? row.document?.name, locale),
    description: text(row.description ?? row.document?.description, locale),
    checksum: row.checksum,
    questionCount: row.question_count ?? row.document?.questions.length ?? 0,
    createdAt: row.created_at,
    publishedAt: row.published_at,
    retiredAt: row.retired_at,
    viewerFirmId,
    document: row.document,
  };
}

/** Everything of a version below its header, with texts in the view's locale. */
export interface FrameworkContent {
  groups: FrameworkGroup[];
  dimensions: FrameworkDimension[];
  levels: FrameworkLevel[];
  settings: FrameworkSettings;
  questions: FrameworkQuestion[];
  recommendations: FrameworkRecommendation[];
}

// Built once per view object, i.e. once per framework per request, whichever fields are asked.
const contentOfView = new WeakMap<FrameworkView, Promise<FrameworkContent>>();
// Across requests, per version, checksum and locale: a published version never changes and a
// replaced draft has another checksum, so an entry is never stale.
const contentCache = new LruCache<string, FrameworkContent>(FRAMEWORK_CONTENT_CACHE_SIZE);

/**
 * The groups, dimensions, levels, settings, questions and recommendation templates of a
 * framework view in its locale, with the scoring defaults filled in. Built once per view and
 * kept in a small in-process LRU by version id, checksum and locale; on a miss the document
 * is taken from the view or loaded through the request's loader. Callers must not mutate it.
 */
export function frameworkContent(
  ctx: Pick<RequestContext, 'loaders' | 'dataSource'>,
  view: FrameworkView,
): Promise<FrameworkContent> {
  let content = contentOfView.get(view);
  if (!content) {
    content = (async () => {
      const cached = contentCache.get(`${view.id}:${view.checksum}:${view.locale}`);
      if (cached) return cached;
      let version: { id: string; checksum: string; document: FrameworkDocument } | null = view.document
        ? { id: view.id, checksum: view.checksum, document: view.document }
        : null;
      version ??= await frameworkVersionLoader(ctx, view.viewerFirmId).load(view.id);
      if (!version) throw new NotFoundError(KIND, view.id);
      const built = buildContent(version, view.locale);
      // Keyed by the checksum of the document it was built from (a draft may have been replaced meanwhile).
      contentCache.set(`${version.id}:${version.checksum}:${view.locale}`, built);
      return built;
    })();
    contentOfView.set(view, content);
  }
  return content;
}

function buildContent(
  version: { id: string; checksum: string; document: FrameworkDocument },
  locale: Locale,
): FrameworkContent {
  const doc = version.document;
  const def = frameworkDefOf(version);
  const t = (value: LocalizedText | null | undefined) => text(value, locale);
  const optional = (value: LocalizedText | null | undefined) => (value ? localize(value, locale) : null);
  return {
    groups: doc.groups.map((g) => ({
      code: g.code,
      kind: g.kind as GroupKind,
      primary: g.primary,
      title: t(g.title),
      description: optional(g.description),
    })),
    dimensions: doc.dimensions.map((d, i) => ({
      code: d.code,
      group: d.group,
      weight: def.dimensions[i].weight,
      layer: def.dimensions[i].layer ?? null,
      title: t(d.title),
      description: t(d.description),
      source: d.source,
    })),
    levels: doc.levels.map((l) => ({
      level: l.level,
      code: l.code,
      lowerBound: l.lowerBound,
      title: t(l.title),
      description: t(l.description),
    })),
    settings: { ...def.settings },
    questions: doc.questions.map((q, i) => buildQuestion(q, def.questions[i], t, optional)),
    recommendations: doc.recommendations.map((r) => ({
      code: r.code,
      dimension: r.dimension,
      question: r.question ?? null,
      threshold: r.threshold ?? null,
      impact: r.impact,
      effort: r.effort,
      horizon: r.horizon as Horizon,
      title: t(r.title),
      body: t(r.body),
      actions: r.actions.map(t),
      source: r.source,
    })),
  };
}

function buildQuestion(
  q: QuestionDocument,
  def: ReturnType<typeof frameworkDefOf>['questions'][number],
  t: (value: LocalizedText | null | undefined) => string,
  optional: (value: LocalizedText | null | undefined) => string | null,
): FrameworkQuestion {
  return {
    code: q.code,
    type: q.type as QuestionType,
    text: t(q.text),
    help: optional(q.help),
    source: q.source,
    links: q.links.map((l) => ({ dimension: l.dimension, weight: l.weight })),
    required: q.required,
    allowNotApplicable: q.allowNotApplicable,
    reverse: def.reverse,
    critical: q.critical ? { threshold: q.critical.threshold } : null,
    showIf: q.showIf ? { question: q.showIf.question, anyOf: [...q.showIf.anyOf] } : null,
    scale: def.scale
      ? {
          min: def.scale.min,
          max: def.scale.max,
          minLabel: optional(q.scale?.minLabel),
          maxLabel: optional(q.scale?.maxLabel),
        }
      : null,
    options: def.options
      ? (q.options ?? []).map((o) => ({
          code: o.code,
          score: o.score,
          exclusive: o.exclusive ?? false,
          label: t(o.label),
        }))
      : null,
    numeric:
      q.numeric && def.numeric
        ? {
            min: q.numeric.min,
            max: q.numeric.max,
            unit: optional(q.numeric.unit),
            bands: q.numeric.bands.map((b) => ({ upTo: b.upTo ?? null, score: b.score })),
          }
        : null,
  };
}
