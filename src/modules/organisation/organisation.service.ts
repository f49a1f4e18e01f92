import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { withTransaction } from '../../db/transaction';
import { BadInputError, ConflictError, NotFoundError } from '../../graphql/errors';
import { decodeCursor, toConnection, type Connection } from '../../graphql/pagination';
import { setBenchmarkExclusion, setBenchmarkSegment } from '../benchmark/benchmark.service';
import type { Principal } from '../firm/api-key.service';
import { isUuid } from '../firm/tenant-ids';
import type { SizeBand } from '../reference/reference.types';
import { hasControlCharacters, normalizeCode } from '../reference/reference.validators';
import { Organisation } from './organisation.entity';

/** Fields of a new organisation (validated by CreateOrganisationInput). */
export interface NewOrganisation {
  name: string;
  industry: string;
  sizeBand: SizeBand;
  country: string;
  excludedFromBenchmarks?: boolean | null;
}

/** Changes to an organisation; absent or null fields stay. */
export interface OrganisationChanges {
  name?: string | null;
  industry?: string | null;
  sizeBand?: SizeBand | null;
  country?: string | null;
}

/** Conditions of the organisation list (validated by OrganisationFilter). */
export interface OrganisationListFilter {
  industry?: string | null;
  sizeBand?: SizeBand | null;
  country?: string | null;
  nameContains?: string | null;
  includeArchived?: boolean | null;
}

const KIND = 'Organisation';

/**
 * Loads one of the caller's organisations, locking its row when `lock` is set (inside a
 * transaction). NOT_FOUND for another firm's id, an unknown id or a malformed one alike.
 */
async function findOwned(
  manager: EntityManager,
  principal: Principal,
  id: string,
  lock = false,
): Promise<Organisation> {
  if (!isUuid(id)) throw new NotFoundError(KIND, id);
  const qb = manager
    .getRepository(Organisation)
    .createQueryBuilder('o')
    .where('o.firm_id = :firmId AND o.id = :id', { firmId: principal.firmId, id });
  if (lock) qb.setLock('pessimistic_write');
  const row = await qb.getOne();
  if (!row) throw new NotFoundError(KIND, id);
  return row;
}

/**
 * Applies `changes` to the row if it still has `version` (compare-and-set), bumping the
 * version and `updated_at`; CONFLICT when another change got there first.
 */
async function updateIfVersion(
  manager: EntityManager,
  principal: Principal,
  id: string,
  version: number,
  changes:
    | Partial<
        Pick<Organisation, 'name' | 'industry' | 'sizeBand' | 'country' | 'excludedFromBenchmarks' | 'archivedAt'>
      >
    | { archivedAt: () => string },
): Promise<Organisation> {
  // TypeORM adds `version = version + 1` and `updated_at = CURRENT_TIMESTAMP` itself.
  const result = await manager
    .createQueryBuilder()
    .update(Organisation)
    .set(changes)
    .where('firm_id = :firmId AND id = :id AND version = :version', { firmId: principal.firmId, id, version })
    .execute();
  if (result.affected !== 1) {
    throw new ConflictError(`${KIND} "${id}" was changed by someone else; read it again and retry.`);
  }
  return findOwned(manager, principal, id);
}

/** One of the caller's organisations; NOT_FOUND otherwise. */
export async function getOrganisation(principal: Principal, dataSource: DataSource, id: string): Promise<Organisation> {
  return findOwned(dataSource.manager, principal, id);
}

/** Creates an organisation of the caller's firm. */
export async function createOrganisation(
  principal: Principal,
  dataSource: DataSource,
  input: NewOrganisation,
): Promise<Organisation> {
  const id = randomUUID();
  await dataSource.getRepository(Organisation).insert({
    firmId: principal.firmId,
    id,
    name: input.name.trim(),
    industry: normalizeCode(input.industry),
    sizeBand: input.sizeBand,
    country: normalizeCode(input.country),
    excludedFromBenchmarks: input.excludedFromBenchmarks ?? false,
    archivedAt: null,
    version: 1,
  });
  return findOwned(dataSource.manager, principal, id);
}

/**
 * Changes an organisation. With `expectedVersion`, CONFLICT unless the organisation still
 * has that version (someone else changed it since it was read); without, the change
 * applies to whatever version is current. Either way the write is compare-and-set.
 */
export async function updateOrganisation(
  principal: Principal,
  dataSource: DataSource,
  id: string,
  changes: OrganisationChanges,
  expectedVersion?: number | null,
): Promise<Organisation> {
  return withTransaction(dataSource, async (manager) => {
    const current = await findOwned(manager, principal, id, true);
    if (expectedVersion != null && expectedVersion !== current.version) {
      throw new ConflictError(
        `${KIND} "${id}" is at version ${current.version}, not ${expectedVersion}; read it again and retry.`,
        {
          currentVersion: current.version,
        },
      );
    }
    const set: Partial<Pick<Organisation, 'name' | 'industry' | 'sizeBand' | 'country'>> = {};
    if (changes.name != null) set.name = changes.name.trim();
    if (changes.industry != null) set.industry = normalizeCode(changes.industry);
    if (changes.sizeBand != null) set.sizeBand = changes.sizeBand;
    if (changes.country != null) set.country = normalizeCode(changes.country);
    const differs = (Object.keys(set) as Array<keyof typeof set>).some((k) => set[k] !== current[k]);
    if (!differs) return current;
    const updated = await updateIfVersion(manager, principal, id, expectedVersion ?? current.version, set);
    if (
      updated.industry !== current.industry ||
      updated.sizeBand !== current.sizeBand ||
      updated.country !== current.country
    ) {
      // Cohort queries read benchmark_score alone: its copy of the segment must follow.
      await setBenchmarkSegment(manager, principal.firmId, id, updated);
    }
    return updated;
  });
}

