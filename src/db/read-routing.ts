import { DatabaseError, type PoolClient } from 'pg';
import { QueryFailedError, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { replicaPoolsOf, type ReplicaLog, type ReplicaPools } from './replica-pools';

/** How long a read waits for a replica to replay the firm's last write before it goes to the primary. */
export const CATCH_UP_WAIT_MS = 200;
const CATCH_UP_POLL_MS = 20;

/** The part of a request's logger the routing writes to. */
export interface ReadLog extends ReplicaLog {
  debug(details: object, message: string): void;
}

/** Where a request's replica-tolerant reads run. */
export interface ReadHandle {
  manager: EntityManager;
  /** `replica` when the reads run on a replica that has replayed the firm's last write. */
  source: 'primary' | 'replica';
  /** The replica failed under a read: its connection is closed on release, and the replica rests. */
  discard(err: unknown): void;
  release(): Promise<void>;
}

// SQLSTATE classes and codes after which a read may succeed on the primary: the connection is
// gone (08), the server is shutting down or starting (57), or replay cancelled the query
// (40001 and 40P01 are what recovery conflicts raise on a standby).
const REPLICA_FAILURE = /^(08|57)|^40001$|^40P01$/;

/**
 * Whether a read failed because of the replica it ran on (a lost connection, a shutdown, a
 * recovery conflict), not because of the read itself: only then is it worth reading again
 * on the primary.
 */
export function isReplicaFailure(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError: unknown = err.driverError;
  if (!(driverError instanceof DatabaseError)) return true;
  return REPLICA_FAILURE.test(driverError.code ?? '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Makes the runner's statements wait for each other: a request's reads share its connection
 * and may run at once (a page and its count, several root fields), and pg 8 only tolerates,
 * with a deprecation warning, a query sent while others wait on the same client.
 */
function serialised(runner: QueryRunner): QueryRunner {
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  let last: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: unknown[]) => {
    const result = last.then(() => query(...args));
    last = result.catch(() => undefined);
    return result;
  }) as QueryRunner['query'];
  return runner;
}

/**
 * Sends reads that can be served by a streaming replica (benchmarks and list pages) to one
 * that has caught up with the firm's own writes; every other statement stays on the primary.
 *
 * Read-your-writes: after a firm's write commits, {@link noteWrite} stores the primary's WAL
 * position in `firm_write_position` on the primary (a row, not process memory, so that a read
 * handled by another API process or another machine sees it). A replica read first reads that
 * position on the primary and then the replica's replay position; a replica that is behind is
 * given up to {@link CATCH_UP_WAIT_MS} to catch up, after which the read goes to the primary.
 * A replica that cannot be reached is logged and skipped (see ReplicaPools): reads go to the
 * primary, and never fail because of a replica.
 */
export class ReadRouting {
  private readonly replicas: ReplicaPools | null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly waitMs = CATCH_UP_WAIT_MS,
  ) {
    this.replicas = replicaPoolsOf(dataSource);
  }

  /** True when DATABASE_REPLICA_URLS names replicas. */
  get enabled(): boolean {
    return this.replicas !== null;
  }

  /** Sets the logger of replica outages (the server's; there is none when the database opens). */
  setLog(log: ReplicaLog): void {
    this.replicas?.setLog(log);
  }

  /**
   * Records that a write of the firm has committed: its reads must not run on a replica that
   * has not replayed it. Call after the commit (the position is known only then), before the
   * answer goes back. Nothing to do without replicas.
   */
  async noteWrite(firmId: string): Promise<void> {
    if (!this.replicas) return;
    // The insert position, read after the commit, is past the commit record. Not
    // pg_current_wal_lsn() (written so far): with synchronous_commit off the commit record can
    // still be in the WAL buffers, and a replica at that position would not have the change.
    await this.dataSource.query(
      `INSERT INTO firm_write_position AS p (firm_id, lsn) VALUES ($1, pg_current_wal_insert_lsn())
       ON CONFLICT (firm_id) DO UPDATE SET lsn = GREATEST(p.lsn, EXCLUDED.lsn), written_at = now()`,
      [firmId],
    );
  }

  /**
   * An EntityManager for the firm's replica-tolerant reads, on one connection until `release`:
   * a replica that has replayed the firm's last write, else the primary.
   */
  async open(firmId: string, log: ReadLog): Promise<ReadHandle> {
    const primary = this.primary();
    if (!this.replicas?.anyUp()) return primary;
    const rows = await this.dataSource.query<Array<{ lsn: string }>>(
      'SELECT lsn::text AS lsn FROM firm_write_position WHERE firm_id = $1',
      [firmId],
    );
    const position = rows[0]?.lsn ?? null;
    const runner = serialised(this.dataSource.createQueryRunner('slave'));
    let client: PoolClient;
    try {
      client = (await runner.connect()) as PoolClient;
    } catch {
      // ReplicaPools has logged the replica; none could be reached.
      await runner.release();
      return primary;
    }
    try {
      if (await this.caughtUp(runner, position)) {
        const replicas = this.replicas;
        return {
          manager: runner.manager,
          source: 'replica',
          discard: (err) => replicas.discard(client, err),
          release: () => runner.release(),
        };
      }
      log.debug({ firmId, position }, "read replica behind the firm's last write: read on the primary");
    } catch (err) {
      // The connection broke (the replica went down since it was pooled): rest that replica,
      // and keep the connection out of the pool.
      this.replicas.discard(client, err);
    }
    await runner.release();
    return primary;
  }

  /** The primary, as a handle. */
  primary(): ReadHandle {
    return {
      manager: this.dataSource.manager,
      source: 'primary',
      discard: () => undefined,
      release: async () => undefined,
    };
  }

  /** Whether the replica behind `runner` has replayed `position`, waiting up to `waitMs` for it. */
  private async caughtUp(runner: QueryRunner, position: string | null): Promise<boolean> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      // Also checks that the pooled connection still works. NULL replay position: not a standby.
      const [row] = (await runner.query('SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, true) AS ok', [
        position ?? '0/0',
      ])) as Array<{ ok: boolean }>;
      if (row.ok) return true;
      if (Date.now() >= deadline) return false;
      await sleep(CATCH_UP_POLL_MS);
    }
  }
}

