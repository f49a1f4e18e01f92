import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Firm } from './firm.entity';
import { createApiKey } from './api-key.service';

/**
 * Creates a firm with its first ADMIN key; returns the firm and the key's secret (shown once).
 */
export async function createFirmWithAdminKey(manager: EntityManager, name: string): Promise<{ firm: Firm; adminKey: string }> {
  const firm = manager.create(Firm, { id: randomUUID(), name, sharesBenchmarks: false });
  await manager.insert(Firm, firm);
  const { secret } = await createApiKey(manager, firm.id, 'First admin key', 'ADMIN');
  return { firm, adminKey: secret };
}
