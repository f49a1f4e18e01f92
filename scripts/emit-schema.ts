/**
 * `npm run schema:emit`: writes the GraphQL SDL of the code-first schema to
 * schema/schema.graphql (committed; a test fails when it is out of date).
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { printAppSchema } from '../src/app-modules';

printAppSchema()
  .then((sdl) => {
    const file = path.join(__dirname, '..', 'schema', 'schema.graphql');
    fs.writeFileSync(file, sdl);
    process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}\n`);
  })
  .catch((err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
