/**
 * The embedded PostgreSQL serves several connections through one PGlite. Each client's
 * extended-protocol unit (Parse, Bind, Describe, Execute … Sync) must run without another
 * connection's messages in between, or one query's parameters can meet another's statement.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ENTITIES } from '../src/app-modules';
import { openDatabase, type Database } from '../src/db/database';

describe('embedded PostgreSQL under concurrent connections', () => {
  let db: Database;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-concurrency-'));
    db = await openDatabase({ databaseUrl: null, dataDir: dir, entities: ENTITIES, poolSize: 8, migrate: false });
  });
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers every parameterised query with its own statement and parameters, alongside transactions', async () => {
    await db.dataSource.query('CREATE TABLE IF NOT EXISTS concurrency_log (id serial PRIMARY KEY, k int NOT NULL)');
    // Three statement shapes with distinguishable answers, mixed with transactions on other
    // connections: a Bind that met another statement, or an Execute another portal, shows.
    const n = 300;
    const results = await Promise.allSettled(
      Array.from({ length: n }, async (_, i) => {
        switch (i % 3) {
          case 0:
            return (await db.dataSource.query('SELECT $1::int * 2 AS v', [i]))[0].v === i * 2 || 'doubled';
          case 1:
            return (
              (await db.dataSource.query("SELECT $1::int + 1000000 AS v, 'plus' AS tag", [i]))[0].v === i + 1000000 ||
              'plus'
            );
          default:
            return db.dataSource.transaction(async (m) => {
              await m.query('INSERT INTO concurrency_log (k) VALUES ($1)', [i]);
              const rows = await m.query('SELECT count(*)::int AS c FROM concurrency_log WHERE k = $1', [i]);
              return rows[0].c === 1 || 'transaction';
            });
        }
      }),
    );
    const wrong = results
      .map((r, i) =>
        r.status === 'rejected'
          ? `${i}: ${(r.reason as Error).message}`
          : r.value !== true
            ? `${i}: wrong ${r.value} answer`
            : null,
      )
      .filter(Boolean);
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('keeps transactions apart from other connections', async () => {
    await db.dataSource.query('CREATE TABLE IF NOT EXISTS concurrency_probe (k int PRIMARY KEY, v int NOT NULL)');
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db.dataSource.transaction(async (m) => {
          await m.query('INSERT INTO concurrency_probe (k, v) VALUES ($1, $2)', [i, i * 10]);
          const [row] = await m.query('SELECT v FROM concurrency_probe WHERE k = $1', [i]);
          if (row.v !== i * 10) throw new Error(`transaction ${i} read ${row.v}`);
        }),
      ),
    );
    const [{ count }] = await db.dataSource.query('SELECT count(*)::int AS count FROM concurrency_probe');
    expect(count).toBe(40);
  });
});
