import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { ProtocolQueue } from './protocol-queue';

/** A running embedded PostgreSQL: PGlite served over the wire protocol on a Unix socket. */
export interface EmbeddedPostgres {
  /** Folder of the Unix socket, to pass as `host` to the `pg` driver. */
  socketDir: string;
  /** Port number that names the socket file (`.s.PGSQL.<port>`). */
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

/** Another process holds the data folder. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    readonly since: string | null,
  ) {
    super(
      `The data folder ${dataDir} is in use by process ${holderPid}` +
        (since ? ` (started ${since})` : '') +
        `. Stop that process, or set DATA_DIR to another folder.`,
    );
    this.name = 'DataDirLockedError';
  }
}

const SOCKET_PORT = 5432;
// Unix socket paths are limited to ~107 bytes (sun_path).
const MAX_SOCKET_PATH = 100;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock on the data folder with a pid file created atomically (O_EXCL).
 * A lock left by a process that no longer runs is taken over.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'server.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
      fs.closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          const holder = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid: number };
          if (holder.pid === process.pid) fs.unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: { pid?: number; since?: string } = {};
      try {
        holder = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as typeof holder;
      } catch {
        // A lock file being written right now, or corrupt: treat as held unless it is old.
        const age = Date.now() - fs.statSync(lockPath).mtimeMs;
        if (age < 5000) throw new DataDirLockedError(dataDir, -1, null);
      }
      if (typeof holder.pid === 'number' && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new DataDirLockedError(dataDir, holder.pid, holder.since ?? null);
      }
      // Stale lock from a process that is gone.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the data folder ${dataDir}`);
}

function chooseSocketDir(dataDir: string): string {
  const inDataDir = path.join(dataDir, `.s.PGSQL.${SOCKET_PORT}`);
  if (Buffer.byteLength(inDataDir) <= MAX_SOCKET_PATH) return dataDir;
  // A deep data folder would exceed the socket path limit: use a short folder named after it.
  const hash = crypto.createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `ssm-${hash}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * Starts PGlite on `<dataDir>/pgdata` and serves it on a Unix socket, after locking the folder.
 * `maxConnections` must be at least the client pool size.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
  const release = acquireDataDirLock(dataDir);
  let db: PGlite | null = null;
  let server: PGLiteSocketServer | null = null;
  try {
    db = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata') });
    const socketDir = chooseSocketDir(dataDir);
    const socketPath = path.join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
    // We hold the lock, so a socket file left here belongs to a process that died.
    fs.rmSync(socketPath, { force: true });
    server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
    // pglite-socket lets one connection's Parse and Bind be split by another connection's
    // messages; its handlers take the queue from this (private) field when they attach.
    (server as unknown as { queryQueue: ProtocolQueue }).queryQueue = new ProtocolQueue(db);
    await server.start();
    const started = { db, server };
    let stopped = false;
    return {
      socketDir,
      port: SOCKET_PORT,
      dataDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await started.server.stop();
          await started.db.close();
        } finally {
          fs.rmSync(socketPath, { force: true });
          release();
        }
      },
    };
  } catch (err) {
    try {
      if (server) await server.stop();
      if (db) await db.close();
    } finally {
      release();
    }
    throw err;
  }
}