/**
 * One request's replica-tolerant reads: the first {@link run} opens the handle, later ones
 * share it (one connection, so the request's reads see one state); {@link release} gives it back.
 */
export class RequestReads {
  private handle: Promise<ReadHandle> | null = null;
  private readonly retired: ReadHandle[] = [];

  constructor(
    private readonly routing: ReadRouting,
    private readonly log: ReadLog,
  ) {}

  /**
   * Runs one of the firm's benchmark or list reads on this request's handle. When the replica
   * fails under it (see {@link isReplicaFailure}), the failure is logged and the read, and the
   * request's later ones, run on the primary instead: a replica never fails a request.
   */
  async run<T>(firmId: string, read: (db: EntityManager) => Promise<T>): Promise<T> {
    const opened = (this.handle ??= this.routing.open(firmId, this.log));
    const handle = await opened;
    try {
      return await read(handle.manager);
    } catch (err) {
      if (handle.source !== 'replica' || !isReplicaFailure(err)) throw err;
      this.log.warn({ err }, 'read replica failed under a read: read again on the primary');
      if (this.handle === opened) {
        handle.discard(err);
        // Released with the others at the end: another read of this request may still be on it.
        this.retired.push(handle);
        this.handle = Promise.resolve(this.routing.primary());
      }
      return read(this.routing.primary().manager);
    }
  }

  /** See {@link ReadRouting.noteWrite}; a failure is logged, since the write itself has committed. */
  async noteWrite(firmId: string): Promise<void> {
    try {
      await this.routing.noteWrite(firmId);
    } catch (err) {
      this.log.warn(
        { err, firmId },
        'could not record the write position: replica reads may miss this write for a moment',
      );
    }
  }

  /** Gives the replica connection back; call once the request's resolvers are done. */
  async release(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    const handles = [...this.retired.splice(0), await handle?.catch(() => null)];
    for (const h of handles) await h?.release();
  }
}
