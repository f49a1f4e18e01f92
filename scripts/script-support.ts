/**
 * What the command-line scripts share: failing with a message and an exit code, and opening
 * the server's database (DATABASE_URL, or the embedded one in DATA_DIR) with the server's
 * configuration and clear errors.
 */
import { ConfigError, loadConfig } from '../src/config';
import { ENTITIES } from '../src/app-modules';
import { openDatabase, type Database } from '../src/db/database';
import { DataDirLockedError } from '../src/db/embedded-postgres';

/** Writes the message to stderr and exits with `code`. */
export function fail(message: string, code: number): never {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exit(code);
}

/**
 * Opens (and migrates) the database the server uses. Exits with 78 on a bad configuration
 * value and 75 when the embedded data folder is held by a running server.
 */
export async function openScriptDatabase(): Promise<Database> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 78);
    throw err;
  }
  try {
    return await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      entities: ENTITIES,
      poolSize: 2,
    });
  } catch (err) {
    if (err instanceof DataDirLockedError) fail(err.message, 75);
    throw err;
  }
}
