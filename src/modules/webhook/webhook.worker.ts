import { EventEmitter } from 'node:events';
import { Client, Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { FastifyBaseLogger } from 'fastify';
import { Logger, run, type Runner, type Task, type WorkerEvents } from 'graphile-worker';
import type { WebhookConfig } from '../../config';
import type { Database } from '../../db/database';
import { withTransaction } from '../../db/transaction';
import { DELIVER_TASK } from './webhook-events';
import { enqueueEndpoint, messageId } from './webhook-outbox';
import { sendWebhook, type SendOutcome } from './webhook-sender';
import { signatureHeader } from './webhook-signing';
import { webhookUrlProblem } from './webhook-url';

/** A running delivery worker of this API process. */
export interface WebhookWorker {
  /** Interrupts the attempts in flight (they are recorded and retried later), waits for the jobs to end, closes the worker's connections. */
  stop(): Promise<void>;
}

/** Connections of the worker's own pool: one per concurrent job, one for LISTEN, one spare. */
export function webhookWorkerConnections(config: WebhookConfig): number {
  return config.concurrency + 2;
}

// One job run sends at most this many deliveries or runs this long, then hands over to a
// new job of the same endpoint, so that one busy endpoint does not keep a worker to itself.
const MAX_DELIVERIES_PER_RUN = 50;
const MAX_RUN_MS = 30_000;

interface EndpointRow {
  url: string;
  enabled: boolean;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

interface HeadRow {
  id: string;
  attempt_count: number;
  next_attempt_at: Date | null;
  created_at: Date;
  event_id: string;
  body: string;
}

/** Delay before retry number `failures` (1 = after the first failed attempt): doubling from the base, capped. */
export function retryDelayMs(config: WebhookConfig, failures: number): number {
  return Math.min(config.retryBaseDelayMs * 2 ** Math.min(failures - 1, 30), config.retryMaxDelayMs);
}

/**
 * When to try again after `failures` failed attempts of a delivery created at `createdAt`,
 * or null to give up: retries follow {@link retryDelayMs} until `retryWindowMs` after the
 * delivery's creation, with one last attempt at the end of that window.
 */
export function nextAttemptAt(config: WebhookConfig, createdAt: Date, failures: number, now: Date): Date | null {
  const end = createdAt.getTime() + config.retryWindowMs;
  if (now.getTime() >= end) return null;
  return new Date(Math.min(now.getTime() + retryDelayMs(config, failures), end));
}

function activeSecrets(endpoint: EndpointRow, now: Date): string[] {
  const secrets = [endpoint.secret];
  if (endpoint.previous_secret && endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > now)
    secrets.push(endpoint.previous_secret);
  return secrets;
}

async function attempt(
  config: WebhookConfig,
  endpoint: EndpointRow,
  head: HeadRow,
  stop: AbortSignal,
): Promise<SendOutcome> {
  const problem = webhookUrlProblem(endpoint.url, config.allowPrivateNetworks);
  if (problem) return { ok: false, statusCode: null, bodyExcerpt: null, error: `The URL ${problem}`, durationMs: 0 };
  const id = messageId(head.event_id);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(activeSecrets(endpoint, new Date()), id, timestamp, head.body),
  };
  return sendWebhook(endpoint.url, head.body, headers, {
    timeoutMs: config.timeoutMs,
    allowPrivateNetworks: config.allowPrivateNetworks,
    stop,
  });
}

/** Records one attempt and the delivery's new state; returns the retry time, if any. */
async function recordAttempt(
  dataSource: DataSource,
  config: WebhookConfig,
  firmId: string,
  head: HeadRow,
  startedAt: Date,
  outcome: SendOutcome,
): Promise<Date | null> {
  const failures = head.attempt_count + 1;
  const retryAt = outcome.ok ? null : nextAttemptAt(config, head.created_at, failures, new Date());
  const status = outcome.ok ? 'DELIVERED' : retryAt ? 'PENDING' : 'FAILED';
  await withTransaction(dataSource, async (manager) => {
    await manager.query(
      `INSERT INTO webhook_attempt (firm_id, delivery_id, number, started_at, duration_ms, status_code, succeeded, error, response_excerpt)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        firmId,
        head.id,
        failures,
        startedAt,
        outcome.durationMs,
        outcome.statusCode,
        outcome.ok,
        outcome.error?.slice(0, 500) ?? null,
        outcome.bodyExcerpt,
      ],
    );
    await manager.query(
      `UPDATE webhook_delivery SET attempt_count = $3, status = $4::varchar, next_attempt_at = $5, delivered_at = CASE WHEN $4::varchar = 'DELIVERED' THEN now() END
        WHERE firm_id = $1 AND id = $2`,
      [firmId, head.id, failures, status, retryAt],
    );
  });
  return retryAt;
}

/**
 * The job of one endpoint: sends its PENDING deliveries one at a time in order (`seq`, the
 * order the events were written). A failed one blocks the later ones until it is delivered
 * or given up, so the receiver sees the endpoint's events in order; the job is then
 * scheduled again for the retry time.
 */
function deliverEndpointTask(
  dataSource: DataSource,
  config: WebhookConfig,
  log: FastifyBaseLogger,
  stop: AbortSignal,
): Task {
  return async (payload) => {
    const { firmId, endpointId } = payload as { firmId: string; endpointId: string };
    const until = Date.now() + MAX_RUN_MS;
    for (let sent = 0; ; sent++) {
      if (sent >= MAX_DELIVERIES_PER_RUN || Date.now() > until || stop.aborted) {
        await enqueueEndpoint(dataSource, firmId, endpointId);
        return;
      }
      const [endpoint]: EndpointRow[] = await dataSource.query(
        'SELECT url, enabled, secret, previous_secret, previous_secret_expires_at FROM webhook_endpoint WHERE firm_id = $1 AND id = $2',
        [firmId, endpointId],
      );
      // Deleted, or disabled: enabling it again enqueues a new job.
      if (!endpoint?.enabled) return;
      const [head]: HeadRow[] = await dataSource.query(
        `SELECT d.id, d.attempt_count, d.next_attempt_at, d.created_at, e.id AS event_id, e.body
           FROM webhook_delivery d JOIN webhook_event e ON e.firm_id = d.firm_id AND e.id = d.event_id
          WHERE d.firm_id = $1 AND d.endpoint_id = $2 AND d.status = 'PENDING'
          ORDER BY d.seq LIMIT 1`,
        [firmId, endpointId],
      );
      if (!head) return;
      if (head.next_attempt_at && head.next_attempt_at.getTime() > Date.now()) {
        await enqueueEndpoint(dataSource, firmId, endpointId, head.next_attempt_at);
        return;
      }
      const startedAt = new Date();
      const outcome = await attempt(config, endpoint, head, stop);
      const retryAt = await recordAttempt(dataSource, config, firmId, head, startedAt, outcome);
      if (!outcome.ok) {
        log.info(
          { endpointId, deliveryId: head.id, attempt: head.attempt_count + 1, error: outcome.error, retryAt },
          'webhook attempt failed',
        );
        if (retryAt) {
          await enqueueEndpoint(dataSource, firmId, endpointId, retryAt);
          return;
        }
      }
    }
  };
}

function jobQueueLogger(log: FastifyBaseLogger): Logger {
  return new Logger((scope) => (level, message) => {
    const context = { component: 'job-queue', label: scope.label };
    // graphile-worker's LogLevel is a const enum of these strings.
    const name: string = level;
    if (name === 'error') log.error(context, message);
    else if (name === 'warning') log.warn(context, message);
    else log.debug(context, message);
  });
}

// First key of the session advisory locks that say "this job-queue worker is alive" (the
// second is hashtext(worker id)), held by each process for its workers on one connection.
const WORKER_ALIVE_LOCK_CLASS = 482_913_020;
// A lock this young may belong to a worker whose liveness lock is still being taken.
const MIN_STALE_LOCK_MS = 5000;

/** Workers holding job or queue locks (older than `olderThanMs`, when given). */
async function lockingWorkers(pool: Pool, olderThanMs: number | null): Promise<string[]> {
  const { rows } = await pool.query<{ locked_by: string }>(
    `SELECT locked_by FROM graphile_worker._private_jobs
      WHERE locked_by IS NOT NULL AND ($1::int IS NULL OR locked_at < now() - make_interval(secs => $1::int / 1000.0))
     UNION SELECT locked_by FROM graphile_worker._private_job_queues
      WHERE locked_by IS NOT NULL AND ($1::int IS NULL OR locked_at < now() - make_interval(secs => $1::int / 1000.0))`,
    [olderThanMs],
  );
  return rows.map((r) => r.locked_by);
}

async function forceUnlock(pool: Pool, workerIds: string[]): Promise<void> {
  if (workerIds.length) await pool.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [workerIds]);
}

/**
 * Who is alive, on a PostgreSQL server: each worker of this process holds a session advisory
 * lock on one connection, which PostgreSQL releases when the process dies (kill -9 included).
 * graphile-worker itself frees a dead worker's jobs only after 4 hours; {@link sweep} frees
 * those whose worker holds no such lock at once.
 */
class Liveness {
  private readonly own = new Set<string>();
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: Client,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Marks a worker of this process as alive. */
  hold(workerId: string): void {
    this.own.add(workerId);
    this.pending = this.pending
      .then(() => this.client.query('SELECT pg_advisory_lock($1, hashtext($2))', [WORKER_ALIVE_LOCK_CLASS, workerId]))
      .catch((err) => this.log.warn({ err, workerId }, 'could not mark a webhook worker as alive'));
  }

  /** Frees the jobs of workers of other processes that are gone. */
  async sweep(pool: Pool): Promise<void> {
    await this.pending;
    const dead: string[] = [];
    for (const workerId of await lockingWorkers(pool, MIN_STALE_LOCK_MS)) {
      if (this.own.has(workerId)) continue;
      const { rows } = await this.client.query<{ free: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS free',
        [WORKER_ALIVE_LOCK_CLASS, workerId],
      );
      if (!rows[0].free) continue;
      await this.client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [WORKER_ALIVE_LOCK_CLASS, workerId]);
      dead.push(workerId);
    }
    if (dead.length) {
      this.log.warn({ workers: dead }, 'releasing the webhook jobs of job-queue workers that died');
      await forceUnlock(pool, dead);
    }
  }
}

const SWEEP_INTERVAL_MS = 15_000;

/**
 * Makes sure every enabled endpoint with PENDING deliveries has a job. The outbox enqueues
 * one in the same transaction, so this only matters when a job was lost to the job queue's
 * own failure handling (a task that kept failing, e.g. while the database was unreachable,
 * until graphile-worker gave it up). A waiting job keeps its time.
 */
async function enqueueWaitingEndpoints(pool: Pool): Promise<void> {
  await pool.query(
    `SELECT graphile_worker.add_job($1, json_build_object('firmId', p.firm_id, 'endpointId', p.endpoint_id),
       queue_name => 'webhook:' || p.endpoint_id, job_key => 'webhook:' || p.endpoint_id, job_key_mode => 'preserve_run_at')
       FROM (SELECT DISTINCT d.firm_id, d.endpoint_id FROM webhook_delivery d
               JOIN webhook_endpoint e ON e.firm_id = d.firm_id AND e.id = d.endpoint_id
              WHERE d.status = 'PENDING' AND e.enabled) AS p`,
    [DELIVER_TASK],
  );
}

/**
 * Starts this process's webhook delivery worker on graphile-worker, with its own small pool
 * (the job queue's schema was installed with the migrations). Several API processes may each
 * run one: a job is taken by one worker only, and an endpoint's jobs run one at a time.
 * Jobs that a crashed process held are freed at the next start (the embedded database: it
 * serves one process, so every lock is a dead one) or within seconds by any live process
 * (PostgreSQL, see {@link Liveness}).
 */
export async function startWebhookWorker(
  database: Database,
  config: WebhookConfig,
  log: FastifyBaseLogger,
): Promise<WebhookWorker> {
  const target = database.target;
  const connection =
    target.kind === 'url'
      ? { connectionString: target.url }
      : { host: target.socketDir, port: target.port, user: 'postgres', database: 'postgres' };
  const pool = new Pool({
    ...connection,
    max: webhookWorkerConnections(config),
    application_name: 'ssm-webhook-worker',
  });
  pool.on('error', (err) => log.warn({ err }, 'webhook worker connection failed'));
  const embedded = database.mode === 'embedded';
  // Aborted on stop: attempts in flight end at once (recorded as failed, and retried later).
  const stopping = new AbortController();
  let liveness: Liveness | null = null;
  let livenessClient: Client | null = null;
  let runner: Runner | null = null;
  let timer: NodeJS.Timeout | null = null;
  try {
    if (embedded) {
      // No other process can be using the embedded database: every lock is a dead one.
      await forceUnlock(pool, await lockingWorkers(pool, null));
    } else {
      livenessClient = new Client({ ...connection, application_name: 'ssm-webhook-liveness' });
      livenessClient.on('error', (err) => log.warn({ err }, 'webhook worker liveness connection failed'));
      await livenessClient.connect();
      liveness = new Liveness(livenessClient, log);
      await liveness.sweep(pool);
    }
    await enqueueWaitingEndpoints(pool);
    const events = new EventEmitter() as WorkerEvents;
    const alive = liveness;
    if (alive) events.on('worker:create', ({ worker }) => alive.hold(worker.workerId));
    runner = await run({
      pgPool: pool,
      logger: jobQueueLogger(log),
      // The embedded server serves every connection from one session: no named statements.
      noPreparedStatements: embedded,
      events,
      concurrency: config.concurrency,
      pollInterval: config.pollIntervalMs,
      noHandleSignals: true,
      taskList: { [DELIVER_TASK]: deliverEndpointTask(database.dataSource, config, log, stopping.signal) },
    });
    if (alive) {
      timer = setInterval(() => {
        alive.sweep(pool).catch((err) => log.warn({ err }, 'could not release the jobs of dead webhook workers'));
      }, SWEEP_INTERVAL_MS);
      timer.unref();
    }
  } catch (err) {
    if (runner) await runner.stop().catch(() => undefined);
    if (livenessClient) await livenessClient.end().catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw err;
  }
  const started = { runner, livenessClient, timer };
  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= (async () => {
        if (started.timer) clearInterval(started.timer);
        stopping.abort();
        try {
          await started.runner.stop();
        } finally {
          // Only once the workers are done: until then they are alive.
          if (started.livenessClient) await started.livenessClient.end().catch(() => undefined);
          await pool.end();
        }
      })();
      return stopped;
    },
  };
}
