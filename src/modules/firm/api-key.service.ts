import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ApiKey, type ApiKeyRole } from './api-key.entity';
import { ConflictError, NotFoundError } from '../../graphql/errors';
import { withTransaction } from '../../db/transaction';
import { isUuid } from './tenant-ids';

/** Keys look like `ssm_` + 43 base64url characters (256 random bits). */
const KEY_PATTERN = /^ssm_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = 12;

import type { Principal } from '../../graphql/principal';

export type { Principal };

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
  const rows: Array<{
    firm_id: string;
    id: string;
    role: ApiKeyRole;
    revoked_at: Date | null;
    last_used_at: Date | null;
  }> = await dataSource.query('SELECT firm_id, id, role, revoked_at, last_used_at FROM api_key WHERE key_hash = $1', [
    hashSecret(secret),
  ]);
  const row = rows[0];
  if (!row || row.revoked_at) return null;
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > LAST_USED_RESOLUTION_MS) {
    await dataSource.query('UPDATE api_key SET last_used_at = now() WHERE firm_id = $1 AND id = $2', [
      row.firm_id,
      row.id,
    ]);
  }
  return { firmId: row.firm_id, keyId: row.id, role: row.role };
}

/** The firm's keys, oldest first (revoked ones too, with `revokedAt`). */
export async function listApiKeys(principal: Principal, dataSource: DataSource): Promise<ApiKey[]> {
  return dataSource
    .getRepository(ApiKey)
    .find({ where: { firmId: principal.firmId }, order: { createdAt: 'ASC', id: 'ASC' } });
}

/** The key the caller authenticated with. */
export async function getCurrentApiKey(principal: Principal, dataSource: DataSource): Promise<ApiKey> {
  const key = await dataSource.getRepository(ApiKey).findOneBy({ firmId: principal.firmId, id: principal.keyId });
  if (!key) throw new NotFoundError('ApiKey', principal.keyId);
  return key;
}

/**
 * Creates a key of the caller's firm; returns it with the secret (shown once, never stored).
 */
export async function issueApiKey(
  principal: Principal,
  dataSource: DataSource,
  input: { name: string; role: ApiKeyRole },
): Promise<{ apiKey: ApiKey; secret: string }> {
  const { key, secret } = await createApiKey(dataSource.manager, principal.firmId, input.name.trim(), input.role);
  // Read back for the database's created_at.
  const apiKey = await dataSource.getRepository(ApiKey).findOneByOrFail({ firmId: principal.firmId, id: key.id });
  return { apiKey, secret };
}

/**
 * Revokes a key of the caller's firm (the caller's own key too: its next request is refused).
 * NOT_FOUND for an id of no key of this firm; CONFLICT when it is already revoked, or when it
 * is the firm's last active ADMIN key (nobody could manage the firm's keys any more).
 */
export async function revokeApiKey(principal: Principal, dataSource: DataSource, id: string): Promise<ApiKey> {
  if (!isUuid(id)) throw new NotFoundError('ApiKey', id);
  return withTransaction(dataSource, async (manager) => {
    // One revocation per firm at a time, so that two ADMINs revoking each other's keys at
    // once cannot both see the other key as still active.
    await manager.query('SELECT 1 FROM firm WHERE id = $1 FOR UPDATE', [principal.firmId]);
    const key = await manager
      .getRepository(ApiKey)
      .createQueryBuilder('k')
      .setLock('pessimistic_write')
      .where('k.firm_id = :firmId AND k.id = :id', { firmId: principal.firmId, id })
      .getOne();
    if (!key) throw new NotFoundError('ApiKey', id);
    if (key.revokedAt) throw new ConflictError(`ApiKey "${id}" is already revoked.`);
    if (key.role === 'ADMIN') {
      const [{ others }]: Array<{ others: number }> = await manager.query(
        "SELECT count(*)::int AS others FROM api_key WHERE firm_id = $1 AND role = 'ADMIN' AND revoked_at IS NULL AND id <> $2",
        [principal.firmId, id],
      );
      if (others === 0)
        throw new ConflictError(
          `ApiKey "${id}" is the firm's last active ADMIN key: create another ADMIN key before revoking it.`,
        );
    }
    await manager.query('UPDATE api_key SET revoked_at = now() WHERE firm_id = $1 AND id = $2 AND revoked_at IS NULL', [
      principal.firmId,
      id,
    ]);
    return manager.getRepository(ApiKey).findOneByOrFail({ firmId: principal.firmId, id });
  });
}
