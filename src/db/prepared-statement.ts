import { DatabaseError, type Pool } from 'pg';
import { QueryFailedError, type DataSource } from 'typeorm';

// Data sources whose server keeps named statements per connection. The embedded server
// serves all connections from one session, where two connections preparing one name collide.
const namedStatementSources = new WeakSet<DataSource>();

/** Lets {@link queryPrepared} use named prepared statements on this data source. */
export function enableNamedStatements(dataSource: DataSource): void {
  namedStatementSources.add(dataSource);
}

// SQLSTATEs after which the connection's prepared statement is unusable, before anything
// ran: the plan's result type changed under it (a migration altered a column), the server
// has no such statement (a pooler deallocated it), or it has one of that name already.
const STALE_STATEMENT_CODES = new Set(['0A000', '26000', '42P05']);

/**
 * Runs one hot statement, as a named prepared statement where the server allows it: each
 * pooled connection then parses and plans it once instead of on every call (for the save
 * statement, more than half of PostgreSQL's work). Elsewhere, an ordinary `query`. Logged
 * like TypeORM's own queries, and failures are TypeORM's `QueryFailedError`, so callers
 * and error formatting see no difference. When the connection's prepared statement has gone
 * stale, that connection is closed and the statement runs once more, unprepared.
 *
 * `name` must be unique to `text` across the application.
 */
export async function queryPrepared<T>(
  dataSource: DataSource,
  name: string,
  text: string,
  parameters: unknown[],
): Promise<T[]> {
  if (!namedStatementSources.has(dataSource)) return dataSource.query(text, parameters);
  dataSource.logger.logQuery(text, parameters);
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  // Not pool.query: it closes the connection after any failed statement, and with it the
  // connection's prepared statements.
  const client = await pool.connect();
  let discard: Error | undefined;
  try {
    const result = await client.query({ name, text, values: parameters });
    return result.rows as T[];
  } catch (error) {
    // The server refused the statement: the connection is fine, unless its prepared
    // statement is stale. Anything else (a lost connection) must not go back to the pool.
    const stale = error instanceof DatabaseError && STALE_STATEMENT_CODES.has(error.code ?? '');
    if (!(error instanceof DatabaseError) || stale) discard = error as Error;
    if (!stale) {
      dataSource.logger.logQueryError(error as Error, text, parameters);
      throw new QueryFailedError(text, parameters, error as Error);
    }
  } finally {
    client.release(discard);
  }
  // Only after a stale statement, and once the connection is given back (with a pool of
  // one, the retry needs it).
  return dataSource.query(text, parameters);
}
