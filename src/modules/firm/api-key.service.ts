import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ApiKey, type ApiKeyRole } from './api-key.entity';

/** Keys look like `ssm_` + 43 base64url characters (256 random bits). */
const KEY_PATTERN = /^ssm_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = 12;

/** The caller behind a valid API key. */
export interface Principal {
  firmId: string;
  keyId: string;
  role: ApiKeyRole;
}

/** SHA-256 hex of a secret (API key or link token): what is stored instead of the secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new secret with 256 random bits, as `<prefix>_<base64url>`. */
export function generateSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** True for a string of the API key's form (does not say the key exists). */
export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/**
 * Creates an API key for a firm and returns the stored row and the secret, which is shown
 * once and never stored.
 */
export async function createApiKey(
  manager: EntityManager,
  firmId: string,
  name: string,
  role: ApiKeyRole,
): Promise<{ key: ApiKey; secret: string }> {
  const secret = generateSecret('ssm');
  const key = manager.create(ApiKey, {
    firmId,
    id: randomUUID(),
    name,
    role,
    prefix: secret.slice(0, PREFIX_LENGTH),
    keyHash: hashSecret(secret),
    lastUsedAt: null,
    revokedAt: null,
  });
  await manager.insert(ApiKey, key);
  return { key, secret };
}

// last_used_at is written at most once a minute per key, to keep reads free of writes.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves a bearer key to its firm and role; null when the key is unknown or revoked.
 */
export async function findPrincipalByKey(dataSource: DataSource, secret: string): Promise<Principal | null> {
  if (!looksLikeApiKey(secret)) return null;
  const rows: Array<{ firm_id: string; id: string; role: ApiKeyRole; revoked_at: Date | null; last_used_at: Date | null }> =
    await dataSource.query('SELECT firm_id, id, role, revoked_at, last_used_at FROM api_key WHERE key_hash = $1', [hashSecret(secret)]);
  const row = rows[0];
  if (!row || row.revoked_at) return null;
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > LAST_USED_RESOLUTION_MS) {
    await dataSource.query('UPDATE api_key SET last_used_at = now() WHERE firm_id = $1 AND id = $2', [row.firm_id, row.id]);
  }
  return { firmId: row.firm_id, keyId: row.id, role: row.role };
}
