import type { DataSource } from 'typeorm';
import { Logger, runMigrations as runJobQueueMigrations } from 'graphile-worker';
import { createDataSource, type ConnectionTarget, type EntityList } from './data-source';
import { enableNamedStatements } from './prepared-statement';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { ReadRouting } from './read-routing';

/** An open database: the DataSource and, in embedded mode, the PGlite server behind it. */
export interface Database {
  dataSource: DataSource;
  mode: 'embedded' | 'postgres';
  /** Where the DataSource connects, for a pool of another component (the webhook worker). */
  target: ConnectionTarget;
  /** Where benchmark and list reads go: a caught-up read replica when there are some, else the primary. */
  reads: ReadRouting;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl: string | null;
  /** Streaming replicas of `databaseUrl` for benchmark and list reads (DATABASE_REPLICA_URLS). */
  replicaUrls?: string[];
  dataDir: string;
  poolSize: number;
  /** The application's entities (ENTITIES of src/app-modules.ts). */
  entities: EntityList;
  /** Run pending migrations after connecting (default true). */
  migrate?: boolean;
  /**
   * Named prepared statements for the hot statements on a real server (default true; turn
   * off behind a pooler that does not keep them, such as PgBouncer in transaction mode).
   * Never on the embedded server.
   */
  preparedStatements?: boolean;
  /** Connections the embedded server must accept beyond the pool (the webhook worker's own pool). */
  extraConnections?: number;
}

const SILENT_JOB_QUEUE_LOGGER = new Logger(() => () => undefined);

// Arbitrary constant: one key for "migrations are running" across all API processes.
const MIGRATION_LOCK_KEY = 482_913_001;

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock, so several API
 * processes starting at once against one server do not race. Under the same lock, installs
 * or upgrades the job queue's own schema (`graphile_worker`, see docs/webhooks.md): the
 * transactions that write webhook events enqueue their jobs with its SQL function.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      const pgPool = (dataSource.driver as unknown as { master: import('pg').Pool }).master;
      await runJobQueueMigrations({ pgPool, noPreparedStatements: true, logger: SILENT_JOB_QUEUE_LOGGER });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Opens the database: the real server at `databaseUrl` (and its read replicas), or else the
 * embedded PostgreSQL in `dataDir` (locked against a second process). Runs pending migrations.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let embedded: EmbeddedPostgres | null = null;
  let dataSource: DataSource;
  let target: ConnectionTarget;
  if (options.databaseUrl) {
    target = { kind: 'url', url: options.databaseUrl };
    dataSource = createDataSource(target, options.poolSize, options.entities, undefined, options.replicaUrls);
    if (options.preparedStatements !== false) enableNamedStatements(dataSource);
  } else {
    // One spare connection for the migration lock runner.
    embedded = await startEmbeddedPostgres(options.dataDir, options.poolSize + 1 + (options.extraConnections ?? 0));
    target = { kind: 'socket', socketDir: embedded.socketDir, port: embedded.port };
    dataSource = createDataSource(target, options.poolSize, options.entities);
  }
  try {
    await dataSource.initialize();
    if (options.migrate !== false) await runMigrations(dataSource);
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy();
    if (embedded) await embedded.stop();
    throw err;
  }
  let closed = false;
  return {
    dataSource,
    mode: embedded ? 'embedded' : 'postgres',
    target,
    reads: new ReadRouting(dataSource),
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (dataSource.isInitialized) await dataSource.destroy();
      } finally {
        if (embedded) await embedded.stop();
      }
    },
  };
}

/**
 * On a PostgreSQL server: a warning when the API's pools together (`processes` ×
 * (`poolSize` + `workerConnections`)) may want more connections than the server accepts from ordinary users, else
 * null. The pools open connections only under load, so this is the one moment to say it.
 */
export async function connectionBudgetWarning(
  database: Database,
  processes: number,
  poolSize: number,
  workerConnections = 0,
): Promise<string | null> {
  if (database.mode !== 'postgres') return null;
  const [row] = await database.dataSource.query<Array<{ available: number }>>(
    `SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int AS available`,
  );
  const wanted = processes * (poolSize + workerConnections);
  if (wanted <= row.available) return null;
  const perProcess = workerConnections
    ? `(DB_POOL_SIZE + the webhook worker's connections) = ${processes} × (${poolSize} + ${workerConnections})`
    : `DB_POOL_SIZE = ${processes} × ${poolSize}`;
  return `API_PROCESSES × ${perProcess} = ${wanted} connections, more than the ${row.available} that PostgreSQL accepts (max_connections less superuser_reserved_connections): under load some requests will wait for or fail to get a connection. Lower DB_POOL_SIZE or API_PROCESSES, or raise max_connections.`;
}
