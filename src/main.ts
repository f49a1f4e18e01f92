import 'reflect-metadata';
import cluster from 'node:cluster';
import { ConfigError, loadConfig } from './config';

async function main(): Promise<void> {
  const t0 = performance.now();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }

  if (config.apiProcesses > 1 && cluster.isPrimary) {
    // The primary only supervises: it loads neither the schema nor the database code.
    const { runPrimary } = await import('./cluster');
    process.exit(await runPrimary(config));
  }

  const { startApp } = await import('./app');
  const { DataDirLockedError } = await import('./db/embedded-postgres');
  const { connectionBudgetWarning } = await import('./db/database');
  const { webhookWorkerConnections } = await import('./modules/webhook/webhook.worker');
  const { STARTUP_STEPS } = await import('./startup');
  let running;
  try {
    running = await startApp(config, STARTUP_STEPS);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(75); // EX_TEMPFAIL
    }
    process.stderr.write(`Could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
  const { app, url, database } = running;
  app.log.info(
    {
      url: `${url}/graphql`,
      database: database.mode,
      dataDir: database.mode === 'embedded' ? config.dataDir : undefined,
      startMs: Math.round(performance.now() - t0),
    },
    // In a cluster the primary says "ready" once every process listens.
    cluster.isWorker ? `API process ${cluster.worker?.id} listening` : `GraphQL API ready at ${url}/graphql`,
  );

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    const timer = setTimeout(() => {
      app.log.error('requests in flight did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    running
      .stop()
      .then(() => {
        app.log.info('stopped');
        process.exit(0);
      })
      .catch((err) => {
        app.log.error({ err }, 'error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  // After the handlers: a signal must never find the process without them.
  if (!cluster.isWorker || cluster.worker?.id === 1) {
    // The webhook worker's pool, and its liveness connection on PostgreSQL.
    const workerConnections = webhookWorkerConnections(config.webhooks) + 1;
    void connectionBudgetWarning(database, config.apiProcesses, config.dbPoolSize, workerConnections)
      .then(
        (warning) =>
          warning && app.log.warn({ apiProcesses: config.apiProcesses, dbPoolSize: config.dbPoolSize }, warning),
      )
      .catch(() => undefined);
  }
}

void main();
