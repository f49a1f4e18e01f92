import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { NotFoundError } from '../../graphql/errors';
import { Firm } from './firm.entity';
import { normaliseOrigin } from '../../http/origin';
import type { ApiKey, ApiKeyRole } from './api-key.entity';
import { createApiKey, getCurrentApiKey, type Principal } from './api-key.service';

/**
 * Creates a firm with its first ADMIN key; returns the firm and the key's secret (shown once).
 */
export async function createFirmWithAdminKey(manager: EntityManager, name: string): Promise<{ firm: Firm; adminKey: string }> {
  const firm = manager.create(Firm, { id: randomUUID(), name, sharesBenchmarks: false, corsOrigins: [] });
  await manager.insert(Firm, firm);
  const { secret } = await createApiKey(manager, firm.id, 'First admin key', 'ADMIN');
  return { firm, adminKey: secret };
}

/** The caller's firm. */
export async function getFirm(principal: Principal, dataSource: DataSource): Promise<Firm> {
  const firm = await dataSource.getRepository(Firm).findOneBy({ id: principal.firmId });
  // The key was just resolved to this firm, so it exists unless deleted in between.
  if (!firm) throw new NotFoundError('Firm', principal.firmId);
  return firm;
}

/** The caller's firm, its role and the key it authenticated with (for `me`). */
export async function getMe(principal: Principal, dataSource: DataSource): Promise<{ firm: Firm; role: ApiKeyRole; apiKey: ApiKey }> {
  const [firm, apiKey] = await Promise.all([getFirm(principal, dataSource), getCurrentApiKey(principal, dataSource)]);
  return { firm, role: principal.role, apiKey };
}

/**
 * Changes the caller's firm's name, benchmark sharing and/or allowed web origins (stored
 * normalised, without duplicates); absent or null fields stay.
 */
export async function updateFirmSettings(
  principal: Principal,
  dataSource: DataSource,
  input: { name?: string | null; sharesBenchmarks?: boolean | null; corsOrigins?: string[] | null },
): Promise<Firm> {
  const changes: Partial<Pick<Firm, 'name' | 'sharesBenchmarks' | 'corsOrigins'>> = {};
  if (input.name != null) changes.name = input.name.trim();
  if (input.sharesBenchmarks != null) changes.sharesBenchmarks = input.sharesBenchmarks;
  if (input.corsOrigins != null) {
    // The input was validated: every entry normalises.
    changes.corsOrigins = [
      ...new Set(
        input.corsOrigins.map((raw) => {
          const result = normaliseOrigin(raw);
          return 'origin' in result ? result.origin : raw;
        }),
      ),
    ];
  }
  if (Object.keys(changes).length > 0) {
    await dataSource.getRepository(Firm).update({ id: principal.firmId }, changes);
  }
  return getFirm(principal, dataSource);
}
