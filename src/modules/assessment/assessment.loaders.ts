import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import type { RequestContext } from '../../graphql/context';
import type { FrameworkDef } from '../../scoring';
import { toFrameworkDef } from '../framework/framework-convert';
import type { FrameworkDocument } from '../framework/framework-document';
import { Organisation } from '../organisation/organisation.entity';
import { respondentCountsOf } from './assessment.service';
import type { RespondentCountsNode } from './assessment.types';

/** The respondent counts of the firm's assessments, batched into one query per request tick. */
export function respondentCountsLoader(ctx: RequestContext, firmId: string): DataLoader<string, RespondentCountsNode> {
  return ctx.loaders.get(
    `assessment.respondentCounts:${firmId}`,
    () => new DataLoader((ids: readonly string[]) => respondentCountsOf(ctx.dataSource, firmId, ids)),
  );
}

/** The firm's organisations by id, batched into one query (for `Assessment.organisation`). */
export function organisationLoader(ctx: RequestContext, firmId: string): DataLoader<string, Organisation | null> {
  return ctx.loaders.get(
    `assessment.organisation:${firmId}`,
    () =>
      new DataLoader(async (ids: readonly string[]) => {
        const rows = await ctx.dataSource.getRepository(Organisation).findBy({ firmId, id: In([...ids]) });
        const byId = new Map(rows.map((o) => [o.id, o]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );
}

/** A framework version's document and its scoring-engine view. */
export interface FrameworkContent {
  id: string;
  key: string;
  version: string;
  document: FrameworkDocument;
  def: FrameworkDef;
}

// Assessments only ever use PUBLISHED versions, which never change (RETIRED keeps the
// document), so their content is read and converted once per process, not per request.
const CONTENT_CACHE_LIMIT = 50;
const contentCache = new Map<string, FrameworkContent>();

/**
 * The content of the given framework versions (those of assessments, so no firm filter is
 * needed here: the caller has already scoped the assessment to its firm). Reads the missing
 * ones in one query.
 */
export async function frameworkContents(
  manager: EntityManager,
  ids: readonly string[],
): Promise<Map<string, FrameworkContent>> {
  const out = new Map<string, FrameworkContent>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const hit = contentCache.get(id);
    if (hit) {
      // Refresh the entry's position: the map's order is the eviction order.
      contentCache.delete(id);
      contentCache.set(id, hit);
      out.set(id, hit);
    } else missing.push(id);
  }
  if (missing.length) {
    const rows: Array<{ id: string; key: string; version: string; status: string; document: FrameworkDocument }> =
      await manager.query(
        'SELECT id, key, version, status, document FROM framework_version WHERE id = ANY($1::uuid[])',
        [missing],
      );
    for (const row of rows) {
      const content: FrameworkContent = {
        id: row.id,
        key: row.key,
        version: row.version,
        document: row.document,
        def: toFrameworkDef(row.document),
      };
      out.set(row.id, content);
      if (row.status === 'DRAFT') continue;
      if (contentCache.size >= CONTENT_CACHE_LIMIT) contentCache.delete(contentCache.keys().next().value as string);
      contentCache.set(row.id, content);
    }
  }
  for (const id of ids) if (!out.has(id)) throw new Error(`framework version ${id} of an assessment is missing`);
  return out;
}

/** The content of one framework version (see {@link frameworkContents}). */
export async function frameworkContent(manager: EntityManager, id: string): Promise<FrameworkContent> {
  return (await frameworkContents(manager, [id])).get(id)!;
}
