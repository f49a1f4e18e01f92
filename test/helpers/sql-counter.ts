import type { DataSource } from 'typeorm';

/** Records every SQL statement a DataSource sends, in this process. */
export interface SqlCounter {
  /** The statements recorded since the last reset, in order. */
  readonly statements: string[];
  reset(): void;
  /** Runs `work` and returns the statements sent while it ran. */
  during<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }>;
  /** Stops recording. */
  restore(): void;
}

/**
 * Counts the statements of a DataSource by wrapping its logger's `logQuery`, which TypeORM
 * calls for every statement it sends (transaction control and raw `query()` calls included),
 * whether or not logging is on. The test server runs in the test's process, so the
 * server's DataSource can be wrapped from the test.
 */
export function countSql(dataSource: DataSource): SqlCounter {
  const logger = dataSource.logger;
  const original = logger.logQuery;
  let statements: string[] = [];
  logger.logQuery = function logQuery(this: unknown, query: string, ...rest: unknown[]) {
    statements.push(query.replace(/\s+/g, ' ').trim());
    return (original as (...args: unknown[]) => unknown).call(logger, query, ...rest);
  } as typeof logger.logQuery;
  return {
    get statements() {
      return statements;
    },
    reset() {
      statements = [];
    },
    async during<T>(work: () => Promise<T>) {
      statements = [];
      const result = await work();
      const sent = statements;
      statements = [];
      return { result, statements: sent };
    },
    restore() {
      logger.logQuery = original;
    },
  };
}
