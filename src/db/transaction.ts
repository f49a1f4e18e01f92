import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in one transaction. Inside it, use only the given EntityManager: on the
 * embedded database another connection would wait for this transaction and deadlock.
 */
export function withTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(work);
}
