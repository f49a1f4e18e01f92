/**
 * `npm run seed`: loads every seeds/frameworks/*.json as a built-in PUBLISHED framework
 * version. Uses the same database as the server (DATABASE_URL, or the embedded one in
 * DATA_DIR, which must not be in use by a running server). Loading again changes nothing; a
 * file changed without raising its version is refused. `npm run seed -- --dir <folder>`
 * loads another folder.
 *
 * Exit codes: 0 loaded (or nothing to do), 1 refused or invalid seed files, 75 the embedded
 * data folder is in use, 78 bad configuration.
 */
import 'reflect-metadata';
import * as path from 'node:path';
import { fail, openScriptDatabase } from './script-support';
import { FRAMEWORK_SEEDS_DIR, FrameworkSeedError, loadFrameworkSeeds } from '../src/modules/framework/framework-seed';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dirIndex = args.findIndex((a) => a === '--dir' || a.startsWith('--dir='));
  const dirArg =
    dirIndex < 0 ? undefined : args[dirIndex].startsWith('--dir=') ? args[dirIndex].slice(6) : args[dirIndex + 1];
  if (dirIndex >= 0 && !dirArg) fail('Usage: npm run seed [-- --dir <folder of framework JSON files>]', 2);
  const dir = dirArg ? path.resolve(dirArg) : FRAMEWORK_SEEDS_DIR;

  const database = await openScriptDatabase();
  try {
    const outcomes = await loadFrameworkSeeds(database.dataSource, dir);
    if (outcomes.length === 0) process.stdout.write(`No framework files in ${dir}.\n`);
    for (const o of outcomes) {
      process.stdout.write(
        `${o.file}: framework "${o.key}" version ${o.version} ${o.outcome === 'created' ? 'loaded' : 'already loaded, unchanged'} (id ${o.id})\n`,
      );
    }
  } catch (err) {
    if (err instanceof FrameworkSeedError) {
      await database.close();
      fail(err.message, 1);
    }
    throw err;
  } finally {
    await database.close();
  }
}

main().catch((err) => fail(`${(err as Error).stack ?? err}`, 1));
