import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENTITIES } from '../src/app-modules';
import { openDatabase } from '../src/db/database';
import { pendingSchemaChanges } from '../src/db/schema-diff';
import { MIGRATIONS } from '../migrations';
import { createTestDatabase } from './helpers/test-app';

describe('migrations', () => {
  it('apply to an empty database and leave nothing pending', async () => {
    const db = await createTestDatabase();
    const opened = await openDatabase({
      databaseUrl: db.databaseUrl,
      dataDir: db.dataDir,
      entities: ENTITIES,
      poolSize: 2,
    });
    try {
      const applied = await opened.dataSource.query('SELECT name FROM migrations ORDER BY id');
      expect(applied.map((r: { name: string }) => r.name)).toEqual(
        MIGRATIONS.map((m) => new (m as new () => { name: string })().name),
      );
      const diff = await pendingSchemaChanges(opened.dataSource);
      // A non-empty list means an entity changed without a migration: `npm run migration:generate -- <Name>`.
      expect(diff.up.map((s) => s.query)).toEqual([]);
    } finally {
      await opened.close();
      await db.drop();
    }
  });

  it('registers every migration file in migrations/index.ts', () => {
    const dir = path.join(__dirname, '..', 'migrations');
    const files = fs.readdirSync(dir).filter((f) => /^\d+-.*\.ts$/.test(f));
    expect(files.length).toBe(MIGRATIONS.length);
  });
});
