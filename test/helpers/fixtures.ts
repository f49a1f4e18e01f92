import type { DataSource } from 'typeorm';
import { createApiKey } from '../../src/modules/firm/api-key.service';
import { createFirmWithAdminKey } from '../../src/modules/firm/firm.service';

/** A firm made for a test, with one key of each role. */
export interface TestFirm {
  firmId: string;
  name: string;
  keys: { ADMIN: string; CONSULTANT: string; VIEWER: string };
  /** `Authorization` headers for each role. */
  auth: { ADMIN: Record<string, string>; CONSULTANT: Record<string, string>; VIEWER: Record<string, string> };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Creates a firm directly in the database with ADMIN, CONSULTANT and VIEWER keys. */
export async function createTestFirm(dataSource: DataSource, name = 'Test Firm'): Promise<TestFirm> {
  return dataSource.transaction(async (manager) => {
    const { firm, adminKey } = await createFirmWithAdminKey(manager, name);
    const consultant = await createApiKey(manager, firm.id, 'consultant', 'CONSULTANT');
    const viewer = await createApiKey(manager, firm.id, 'viewer', 'VIEWER');
    const keys = { ADMIN: adminKey, CONSULTANT: consultant.secret, VIEWER: viewer.secret };
    return {
      firmId: firm.id,
      name,
      keys,
      auth: { ADMIN: bearer(keys.ADMIN), CONSULTANT: bearer(keys.CONSULTANT), VIEWER: bearer(keys.VIEWER) },
    };
  });
}
