import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { ENTITIES } from '../src/app-modules';
import { openDatabase, type Database } from '../src/db/database';
import { frameworkChecksum } from '../src/modules/framework/framework-convert';
import type { FrameworkDocument } from '../src/modules/framework/framework-document';
import {
  FRAMEWORK_SEEDS_DIR,
  FrameworkSeedError,
  frameworkSeedStep,
  loadFrameworkSeeds,
} from '../src/modules/framework/framework-seed';
import { createTestDatabase, ON_POSTGRES, startTestApp, type TestDatabase } from './helpers/test-app';

const MINIMAL: FrameworkDocument = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'frameworks', 'minimal.json'), 'utf8'),
);

function variant(
  key: string,
  version = '1.0.0',
  change: (doc: FrameworkDocument) => void = () => undefined,
): FrameworkDocument {
  const doc = structuredClone(MINIMAL);
  doc.key = key;
  doc.version = version;
  change(doc);
  return doc;
}

const tempDirs: string[] = [];
/** A folder of seed files: name → document (or raw text). */
function seedDir(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-seeds-'));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

async function builtIns(dataSource: DataSource, key?: string) {
  const rows: Array<{
    id: string;
    key: string;
    version: string;
    status: string;
    checksum: string;
    document: FrameworkDocument;
    published_at: Date | null;
    major: number;
  }> = await dataSource.query(
    `SELECT id, key, version, status, checksum, document, published_at, major FROM framework_version WHERE owner_firm_id IS NULL ${key ? 'AND key = $1' : ''} ORDER BY key, version`,
    key ? [key] : [],
  );
  return rows;
}

async function seedError(promise: Promise<unknown>): Promise<FrameworkSeedError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(FrameworkSeedError);
    return err as FrameworkSeedError;
  }
  throw new Error('expected the seed loader to refuse');
}

