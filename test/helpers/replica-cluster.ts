import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where Debian and Ubuntu install PostgreSQL 15's server programs. */
export const PG15_BIN = '/usr/lib/postgresql/15/bin';

/** True when initdb, pg_ctl and pg_basebackup of PostgreSQL 15 are installed. */
export function pg15Available(): boolean {
  return ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'].every((p) => fs.existsSync(path.join(PG15_BIN, p)));
}

/** A throw-away PostgreSQL 15 primary and one streaming replica, each on its own free port. */
export interface ReplicaCluster {
  primaryUrl: string;
  replicaUrl: string;
  /** Appends settings to the replica's postgresql.conf and reloads it. */
  configureReplica(settings: string): void;
  stopReplica(): void;
  /** Stops both servers (immediately) and removes their folders; safe to call twice. */
  destroy(): void;
}

// PostgreSQL refuses to run as root; tests run as root in CI, so its programs run as `postgres`.
const AS_POSTGRES = process.getuid?.() === 0;

function run(program: string, args: string[]): string {
  const [command, argv] = AS_POSTGRES
    ? ['runuser', ['-u', 'postgres', '--', path.join(PG15_BIN, program), ...args]]
    : [path.join(PG15_BIN, program), args];
  const result = spawnSync(command, argv, { encoding: 'utf8', timeout: 120000 });
  if (result.status !== 0) {
    throw new Error(`${program} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function settings(port: number, socketDir: string): string {
  return [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${socketDir}'`,
    'wal_level = replica',
    'max_wal_senders = 4',
    'hot_standby = on',
    // A throw-away cluster: durability only costs time.
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    '',
  ].join('\n');
}

/**
 * Starts a fresh primary (initdb, trust authentication, replication allowed from 127.0.0.1)
 * and a streaming replica made from it with `pg_basebackup -R`. Nothing of the system's own
 * clusters is touched. On failure, whatever was started is stopped again.
 */
export async function startReplicaCluster(): Promise<ReplicaCluster> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-replica-'));
  if (AS_POSTGRES) spawnSync('chown', ['postgres:postgres', root]);
  const primaryDir = path.join(root, 'primary');
  const replicaDir = path.join(root, 'replica');
  const started: string[] = [];
  const stop = (dir: string, mode = 'immediate') => {
    try {
      run('pg_ctl', ['-D', dir, '-m', mode, '-w', 'stop']);
    } catch {
      // Already stopped.
    }
  };
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    for (const dir of started.reverse()) stop(dir);
    fs.rmSync(root, { recursive: true, force: true });
    process.removeListener('exit', destroy);
  };
  // A test process that dies without afterAll must not leave servers behind.
  process.on('exit', destroy);
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  try {
    run('initdb', ['-D', primaryDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '--no-instructions']);
    fs.appendFileSync(path.join(primaryDir, 'postgresql.conf'), settings(primaryPort, root));
    fs.appendFileSync(path.join(primaryDir, 'pg_hba.conf'), '\nhost replication all 127.0.0.1/32 trust\n');
    run('pg_ctl', ['-D', primaryDir, '-l', path.join(root, 'primary.log'), '-w', 'start']);
    started.push(primaryDir);
    run('pg_basebackup', [
      ...['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres'],
      ...['-D', replicaDir, '-R', '-X', 'stream', '--no-sync'],
    ]);
    fs.appendFileSync(path.join(replicaDir, 'postgresql.conf'), settings(replicaPort, root));
    run('pg_ctl', ['-D', replicaDir, '-l', path.join(root, 'replica.log'), '-w', 'start']);
    started.push(replicaDir);
  } catch (err) {
    destroy();
    throw err;
  }
  return {
    primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
    replicaUrl: `postgres://postgres@127.0.0.1:${replicaPort}/postgres`,
    configureReplica(more: string) {
      fs.appendFileSync(path.join(replicaDir, 'postgresql.conf'), `\n${more}\n`);
      run('pg_ctl', ['-D', replicaDir, 'reload']);
    },
    stopReplica() {
      stop(replicaDir, 'fast');
    },
    destroy,
  };
}
