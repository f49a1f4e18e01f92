import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ON_POSTGRES, startTestApp, type TestApp } from './helpers/test-app';

const ME = '{ me { firm { id name } role } }';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const run = promisify(execFile);
const ROOT = path.join(__dirname, '..');

/** Runs `scripts/firm-create.ts` as `npm run firm:create` does, against the given database. */
async function firmCreate(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { DATABASE_URL: _drop, ...base } = process.env;
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'scripts/firm-create.ts', ...args],
      {
        cwd: ROOT,
        env: { ...base, NODE_ENV: 'test', ...env },
        timeout: 60000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('the demo firm', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  it('is created on the first start with an ADMIN key that is printed once and kept in demo-key.txt', async () => {
    const printed: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      app = await startTestApp({ config: { demoFirm: true } });
    } finally {
      spy.mockRestore();
    }
    const keyFile = path.join(app.db.dataDir, 'demo-key.txt');
    const stored = fs.readFileSync(keyFile, 'utf8').trim();
    expect(stored).toMatch(/^ssm_[A-Za-z0-9_-]{43}$/);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const banner = printed.join('');
    expect(banner).toContain(stored);
    expect(banner).toContain(keyFile);

    const me = await app.gql(ME, {}, bearer(stored));
    expect(me.errors).toBeUndefined();
    expect(me.data.me).toMatchObject({ firm: { name: 'Demo Consulting' }, role: 'ADMIN' });

    // A restart on the same database makes no second firm and prints no key.
    const db = app.db;
    await app.stop(false);
    const again: string[] = [];
    const spy2 = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
      again.push(String(chunk));
      return true;
    });
    try {
      app = await startTestApp({ db, config: { demoFirm: true } });
    } finally {
      spy2.mockRestore();
    }
    expect(again.join('')).not.toContain('ssm_');
    const count = await app.running.database.dataSource.query('SELECT count(*)::int AS n FROM firm');
    expect(count[0].n).toBe(1);
    expect((await app.gql(ME, {}, bearer(stored))).data.me.firm.name).toBe('Demo Consulting');
  });

  it('is not created when demoFirm is off', async () => {
    app = await startTestApp({ config: { demoFirm: false } });
    expect(fs.existsSync(path.join(app.db.dataDir, 'demo-key.txt'))).toBe(false);
    const count = await app.running.database.dataSource.query('SELECT count(*)::int AS n FROM firm');
    expect(count[0].n).toBe(0);
  });
});

describe('npm run firm:create', () => {
  let app: TestApp | undefined;
  afterAll(async () => {
    await app?.stop();
  });

  it('creates a firm and prints its first ADMIN key (refused while a server holds the embedded data folder)', async () => {
    app = await startTestApp();
    const env: Record<string, string> = ON_POSTGRES
      ? { DATABASE_URL: app.db.databaseUrl! }
      : { DATA_DIR: app.db.dataDir };
    let created: Awaited<ReturnType<typeof firmCreate>>;
    let extra: Awaited<ReturnType<typeof firmCreate>>;
    const createBoth = async () => {
      created = await firmCreate(['--name', 'Acme Consulting'], env);
      expect(created.code).toBe(0);
      const firmId = /\(id ([0-9a-f-]{36})\)/.exec(created.stdout)?.[1];
      expect(firmId).toBeDefined();
      // A firm that lost its ADMIN keys gets a new one.
      extra = await firmCreate(['--admin-key-for', firmId!], env);
      expect(extra.code).toBe(0);
      const unknown = await firmCreate(['--admin-key-for', '00000000-0000-4000-8000-000000000000'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('No firm has the id');
    };
    if (!ON_POSTGRES) {
      const locked = await firmCreate(['--name', 'Acme Consulting'], env);
      expect(locked.code).not.toBe(0);
      expect(locked.stderr).toContain(`in use by process ${process.pid}`);
      const db = app.db;
      await app.stop(false);
      await createBoth();
      app = await startTestApp({ db });
    } else {
      await createBoth();
    }
    await expectWorkingKey(app, created!.stdout);
    await expectWorkingKey(app, extra!.stdout);
    expect(await app.running.database.dataSource.query('SELECT count(*)::int AS n FROM firm')).toEqual([{ n: 1 }]);

    // Arguments are checked before the database is opened.
    const usage = await firmCreate([], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage');
  }, 180_000);
});

async function expectWorkingKey(app: TestApp, stdout: string): Promise<void> {
  expect(stdout).toContain('Acme Consulting');
  const key = /ssm_[A-Za-z0-9_-]{43}/.exec(stdout)?.[0];
  expect(key).toBeDefined();
  const me = await app.gql(ME, {}, bearer(key!));
  expect(me.errors).toBeUndefined();
  expect(me.data.me).toMatchObject({ firm: { name: 'Acme Consulting' }, role: 'ADMIN' });
}
