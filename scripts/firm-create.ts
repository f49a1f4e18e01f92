/**
 * `npm run firm:create -- --name "Acme Consulting"`: creates a firm and prints its first
 * ADMIN API key (shown once). Uses the same database as the server (DATABASE_URL, or the
 * embedded one in DATA_DIR, which must not be in use by a running server).
 *
 * `npm run firm:create -- --admin-key-for <firmId>` instead issues a new ADMIN key for an
 * existing firm, e.g. after its last ADMIN key was revoked.
 */
import 'reflect-metadata';
import { fail, openScriptDatabase } from './script-support';
import { withTransaction } from '../src/db/transaction';
import { createApiKey } from '../src/modules/firm/api-key.service';
import { Firm } from '../src/modules/firm/firm.entity';
import { createFirmWithAdminKey } from '../src/modules/firm/firm.service';
import { isUuid } from '../src/modules/firm/tenant-ids';

const USAGE =
  'Usage: npm run firm:create -- --name "Firm name"\n       npm run firm:create -- --admin-key-for <firmId>\n';

/** `--flag value` or `--flag=value`; undefined when absent. */
function option(args: string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) return args[i + 1] ?? '';
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
  }
  return undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = option(args, '--name');
  const firmId = option(args, '--admin-key-for');
  if ((name === undefined) === (firmId === undefined)) fail(USAGE, 2);
  if (name !== undefined && (name.trim() === '' || name.trim().length > 200))
    fail('The firm name must have 1 to 200 characters.', 2);
  if (firmId !== undefined && !isUuid(firmId)) fail(`No firm has the id ${JSON.stringify(firmId)}.`, 1);

  const database = await openScriptDatabase();
  try {
    if (name !== undefined) {
      const { firm, adminKey } = await withTransaction(database.dataSource, (manager) =>
        createFirmWithAdminKey(manager, name.trim()),
      );
      process.stdout.write(
        `Created firm "${firm.name}" (id ${firm.id}).\nIts ADMIN API key (shown only now; store it safely):\n\n  ${adminKey}\n`,
      );
    } else {
      const result = await withTransaction(database.dataSource, async (manager) => {
        const firm = await manager.findOneBy(Firm, { id: firmId! });
        if (!firm) return null;
        const { secret } = await createApiKey(manager, firm.id, 'Admin key (firm:create)', 'ADMIN');
        return { firm, secret };
      });
      if (!result) fail(`No firm has the id ${JSON.stringify(firmId)}.`, 1);
      process.stdout.write(
        `New ADMIN API key for "${result.firm.name}" (shown only now; store it safely):\n\n  ${result.secret}\n`,
      );
    }
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
