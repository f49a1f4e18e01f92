import type { FastifyInstance } from 'fastify';
import { baseUrl, type AppConfig } from './config';
import { ENTITIES } from './app-modules';
import { openDatabase, type Database } from './db/database';
import { createServer } from './server';
import { startWebhookWorker, webhookWorkerConnections, type WebhookWorker } from './modules/webhook/webhook.worker';

/** A started application: the listening HTTP server and its database. */
export interface RunningApp {
  app: FastifyInstance;
  database: Database;
  /** Base URL, e.g. http://127.0.0.1:4000 */
  url: string;
  /** Stops accepting requests and the webhook worker, lets the requests and attempts in flight finish, closes the database. */
  stop(): Promise<void>;
}

/** Hooks that run after migrations and before the server listens (seed loading, demo firm). */
export type StartupStep = (database: Database, app: FastifyInstance, config: AppConfig) => Promise<void>;

/**
 * Opens the database (running pending migrations), runs the start-up steps, and listens.
 */
export async function startApp(config: AppConfig, steps: StartupStep[] = []): Promise<RunningApp> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    replicaUrls: config.databaseReplicaUrls,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    entities: ENTITIES,
    preparedStatements: config.dbPreparedStatements,
    extraConnections: webhookWorkerConnections(config.webhooks),
  });
  let app: FastifyInstance | null = null;
  let worker: WebhookWorker | null = null;
  try {
    app = await createServer(config, database);
    for (const step of steps) await step(database, app, config);
    worker = await startWebhookWorker(database, config.webhooks, app.log);
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    if (app) await app.close().catch(() => undefined);
    if (worker) await worker.stop().catch(() => undefined);
    await database.close();
    throw err;
  }
  const startedWorker = worker;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const started = app;
  let stopping: Promise<void> | null = null;
  return {
    app: started,
    database,
    url: baseUrl(config.host, port),
    stop() {
      stopping ??= (async () => {
        try {
          // The worker finishes its attempts in flight while the server finishes its requests.
          const [server, jobs] = await Promise.allSettled([started.close(), startedWorker.stop()]);
          if (server.status === 'rejected') throw server.reason;
          if (jobs.status === 'rejected') throw jobs.reason;
        } finally {
          await database.close();
        }
      })();
      return stopping;
    },
  };
}
