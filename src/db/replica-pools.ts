import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/** The part of a pino/Fastify logger the replica code writes to. */
export interface ReplicaLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

// The members of TypeORM 1.1's PostgresDriver that replication goes through (the pool factory
// is protected in its types, the others public).
interface ReplicatedDriver {
  postgres: { Pool: new (options: object) => Pool };
  slaves: Pool[];
  createPool(options: object, credentials: { url?: string }): Promise<Pool>;
  obtainSlaveConnection(): Promise<[PoolClient, (err?: Error) => void]>;
}

// A replica that refused a connection is not tried again for this long: a read goes straight
// to the primary instead of waiting for a second refusal (or a timeout) first.
const RETRY_AFTER_MS = 5000;
// A replica that does not answer at all must not hold a read for the primary's 30 s.
const REPLICA_CONNECT_TIMEOUT_MS = 2000;

const SILENT: ReplicaLog = { info: () => undefined, warn: () => undefined };

/** A replica URL without its user and password, for logs. */
export function describeReplica(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'replica';
  }
}

/**
 * The replicas of a DataSource made with `replication` (see createDataSource): which are up,
 * and a connection to one of them. TypeORM's own choice (a random replica, failing when it is
 * down) is replaced by one that skips a replica for a few seconds after it refused a
 * connection and tries the next, logging when a replica goes down and when it is back.
 */
export class ReplicaPools {
  private log: ReplicaLog = SILENT;
  private readonly downUntil: number[];
  private readonly origin = new WeakMap<PoolClient, number>();
  private readonly broken = new WeakMap<PoolClient, Error>();
  private next = 0;

  constructor(
    private readonly driver: ReplicatedDriver,
    readonly urls: string[],
  ) {
    this.downUntil = urls.map(() => 0);
  }

  /** False while every replica is resting after a failure: reads go to the primary without trying. */
  anyUp(now = Date.now()): boolean {
    return this.downUntil.some((until) => until <= now);
  }

  /** A connection to a replica that is up, taken in turn; throws when none can be reached. */
  async connect(): Promise<[PoolClient, (err?: Error) => void]> {
    let lastError: unknown = new Error('every read replica is down');
    for (let tried = 0; tried < this.urls.length; tried++) {
      const index = this.next;
      this.next = (this.next + 1) % this.urls.length;
      if (this.downUntil[index] > Date.now()) continue;
      const pool = this.driver.slaves[index];
      try {
        const client = await pool.connect();
        this.markUp(index);
        this.origin.set(client, index);
        return [client, (err?: Error) => client.release(err ?? this.broken.get(client))];
      } catch (err) {
        this.markDown(index, err);
        lastError = err;
      }
    }
    throw lastError;
  }

  /** Rests a replica after a failure seen on one of its connections (a lost connection, a query refused). */
  markDown(index: number, err: unknown): void {
    if (this.downUntil[index] === 0) {
      this.log.warn(
        { replica: describeReplica(this.urls[index]), err },
        'read replica unreachable: its reads go to the primary',
      );
    }
    this.downUntil[index] = Date.now() + RETRY_AFTER_MS;
  }

  /**
   * A connection of {@link connect} failed: it is closed instead of pooled when released, and
   * its replica rests.
   */
  discard(client: PoolClient, err: unknown): void {
    this.broken.set(client, err instanceof Error ? err : new Error(String(err)));
    const index = this.origin.get(client);
    if (index !== undefined) this.markDown(index, err);
  }

  /** Sets the logger, and reports the replicas found down so far (at start, before there was one). */
  setLog(log: ReplicaLog): void {
    this.log = log;
    this.downUntil.forEach((until, index) => {
      if (until !== 0)
        log.warn(
          { replica: describeReplica(this.urls[index]) },
          'read replica unreachable at start: its reads go to the primary',
        );
    });
  }

  private markUp(index: number): void {
    if (this.downUntil[index] !== 0) {
      this.log.info({ replica: describeReplica(this.urls[index]) }, 'read replica reachable again');
      this.downUntil[index] = 0;
    }
  }
}

const POOLS = new WeakMap<DataSource, ReplicaPools>();

/**
 * Adapts a DataSource configured with `replication` to replicas that come and go: a replica
 * that is down when the DataSource initializes gets its pool anyway (TypeORM would fail the
 * start), connections to replicas time out after 2 s, and replica connections come from
 * {@link ReplicaPools}. Call before `initialize()`.
 */
export function adaptReplicaPools(dataSource: DataSource, urls: string[]): ReplicaPools {
  const driver = dataSource.driver as unknown as ReplicatedDriver;
  const pools = new ReplicaPools(driver, urls);
  const createPool = driver.createPool.bind(driver);
  driver.createPool = async (options, credentials) => {
    const index = credentials.url === undefined ? -1 : urls.indexOf(credentials.url);
    if (index < 0) return createPool(options, credentials);
    const extra = (options as { extra?: object }).extra ?? {};
    const replicaOptions = { ...options, extra: { ...extra, connectionTimeoutMillis: REPLICA_CONNECT_TIMEOUT_MS } };
    try {
      return await createPool(replicaOptions, credentials);
    } catch (err) {
      pools.markDown(index, err);
      // The same pool as TypeORM's, without its first connection: pg connects on demand.
      const pool = new driver.postgres.Pool({
        connectionString: credentials.url,
        application_name: (options as { applicationName?: string }).applicationName,
        ...replicaOptions.extra,
      });
      pool.on('error', () => undefined);
      return pool;
    }
  };
  driver.obtainSlaveConnection = () => pools.connect();
  POOLS.set(dataSource, pools);
  return pools;
}

/** The replicas of a DataSource made with DATABASE_REPLICA_URLS, or null. */
export function replicaPoolsOf(dataSource: DataSource): ReplicaPools | null {
  return POOLS.get(dataSource) ?? null;
}
