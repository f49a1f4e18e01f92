import * as fs from 'node:fs';
import * as path from 'node:path';
import { printAppSchema } from '../src/app-modules';

describe('schema/schema.graphql', () => {
  it('equals the schema emitted from the code (run `npm run schema:emit` after a change)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await printAppSchema());
  });
});
