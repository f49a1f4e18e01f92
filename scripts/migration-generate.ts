/**
 * `npm run migration:generate -- <Name>`: applies the existing migrations to a fresh, empty
 * embedded database, diffs it against the entities, and writes the difference as a new
 * migration in migrations/ (registered in migrations/index.ts). `--check` only reports
 * whether a migration is pending and exits 1 if so.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ENTITIES } from '../src/app-modules';
import { openDatabase } from '../src/db/database';
import { pendingSchemaChanges, type SchemaStatement } from '../src/db/schema-diff';

function render(statements: SchemaStatement[]): string {
  return statements
    .map((s) => {
      const params = s.parameters && s.parameters.length ? `, ${JSON.stringify(s.parameters)}` : '';
      return `    await queryRunner.query(${JSON.stringify(s.query)}${params});`;
    })
    .join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const name = args.find((a) => !a.startsWith('--'));
  if (!check && (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name))) {
    process.stderr.write('Usage: npm run migration:generate -- <PascalCaseName>   (or --check)\n');
    process.exit(2);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-migrate-'));
  const db = await openDatabase({
    databaseUrl: process.env.DATABASE_URL || null,
    dataDir,
    entities: ENTITIES,
    poolSize: 2,
  });
  try {
    const diff = await pendingSchemaChanges(db.dataSource);
    if (check) {
      if (diff.up.length) {
        process.stderr.write(
          `A migration is pending (${diff.up.length} statements):\n${diff.up.map((s) => `  ${s.query}`).join('\n')}\n`,
        );
        process.exitCode = 1;
      } else {
        process.stdout.write('No pending migration.\n');
      }
      return;
    }
    if (!diff.up.length) {
      process.stdout.write('No changes: the migrations already match the entities.\n');
      return;
    }
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const file = path.join(
      __dirname,
      '..',
      'migrations',
      `${timestamp}-${name!.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.ts`,
    );
    fs.writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${render(diff.up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${render([...diff.down].reverse())}
  }
}
`,
    );
    const indexFile = path.join(__dirname, '..', 'migrations', 'index.ts');
    const index = fs.readFileSync(indexFile, 'utf8');
    const importLine = `import { ${className} } from './${path.basename(file, '.ts')}';\n`;
    const updated =
      importLine +
      index.replace(/export const MIGRATIONS: (.*?) = \[(.*?)\];/s, (_m, type: string, list: string) => {
        const items = list
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        items.push(className);
        return `export const MIGRATIONS: ${type} = [${items.join(', ')}];`;
      });
    fs.writeFileSync(indexFile, updated);
    process.stdout.write(
      `Wrote ${path.relative(process.cwd(), file)} (${diff.up.length} statements) and registered it in migrations/index.ts\n`,
    );
  } finally {
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