describe('framework seed loader', () => {
  let testDb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    database = await openDatabase({
      databaseUrl: testDb.databaseUrl,
      dataDir: testDb.dataDir,
      entities: ENTITIES,
      poolSize: 4,
    });
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
    for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('loads every file once as a built-in published version; loading again changes nothing', async () => {
    const ds = database.dataSource;
    const doc = variant('seed-once');
    const other = variant('seed-once-other', '2.3.4');
    const dir = seedDir({ 'a.json': doc, 'b.json': other, 'notes.txt': 'not a framework' });

    const first = await loadFrameworkSeeds(ds, dir);
    expect(first.map((o) => [o.key, o.version, o.outcome])).toEqual([
      ['seed-once', '1.0.0', 'created'],
      ['seed-once-other', '2.3.4', 'created'],
    ]);
    const stored = await builtIns(ds, 'seed-once');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      version: '1.0.0',
      status: 'PUBLISHED',
      major: 1,
      checksum: frameworkChecksum(doc),
      published_at: expect.any(Date),
    });
    expect(stored[0].document).toEqual(doc);
    expect((await builtIns(ds, 'seed-once-other'))[0].major).toBe(2);

    // Same content written differently (key order, spacing): still the same version.
    const reordered = Object.fromEntries(Object.entries(doc).reverse());
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(reordered));
    const second = await loadFrameworkSeeds(ds, dir);
    expect(second.map((o) => [o.key, o.outcome, o.id])).toEqual([
      ['seed-once', 'unchanged', stored[0].id],
      ['seed-once-other', 'unchanged', expect.any(String)],
    ]);
    const after = await builtIns(ds, 'seed-once');
    expect(after).toEqual(stored);
  });

  it('refuses a changed file that keeps its version, naming the file and what to do, and loads nothing', async () => {
    const ds = database.dataSource;
    await loadFrameworkSeeds(ds, seedDir({ 'x.json': variant('seed-changed', '1.0.0') }));
    const before = await builtIns(ds, 'seed-changed');

    const dir = seedDir({
      'x.json': variant('seed-changed', '1.0.0', (d) => (d.questions[0].text.en = 'A different question text.')),
      'y.json': variant('seed-new-alongside'),
    });
    const error = await seedError(loadFrameworkSeeds(ds, dir));
    const file = path.join(dir, 'x.json');
    expect(error.message).toContain(
      `${file}: framework "seed-changed" version 1.0.0 is already published with different content; published versions never change — raise "version" (e.g. to 1.0.1 or 1.1.0) and load again`,
    );
    expect(error.problems).toHaveLength(1);
    expect(await builtIns(ds, 'seed-changed')).toEqual(before);
    // One transaction: the other file was not loaded either.
    expect(await builtIns(ds, 'seed-new-alongside')).toEqual([]);

    // With the version raised, it loads as a new version next to the old one.
    const raised = seedDir({
      'x.json': variant('seed-changed', '1.1.0', (d) => (d.questions[0].text.en = 'A different question text.')),
    });
    expect((await loadFrameworkSeeds(ds, raised)).map((o) => o.outcome)).toEqual(['created']);
    expect((await builtIns(ds, 'seed-changed')).map((r) => r.version)).toEqual(['1.0.0', '1.1.0']);
  });

  it('names every problem of every invalid file with its JSON path, and loads nothing', async () => {
    const ds = database.dataSource;
    const broken = variant('seed-broken', '1.0.0', (d) => {
      d.questions[1].links[0].dimension = 'NO_SUCH_DIMENSION';
      delete (d as Partial<FrameworkDocument>).description;
    });
    const dir = seedDir({
      'a-good.json': variant('seed-good'),
      'b-broken.json': broken,
      'c-not-json.json': '{ "key": ',
      'd-twice.json': variant('seed-good'),
    });
    const error = await seedError(loadFrameworkSeeds(ds, dir));
    const at = (name: string) => path.join(dir, name);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${escape(at('b-broken.json'))}: description: `)),
        expect.stringMatching(
          new RegExp(
            `^${escape(at('b-broken.json'))}: questions\\[1\\]\\.links\\[0\\]\\.dimension: .*NO_SUCH_DIMENSION`,
          ),
        ),
        expect.stringMatching(new RegExp(`^${escape(at('c-not-json.json'))}: is not valid JSON`)),
        `${at('d-twice.json')}: framework "seed-good" version 1.0.0 is also given by ${at('a-good.json')}; each version must come from one file`,
      ]),
    );
    expect(error.message).toMatch(/^The framework seed files have \d+ problems; nothing was loaded:/);
    for (const p of error.problems) expect(error.message).toContain(p);
    expect(await builtIns(ds, 'seed-good')).toEqual([]);
    expect(await builtIns(ds, 'seed-broken')).toEqual([]);
  });

  it('loads the same files from two connections at once without failing', async () => {
    const dir = seedDir({ 'a.json': variant('seed-concurrent'), 'b.json': variant('seed-concurrent-2', '0.1.0') });
    // A second DataSource stands for a second API process on the same PostgreSQL server.
    let second: DataSource | null = null;
    if (ON_POSTGRES) {
      second = createDataSource({ kind: 'url', url: testDb.databaseUrl! }, 2, ENTITIES, 'ssm-seed-test');
      await second.initialize();
    }
    try {
      const results = await Promise.all([
        loadFrameworkSeeds(database.dataSource, dir),
        loadFrameworkSeeds(second ?? database.dataSource, dir),
      ]);
      const outcomes = results
        .flat()
        .map((o) => `${o.key}:${o.outcome}`)
        .sort();
      expect(outcomes).toEqual([
        'seed-concurrent-2:created',
        'seed-concurrent-2:unchanged',
        'seed-concurrent:created',
        'seed-concurrent:unchanged',
      ]);
      expect(await builtIns(database.dataSource, 'seed-concurrent')).toHaveLength(1);
    } finally {
      if (second) await second.destroy();
    }
  });

  it('loads the project’s own seeds/frameworks files', async () => {
    const files = fs.readdirSync(FRAMEWORK_SEEDS_DIR).filter((n) => n.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    const outcomes = await loadFrameworkSeeds(database.dataSource);
    expect(outcomes).toHaveLength(files.length);
    for (const o of outcomes) expect(o.file).toMatch(/^seeds\/frameworks\/[^/]+\.json$/);
    expect((await loadFrameworkSeeds(database.dataSource)).every((o) => o.outcome === 'unchanged')).toBe(true);
  });
});

describe('seed loading on start', () => {
  it('loads on start, and refuses to start on a changed published version unless SEED_ON_START is off', async () => {
    const db = await createTestDatabase();
    try {
      const v1 = seedDir({ 'f.json': variant('start-seed') });
      const first = await startTestApp({ db, steps: [frameworkSeedStep(v1)] });
      const rows = await first.running.database.dataSource.query<Array<{ status: string }>>(
        `SELECT status FROM framework_version WHERE key = 'start-seed'`,
      );
      expect(rows).toEqual([{ status: 'PUBLISHED' }]);
      await first.stop(false);

      const changed = seedDir({ 'f.json': variant('start-seed', '1.0.0', (d) => (d.name.en = 'Changed name')) });
      await expect(startTestApp({ db, steps: [frameworkSeedStep(changed)] })).rejects.toThrow(
        'framework "start-seed" version 1.0.0 is already published with different content; published versions never change — raise "version"',
      );

      const off = await startTestApp({ db, steps: [frameworkSeedStep(changed)], config: { seedOnStart: false } });
      const stored = await off.running.database.dataSource.query<Array<{ name: string }>>(
        `SELECT document->'name'->>'en' AS name FROM framework_version WHERE key = 'start-seed'`,
      );
      expect(stored).toEqual([{ name: 'Minimal framework' }]);
      await off.stop(false);
    } finally {
      await db.drop();
    }
  });
});

describe('npm run seed', () => {
  it('loads a folder, then reports it unchanged, then refuses a changed file with exit code 1', async () => {
    const db = await createTestDatabase();
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      NODE_ENV: 'test',
      DATA_DIR: db.dataDir,
      LOG_LEVEL: 'silent',
    };
    if (db.databaseUrl) env.DATABASE_URL = db.databaseUrl;
    else delete env.DATABASE_URL;
    const run = (dir: string) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(
          process.execPath,
          [
            require.resolve('ts-node/dist/bin.js'),
            '--transpile-only',
            path.join(__dirname, '..', 'scripts', 'seed.ts'),
            '--dir',
            dir,
          ],
          { env, cwd: path.join(__dirname, '..'), timeout: 120_000 },
          (err, stdout, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
        );
      });
    try {
      const dir = seedDir({ 'cli.json': variant('seed-cli') });
      const first = await run(dir);
      expect(first.out).toContain('framework "seed-cli" version 1.0.0 loaded');
      expect(first.code).toBe(0);
      const second = await run(dir);
      expect(second.out).toContain('framework "seed-cli" version 1.0.0 already loaded, unchanged');
      expect(second.code).toBe(0);
      fs.writeFileSync(
        path.join(dir, 'cli.json'),
        JSON.stringify(variant('seed-cli', '1.0.0', (d) => (d.levels[0].title.ru = 'Другое'))),
      );
      const third = await run(dir);
      expect(third.code).toBe(1);
      expect(third.out).toContain(
        'published versions never change — raise "version" (e.g. to 1.0.1 or 1.1.0) and load again',
      );
      expect(third.out).not.toContain('    at '); // a message, not a stack trace
    } finally {
      await db.drop();
    }
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
