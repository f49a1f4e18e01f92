import 'reflect-metadata';
import { QueryFailedError } from 'typeorm';
import { ENTITIES } from '../src/app-modules';
import { openDatabase, type Database } from '../src/db/database';
import { queryPrepared } from '../src/db/prepared-statement';
import { countSql } from './helpers/sql-counter';
import { ON_POSTGRES, createTestDatabase, type TestDatabase } from './helpers/test-app';

const PROBE = 'SELECT $1::int * 2 AS doubled';

describe('named prepared statements for hot statements', () => {
  let db: TestDatabase;
  const open: Database[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const database of open) await database.close();
    await db?.drop();
  });

  async function openWith(preparedStatements: boolean | undefined, poolSize: number): Promise<Database> {
    const database = await openDatabase({
      databaseUrl: db.databaseUrl,
      dataDir: db.dataDir,
      entities: ENTITIES,
      poolSize,
      preparedStatements,
      migrate: false,
    });
    open.push(database);
    return database;
  }

  async function preparedNames(database: Database): Promise<string[]> {
    const rows: Array<{ name: string }> = await database.dataSource.query(
      'SELECT name FROM pg_prepared_statements ORDER BY name',
    );
    return rows.map((r) => r.name);
  }

  it('answers the same with or without them, logs the statement, and reports failures as TypeORM does', async () => {
    const database = await openWith(undefined, 1);
    const counter = countSql(database.dataSource);
    try {
      for (let i = 1; i <= 3; i++)
        expect(await queryPrepared(database.dataSource, 'test.probe', PROBE, [i])).toEqual([{ doubled: 2 * i }]);
      expect(counter.statements).toEqual([PROBE, PROBE, PROBE]);
    } finally {
      counter.restore();
    }
    const failure = await queryPrepared(database.dataSource, 'test.fails', 'SELECT 1 / $1::int AS x', [0]).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect((failure as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('22012');
    // On a real server the statement stays prepared on the connection; the embedded server,
    // which serves every connection from one session, never gets a named statement.
    expect(await preparedNames(database)).toEqual(ON_POSTGRES ? ['test.fails', 'test.probe'] : []);
    await database.close();
  });

  it('can be turned off (for poolers that do not keep them)', async () => {
    const database = await openWith(false, 1);
    expect(await queryPrepared(database.dataSource, 'test.probe', PROBE, [21])).toEqual([{ doubled: 42 }]);
    expect(await preparedNames(database)).toEqual([]);
    await database.close();
  });

  it('recovers when a migration or a pooler makes the prepared statement stale', async () => {
    const database = await openWith(undefined, 1);
    const ds = database.dataSource;
    await ds.query('CREATE TABLE probe (id int, label varchar(10))');
    await ds.query("INSERT INTO probe VALUES (1, 'a')");
    const read = () => queryPrepared(ds, 'test.stale', 'SELECT id, label FROM probe', []);
    expect(await read()).toEqual([{ id: 1, label: 'a' }]);
    // The plan's result type changes: "cached plan must not change result type" (0A000).
    await ds.query('ALTER TABLE probe ALTER COLUMN label TYPE text');
    expect(await read()).toEqual([{ id: 1, label: 'a' }]);
    expect(await read()).toEqual([{ id: 1, label: 'a' }]);
    // What a pooler does between clients: "prepared statement does not exist" (26000).
    await ds.query('DEALLOCATE ALL');
    expect(await read()).toEqual([{ id: 1, label: 'a' }]);
    expect(await read()).toEqual([{ id: 1, label: 'a' }]);
    expect(await preparedNames(database)).toEqual(ON_POSTGRES ? ['test.stale'] : []);
    await ds.query('DROP TABLE probe');
    await database.close();
  });

  it('runs one name on many connections at once', async () => {
    const database = await openWith(undefined, 4);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        queryPrepared<{ doubled: number }>(database.dataSource, 'test.probe', PROBE, [i]),
      ),
    );
    expect(results.map((r) => r[0].doubled)).toEqual(Array.from({ length: 40 }, (_, i) => 2 * i));
    await database.close();
  });
});
