import cluster, { type Worker } from 'node:cluster';
import pino, { type Logger } from 'pino';
import { baseUrl, type AppConfig } from './config';
import { loggerOptions } from './logger-options';

/** More unexpected exits than this within {@link CRASH_WINDOW_MS} stop the whole server. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;

/**
 * Runs the primary process of `API_PROCESSES` > 1: forks that many API processes, which share
 * the port (the primary hands each new connection to the next process in turn), and supervises
 * them. Resolves with the exit code for the primary.
 *
 * - Ready: logs "GraphQL API ready at …" once every process listens. A process that exits
 *   before then (bad migration, seed refused, database unreachable) stops the others, and the
 *   primary exits with that process's code.
 * - A process that dies later is replaced; more than 5 deaths in a minute stop the server
 *   (exit 1) rather than restart forever.
 * - SIGTERM/SIGINT: every process finishes its requests in flight and closes (as a single
 *   process does); the primary exits 0 when all did, 1 when one had to be killed after
 *   SHUTDOWN_TIMEOUT_MS. A process that exits 0 by itself (it got the signal directly, as
 *   with Ctrl-C in a terminal) stops the others the same way.
 *
 * Each process opens its own pool of DB_POOL_SIZE connections; migrations and seed loading
 * are already safe to run from several processes at once.
 */
export function runPrimary(config: AppConfig, log: Logger = pino(loggerOptions(config))): Promise<number> {
  return new Promise((resolve) => {
    const workers = new Set<Worker>();
    let ready = 0;
    let started = false;
    let stopping = false;
    let exitCode = 0;
    const crashes: number[] = [];

    const fork = (): void => {
      const worker = cluster.fork();
      workers.add(worker);
      worker.once('listening', (address) => {
        if (started) {
          log.info({ worker: worker.process.pid }, 'API process replaced');
          return;
        }
        if (++ready < config.apiProcesses) return;
        started = true;
        log.info(
          { url: `${baseUrl(config.host, address.port)}/graphql`, processes: config.apiProcesses, database: 'postgres' },
          `GraphQL API ready at ${baseUrl(config.host, address.port)}/graphql`,
        );
      });
    };

    const stop = (code: number, reason: string): void => {
      exitCode = Math.max(exitCode, code);
      if (stopping) return;
      stopping = true;
      log.info({ reason, processes: workers.size }, 'shutting down: the API processes finish their requests in flight');
      for (const worker of workers) worker.process.kill('SIGTERM');
      const timer = setTimeout(() => {
        log.error({ processes: workers.size }, 'API processes did not stop in time; killing them');
        for (const worker of workers) worker.process.kill('SIGKILL');
        exitCode = 1;
      }, config.shutdownTimeoutMs + 2000);
      timer.unref();
      if (workers.size === 0) resolve(exitCode);
    };

    cluster.on('exit', (worker, code, signal) => {
      workers.delete(worker);
      if (stopping) {
        if (code !== 0) exitCode = Math.max(exitCode, 1);
        if (workers.size === 0) resolve(exitCode);
        return;
      }
      if (!started) {
        log.error({ worker: worker.process.pid, code, signal }, 'an API process failed to start; stopping the others');
        stop(code || 1, 'start-up failed');
        return;
      }
      if (code === 0 && signal === null) {
        stop(0, 'an API process stopped');
        return;
      }
      const now = Date.now();
      crashes.push(now);
      while (crashes.length > 0 && crashes[0] < now - CRASH_WINDOW_MS) crashes.shift();
      if (crashes.length > MAX_CRASHES) {
        log.fatal({ worker: worker.process.pid, code, signal, crashes: crashes.length }, 'API processes keep dying; stopping');
        stop(1, 'repeated crashes');
        return;
      }
      log.error({ worker: worker.process.pid, code, signal }, 'an API process died; starting a new one');
      fork();
    });

    process.on('SIGTERM', () => stop(0, 'SIGTERM'));
    process.on('SIGINT', () => stop(0, 'SIGINT'));
    for (let i = 0; i < config.apiProcesses; i++) fork();
  });
}
