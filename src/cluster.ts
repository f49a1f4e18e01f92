import cluster, { type Worker } from 'node:cluster';
import pino, { type Logger } from 'pino';
import { baseUrl, type AppConfig } from './config';
import { loggerOptions } from './logger-options';

/** The wait before replacing a process that died: doubling from the first to the last. */
const FIRST_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A replacement that has served this long resets the wait. */
const HEALTHY_AFTER_MS = 30_000;

/**
 * Runs the primary process of `API_PROCESSES` > 1: forks that many API processes, which share
 * the port (the primary hands each new connection to the next process in turn), and supervises
 * them. Resolves with the exit code for the primary.
 *
 * - Ready: logs "GraphQL API ready at …" once every process listens. A process that exits
 *   before then (bad migration, seed refused, database unreachable) stops the others, and the
 *   primary exits with that process's code.
 * - Later, a process that dies is replaced after a wait that doubles with each death in a
 *   row (1 s up to 30 s; back to 1 s once a replacement has served 30 s), so that a database
 *   outage does not become a restart storm, while the other processes go on serving. One that
 *   stopped cleanly (it got SIGTERM by itself) is replaced at once.
 * - SIGTERM/SIGINT: every process finishes its requests in flight and closes (as a single
 *   process does); the primary exits 0 when all did, or were still starting and ended by
 *   that signal, and 1 when one failed or had to be killed after SHUTDOWN_TIMEOUT_MS.
 *
 * Each process opens its own pool of DB_POOL_SIZE connections; migrations and seed loading
 * are already safe to run from several processes at once.
 */
export function runPrimary(config: AppConfig, log: Logger = pino(loggerOptions(config))): Promise<number> {
  return new Promise((resolve) => {
    const workers = new Set<Worker>();
    const restarts = new Set<NodeJS.Timeout>();
    let ready = 0;
    let started = false;
    let stopping = false;
    let exitCode = 0;
    let deathsInARow = 0;

    const fork = (replacement: boolean): void => {
      const worker = cluster.fork();
      workers.add(worker);
      worker.once('listening', (address) => {
        if (stopping) return;
        if (replacement) {
          log.info({ worker: worker.process.pid }, 'API process replaced');
          const healthy = setTimeout(() => {
            if (!worker.isDead()) deathsInARow = 0;
          }, HEALTHY_AFTER_MS);
          healthy.unref();
          return;
        }
        if (++ready < config.apiProcesses) return;
        started = true;
        log.info(
          {
            url: `${baseUrl(config.host, address.port)}/graphql`,
            processes: config.apiProcesses,
            database: 'postgres',
          },
          `GraphQL API ready at ${baseUrl(config.host, address.port)}/graphql`,
        );
      });
    };

    const finishIfDone = (): void => {
      if (stopping && workers.size === 0) resolve(exitCode);
    };

    const stop = (code: number, reason: string): void => {
      exitCode = Math.max(exitCode, code);
      if (stopping) return;
      stopping = true;
      for (const timer of restarts) clearTimeout(timer);
      restarts.clear();
      log.info({ reason, processes: workers.size }, 'shutting down: the API processes finish their requests in flight');
      for (const worker of workers) worker.process.kill('SIGTERM');
      const timer = setTimeout(() => {
        log.error({ processes: workers.size }, 'API processes did not stop in time; killing them');
        exitCode = 1;
        for (const worker of workers) worker.process.kill('SIGKILL');
      }, config.shutdownTimeoutMs + 2000);
      timer.unref();
      finishIfDone();
    };

    cluster.on('exit', (worker, code, signal) => {
      workers.delete(worker);
      if (stopping) {
        // A process still starting has no handler yet: the signal ends it, and that is clean.
        const clean = code === 0 || signal === 'SIGTERM' || signal === 'SIGINT';
        if (!clean) exitCode = Math.max(exitCode, 1);
        finishIfDone();
        return;
      }
      if (!started) {
        log.error({ worker: worker.process.pid, code, signal }, 'an API process failed to start; stopping the others');
        stop(code || 1, 'start-up failed');
        return;
      }
      if (code === 0 && signal === null) {
        log.info({ worker: worker.process.pid }, 'an API process stopped; starting a new one');
        fork(true);
        return;
      }
      deathsInARow++;
      const delay = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (deathsInARow - 1));
      log.error(
        { worker: worker.process.pid, code, signal, deathsInARow, restartInMs: delay },
        'an API process died; starting a new one',
      );
      const timer = setTimeout(() => {
        restarts.delete(timer);
        if (!stopping) fork(true);
      }, delay);
      restarts.add(timer);
    });

    process.on('SIGTERM', () => stop(0, 'SIGTERM'));
    process.on('SIGINT', () => stop(0, 'SIGINT'));
    for (let i = 0; i < config.apiProcesses; i++) fork(false);
  });
}
