import { DatabaseError, type Pool } from 'pg';
import { QueryFailedError, type DataSource } from 'typeorm';

// Data sources whose server keeps named statements per connection. The embedded server
// serves all connections from one session, where two connections preparing one name collide.
const namedStatementSources = new WeakSet<DataSource>();

/** Lets {@link queryPrepared} use named prepared statements on this data source. */
export function enableNamedStatements(dataSource: DataSource): void {
  namedStatementSources.add(dataSource);
}

/**
 * Runs one hot statement, as a named prepared statement where the server allows it: each
 * pooled connection then parses and plans it once instead of on every call (for the save
 * statement, more than half of PostgreSQL's work). Elsewhere, an ordinary `query`. Logged
 * like TypeORM's own queries, and failures are TypeORM's `QueryFailedError`, so callers
 * and error formatting see no difference.
 *
 * `name` must be unique to `text` across the application.
 */
export async function queryPrepared<T>(dataSource: DataSource, name: string, text: string, parameters: unknown[]): Promise<T[]> {
  if (!namedStatementSources.has(dataSource)) return dataSource.query(text, parameters);
  dataSource.logger.logQuery(text, parameters);
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  // Not pool.query: it closes the connection after any failed statement, and with it the
  // connection's prepared statements.
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const result = await client.query({ name, text, values: parameters });
    return result.rows as T[];
  } catch (error) {
    // The server refused the statement: the connection is fine. Anything else (a lost
    // connection) must not go back to the pool.
    if (!(error instanceof DatabaseError)) broken = error as Error;
    dataSource.logger.logQueryError(error as Error, text, parameters);
    throw new QueryFailedError(text, parameters, error as Error);
  } finally {
    client.release(broken);
  }
}
