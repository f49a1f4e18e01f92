import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnServer } from './helpers/child-server';
import { postGraphQL } from './helpers/test-app';

describe('the server process', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-proc-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('stops at once on a bad configuration value, naming the variable', async () => {
    const child = spawnServer({ PORT: 'eighty', DATA_DIR: tempDir() });
    const { code } = await child.exited;
    expect(code).not.toBe(0);
    expect(child.output()).toContain('PORT="eighty"');
    expect(child.output()).toContain('expected an integer from 0 to 65535');
  });

  it('refuses a second process on the same data folder, naming the holder, and exits cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const first = spawnServer({ DATA_DIR: dataDir });
    const url = await first.ready();
    const res = await postGraphQL(url, '{ serverInfo { database } }');
    expect(res.data.serverInfo.database).toBe('EMBEDDED');

    const second = spawnServer({ DATA_DIR: dataDir });
    const secondExit = await second.exited;
    expect(secondExit.code).not.toBe(0);
    expect(second.output()).toContain(`in use by process ${first.process.pid}`);

    // The first one is unharmed.
    expect((await postGraphQL(url, '{ serverInfo { database } }')).data.serverInfo.database).toBe('EMBEDDED');

    first.process.kill('SIGTERM');
    const firstExit = await first.exited;
    expect(firstExit.code).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'server.lock'))).toBe(false);
  });

  it('takes over a lock left by a process that died', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'server.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, since: 'earlier' }));
    const child = spawnServer({ DATA_DIR: dataDir });
    await child.ready();
    child.process.kill('SIGINT');
    expect((await child.exited).code).toBe(0);
  });
});
