import { randomUUID } from 'node:crypto';
import { createTestDatabase, startTestApp } from './helpers/test-app';

describe('restart', () => {
  it('keeps every row across a restart', async () => {
    const db = await createTestDatabase();
    try {
      const first = await startTestApp({ db });
      const id = randomUUID();
      await first.running.database.dataSource.query('INSERT INTO firm (id, name) VALUES ($1, $2)', [
        id,
        'Survivor LLP',
      ]);
      await first.stop(false);

      const second = await startTestApp({ db });
      const rows = await second.running.database.dataSource.query('SELECT name FROM firm WHERE id = $1', [id]);
      expect(rows).toEqual([{ name: 'Survivor LLP' }]);
      await second.stop(false);
    } finally {
      await db.drop();
    }
  });
});
