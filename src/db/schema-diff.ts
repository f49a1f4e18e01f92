import type { DataSource } from 'typeorm';

/** One SQL statement of a schema difference, with its parameters. */
export interface SchemaStatement {
  query: string;
  parameters?: unknown[];
}

/**
 * What TypeORM would still change to make the database match the entities: empty when every
 * schema change is in a migration. Used by the pending-migration check and the generator.
 */
export async function pendingSchemaChanges(
  dataSource: DataSource,
): Promise<{ up: SchemaStatement[]; down: SchemaStatement[] }> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return {
    up: sql.upQueries.map((q) => ({ query: q.query, parameters: q.parameters })),
    down: sql.downQueries.map((q) => ({ query: q.query, parameters: q.parameters })),
  };
}
