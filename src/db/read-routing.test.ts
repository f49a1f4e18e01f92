import { DatabaseError } from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { isReplicaFailure, RequestReads, type ReadHandle, type ReadRouting } from './read-routing';

function failure(code: string | null): QueryFailedError {
  const driverError =
    code === null ? new Error('Connection terminated unexpectedly') : new DatabaseError('x', 1, 'error');
  if (code !== null) (driverError as DatabaseError).code = code;
  return new QueryFailedError('SELECT 1', [], driverError);
}

/** A routing whose replica handle and primary are told apart by their manager. */
function fakeRouting() {
  const replica = { name: 'replica' } as unknown as EntityManager;
  const primary = { name: 'primary' } as unknown as EntityManager;
  const events: string[] = [];
  const handle = (manager: EntityManager, source: ReadHandle['source']): ReadHandle => ({
    manager,
    source,
    discard: () => events.push(`discard ${source}`),
    release: async () => {
      events.push(`release ${source}`);
    },
  });
  const routing = {
    open: async () => handle(replica, 'replica'),
    primary: () => handle(primary, 'primary'),
  } as unknown as ReadRouting;
  return { routing, replica, primary, events };
}

const log = () => ({ debug: jest.fn(), info: jest.fn(), warn: jest.fn() });

describe('RequestReads', () => {
  it('runs the reads of a request on one handle, released once at the end', async () => {
    const { routing, replica, events } = fakeRouting();
    const reads = new RequestReads(routing, log());
    const seen = await Promise.all([reads.run('f', async (db) => db), reads.run('f', async (db) => db)]);
    expect(seen).toEqual([replica, replica]);
    await reads.release();
    expect(events).toEqual(['release replica']);
  });

  it('reads again on the primary when the replica fails under a read, logging it, and stays there', async () => {
    const { routing, replica, primary, events } = fakeRouting();
    const logger = log();
    const reads = new RequestReads(routing, logger);
    const result = await reads.run('f', async (db) => {
      if (db === replica) throw failure('57P01');
      return db;
    });
    expect(result).toBe(primary);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(await reads.run('f', async (db) => db)).toBe(primary);
    await reads.release();
    expect(events).toEqual(['discard replica', 'release replica', 'release primary']);
  });

  it("passes on the read's own errors", async () => {
    const { routing } = fakeRouting();
    const reads = new RequestReads(routing, log());
    await expect(reads.run('f', async () => Promise.reject(new Error('NOT_FOUND')))).rejects.toThrow('NOT_FOUND');
    await expect(reads.run('f', async () => Promise.reject(failure('22P02')))).rejects.toBeInstanceOf(QueryFailedError);
  });
});

describe('isReplicaFailure', () => {
  it.each([
    ['a lost connection', null, true],
    ['an administrator shutdown', '57P01', true],
    ['a connection failure', '08006', true],
    ['a recovery conflict', '40001', true],
    ['a recovery deadlock conflict', '40P01', true],
    ['an invalid input', '22P02', false],
    ['an undefined table', '42P01', false],
  ])('%s: %s', (_what, code, expected) => {
    expect(isReplicaFailure(failure(code))).toBe(expected);
  });

  it('is false for errors that are not a failed query', () => {
    expect(isReplicaFailure(new Error('boom'))).toBe(false);
  });
});
