import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';

/** The entity classes of the application (src/app-modules.ts hands them in). */
export type EntityList = NonNullable<DataSourceOptions['entities']>;

/** Where to connect: a URL of a real server, or the Unix socket of the embedded one. */
export type ConnectionTarget = { kind: 'url'; url: string } | { kind: 'socket'; socketDir: string; port: number };

/**
 * The one DataSource factory of the application, used by the server, the tests,
 * the seed scripts and the TypeORM CLI (ormconfig.ts). Never synchronizes: the schema
 * changes only through migrations.
 */
export function createDataSource(
  target: ConnectionTarget,
  poolSize: number,
  entities: EntityList,
  applicationName = 'ssm-api',
): DataSource {
  const connection =
    target.kind === 'url'
      ? { url: target.url }
      : { host: target.socketDir, port: target.port, username: 'postgres', database: 'postgres' };
  const options: DataSourceOptions = {
    type: 'postgres',
    ...connection,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    applicationName,
    // A request that waits this long for a connection has failed; under load the wait is short.
    extra: { max: poolSize, connectionTimeoutMillis: 30000 },
  };
  return new DataSource(options);
}
