/**
 * The DataSource for the TypeORM CLI (`npx typeorm-ts-node-commonjs -d ormconfig.ts ...`):
 * the application's own factory, on DATABASE_URL or else the embedded database in DATA_DIR.
 * Prefer `npm run migration:generate -- <Name>`, which diffs against a fresh database.
 */
import 'reflect-metadata';
import { loadConfig } from './src/config';
import { ENTITIES } from './src/app-modules';
import { createDataSource } from './src/db/data-source';
import { startEmbeddedPostgres } from './src/db/embedded-postgres';

const config = loadConfig();

export const dataSource = config.databaseUrl
  ? Promise.resolve(createDataSource({ kind: 'url', url: config.databaseUrl }, 2, ENTITIES, 'ssm-cli'))
  : startEmbeddedPostgres(config.dataDir, 3).then((embedded) =>
      createDataSource({ kind: 'socket', socketDir: embedded.socketDir, port: embedded.port }, 2, ENTITIES, 'ssm-cli'),
    );