/** Archives an organisation (hidden from lists by default); CONFLICT if it already is. */
export async function archiveOrganisation(
  principal: Principal,
  dataSource: DataSource,
  id: string,
): Promise<Organisation> {
  return withTransaction(dataSource, async (manager) => {
    const current = await findOwned(manager, principal, id, true);
    if (current.archivedAt) throw new ConflictError(`${KIND} "${id}" is already archived.`);
    const updated = await updateIfVersion(manager, principal, id, current.version, { archivedAt: () => 'now()' });
    // An archived organisation leaves every cohort, as an excluded one does.
    await setBenchmarkExclusion(manager, principal.firmId, id, true);
    return updated;
  });
}

/** Brings an archived organisation back; CONFLICT if it is not archived. */
export async function unarchiveOrganisation(
  principal: Principal,
  dataSource: DataSource,
  id: string,
): Promise<Organisation> {
  return withTransaction(dataSource, async (manager) => {
    const current = await findOwned(manager, principal, id, true);
    if (!current.archivedAt) throw new ConflictError(`${KIND} "${id}" is not archived.`);
    const updated = await updateIfVersion(manager, principal, id, current.version, { archivedAt: null });
    await setBenchmarkExclusion(manager, principal.firmId, id, updated.excludedFromBenchmarks);
    return updated;
  });
}

/**
 * Leaves an organisation out of (or brings it back into) benchmark cohorts, together with
 * the benchmark rows already stored for it. Setting the value it already has changes nothing.
 */
export async function setOrganisationBenchmarkExclusion(
  principal: Principal,
  dataSource: DataSource,
  id: string,
  excluded: boolean,
): Promise<Organisation> {
  return withTransaction(dataSource, async (manager) => {
    const current = await findOwned(manager, principal, id, true);
    if (current.excludedFromBenchmarks === excluded) return current;
    const updated = await updateIfVersion(manager, principal, id, current.version, {
      excludedFromBenchmarks: excluded,
    });
    // Cohort queries read benchmark_score alone, so its copy of the flag must follow (an
    // archived organisation stays out of cohorts whatever the flag).
    await setBenchmarkExclusion(manager, principal.firmId, id, excluded || updated.archivedAt !== null);
    return updated;
  });
}

/** `%`, `_` and `\` match themselves in a LIKE pattern with ESCAPE '\'. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function applyFilter(
  qb: SelectQueryBuilder<Organisation>,
  principal: Principal,
  filter: OrganisationListFilter,
): SelectQueryBuilder<Organisation> {
  qb.where('o.firm_id = :firmId', { firmId: principal.firmId });
  if (!filter.includeArchived) qb.andWhere('o.archived_at IS NULL');
  if (filter.industry != null) qb.andWhere('o.industry = :industry', { industry: normalizeCode(filter.industry) });
  if (filter.sizeBand != null) qb.andWhere('o.size_band = :sizeBand', { sizeBand: filter.sizeBand });
  if (filter.country != null) qb.andWhere('o.country = :country', { country: normalizeCode(filter.country) });
  if (filter.nameContains != null && filter.nameContains !== '') {
    qb.andWhere(`o.name ILIKE :pattern ESCAPE '\\'`, { pattern: `%${escapeLike(filter.nameContains)}%` });
  }
  return qb;
}

/**
 * A page of the caller's organisations ordered by name, then id (Relay cursor pagination),
 * with the number of organisations matching the filter over all pages.
 */
export async function listOrganisations(
  principal: Principal,
  dataSource: DataSource | EntityManager,
  filter: OrganisationListFilter,
  page: { first?: number | null; after?: string | null },
): Promise<Connection<Organisation>> {
  const first = page.first ?? 20;
  const repo = dataSource.getRepository(Organisation);
  const rowsQuery = applyFilter(repo.createQueryBuilder('o'), principal, filter);
  if (page.after != null) {
    const [name, id] = decodeCursor(page.after, 2);
    if (typeof name !== 'string' || hasControlCharacters(name) || typeof id !== 'string' || !isUuid(id)) {
      throw new BadInputError([{ path: 'after', message: 'is not a cursor returned by this API' }]);
    }
    rowsQuery.andWhere('(o.name, o.id) > (:afterName, :afterId)', { afterName: name, afterId: id });
  }
  const [rows, totalCount] = await Promise.all([
    rowsQuery
      .orderBy('o.name', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .take(first + 1)
      .getMany(),
    applyFilter(repo.createQueryBuilder('o'), principal, filter).getCount(),
  ]);
  return toConnection(rows, first, totalCount, (o) => [o.name, o.id], page.after != null);
}
