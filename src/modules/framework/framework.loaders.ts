import DataLoader from 'dataloader';
import type { RequestContext } from '../../graphql/context';
import type { FrameworkVersion } from './framework-version.entity';
import {
  isUuid,
  rowsOf,
  toFrameworkVersion,
  VERSION_COLUMNS,
  VISIBLE_TO_FIRM,
  type VersionRow,
} from './framework-rows';

/**
 * The per-request loader of whole framework versions (document included) by id, as seen by
 * `firmId`: its own versions and the built-in ones. An id that does not exist, is malformed,
 * or belongs to another firm loads as null. Batches every id asked for in one tick into one query.
 * It reads through `ctx.dataSource`: do not use it inside a transaction (on the embedded
 * database that would wait for the transaction forever); there, use
 * `findVisibleFrameworkVersion` or `getUsableFrameworkVersion` with the transaction's manager.
 */
export function frameworkVersionLoader(
  ctx: Pick<RequestContext, 'loaders' | 'dataSource'>,
  firmId: string,
): DataLoader<string, FrameworkVersion | null> {
  return ctx.loaders.get(
    `framework-version:${firmId}`,
    () =>
      new DataLoader<string, FrameworkVersion | null>(async (ids) => {
        const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
        const byId = new Map<string, FrameworkVersion>();
        if (wanted.length > 0) {
          const rows = rowsOf<VersionRow>(
            await ctx.dataSource.query(
              `SELECT ${VERSION_COLUMNS} FROM framework_version WHERE ${VISIBLE_TO_FIRM} AND id = ANY($2::uuid[])`,
              [firmId, wanted],
            ),
          );
          for (const row of rows) byId.set(row.id, toFrameworkVersion(row));
        }
        return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
      }),
  );
}
