import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { adaptReplicaPools } from './replica-pools';

/** The entity classes of the application (src/app-modules.ts hands them in). */
export type EntityList = NonNullable<DataSourceOptions['entities']>;

/** Where to connect: a URL of a real server, or the Unix socket of the embedded one. */
export type ConnectionTarget = { kind: 'url'; url: string } | { kind: 'socket'; socketDir: string; port: number };

/**
 * The one DataSource factory of the application, used by the server, the tests,
 * the seed scripts and the TypeORM CLI (ormconfig.ts). Never synchronizes: the schema
 * changes only through migrations.
 *
 * With `replicaUrls` (streaming replicas of a `url` target), TypeORM's replication is on with
 * the primary as the default for every statement, SELECTs of query builders and repositories
 * included: only reads that ask for a replica (src/db/read-routing.ts) go to one.
 */
export function createDataSource(
  target: ConnectionTarget,
  poolSize: number,
  entities: EntityList,
  applicationName = 'ssm-api',
  replicaUrls: string[] = [],
): DataSource {
  const replicated = target.kind === 'url' && replicaUrls.length > 0;
  const connection =
    target.kind === 'url'
      ? replicated
        ? {
            replication: {
              master: { url: target.url },
              slaves: replicaUrls.map((url) => ({ url })),
              // TypeORM's default ('slave') would send every query builder SELECT outside a
              // transaction to a replica, and a read right after a write could miss it.
              defaultMode: 'master' as const,
            },
          }
        : { url: target.url }
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
  const dataSource = new DataSource(options);
  if (replicated) adaptReplicaPools(dataSource, replicaUrls);
  return dataSource;
}
