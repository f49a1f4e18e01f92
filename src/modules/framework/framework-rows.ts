/**
 * SQL fragments and row mapping of the framework_version table, shared by the framework
 * service, its loaders and the seed loader.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { FrameworkDocument, LocalizedText } from './framework-document';
import { FrameworkVersion, type FrameworkStatus } from './framework-version.entity';

/** A DataSource, or the EntityManager of a transaction (inside one, use only that). */
export type Queryable = DataSource | EntityManager;

/** Every column of a version, document included. */
export const VERSION_COLUMNS =
  'id, owner_firm_id, key, version, major, status, document, checksum, created_at, published_at, retired_at';

/** The columns of a version without its (possibly large) document, plus what lists show of it. */
export const HEADER_COLUMNS =
  "id, owner_firm_id, key, version, major, status, checksum, created_at, published_at, retired_at, document->'name' AS name, document->'description' AS description, jsonb_array_length(document->'questions') AS question_count";

/**
 * The versions a firm may see: its own (any status) and the built-in ones that are not drafts.
 * `$1` must be the firm id.
 */
export const VISIBLE_TO_FIRM = `(owner_firm_id = $1 OR (owner_firm_id IS NULL AND status <> 'DRAFT'))`;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a string of the uuid form (a malformed id is treated as one that does not exist). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** A row as selected with VERSION_COLUMNS or HEADER_COLUMNS. */
export interface VersionRow {
  id: string;
  owner_firm_id: string | null;
  key: string;
  version: string;
  major: number;
  status: FrameworkStatus;
  document?: FrameworkDocument;
  checksum: string;
  created_at: Date;
  published_at: Date | null;
  retired_at: Date | null;
  name?: LocalizedText;
  description?: LocalizedText;
  question_count?: number;
}

/** Maps a full row (VERSION_COLUMNS) to the entity. */
export function toFrameworkVersion(row: VersionRow): FrameworkVersion {
  return Object.assign(new FrameworkVersion(), {
    id: row.id,
    ownerFirmId: row.owner_firm_id,
    key: row.key,
    version: row.version,
    major: row.major,
    status: row.status,
    document: row.document as FrameworkDocument,
    checksum: row.checksum,
    createdAt: row.created_at,
    publishedAt: row.published_at,
    retiredAt: row.retired_at,
  });
}

/**
 * The rows of a query result: TypeORM answers `[rows, affectedCount]` for UPDATE and DELETE
 * and `rows` for everything else.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}

/** MAJOR.MINOR.PATCH as numbers (the version was validated). */
export function versionParts(version: string): [number, number, number] {
  const [major, minor, patch] = version.split('.').map(Number);
  return [major, minor, patch];
}

/** The next patch and minor versions, for "raise the version" messages. */
export function nextVersions(version: string): { patch: string; minor: string } {
  const [major, minor, patch] = versionParts(version);
  return { patch: `${major}.${minor}.${patch + 1}`, minor: `${major}.${minor + 1}.0` };
}
