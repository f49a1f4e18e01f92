/**
 * One PGlite serves every connection of the embedded database. A client's extended-protocol
 * unit (Parse … Sync) can reach the server in several chunks; another connection's messages
 * must not run in between, or a Bind meets the other client's statement.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { serialize } from 'pg-protocol';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded-postgres';

interface Reply {
  columns: string[];
  rows: string[][];
  errors: string[];
}

/** A raw protocol connection that collects messages until ReadyForQuery. */
class RawClient {
  private buffer = Buffer.alloc(0);
  private waiting: Array<(reply: Reply) => void> = [];
  private current: Reply = { columns: [], rows: [], errors: [] };

  constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      while (this.buffer.length >= 5) {
        const type = String.fromCharCode(this.buffer[0]);
        const length = this.buffer.readInt32BE(1);
        if (this.buffer.length < length + 1) break;
        const body = this.buffer.subarray(5, length + 1);
        this.buffer = this.buffer.subarray(length + 1);
        this.handle(type, body);
      }
    });
  }

  static async connect(socketPath: string): Promise<RawClient> {
    const socket = net.createConnection(socketPath);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawClient(socket);
    socket.write(serialize.startup({ user: 'postgres', database: 'postgres' }));
    await client.reply();
    return client;
  }

  private handle(type: string, body: Buffer): void {
    if (type === 'T') {
      let offset = 2;
      for (let i = 0; i < body.readInt16BE(0); i++) {
        const end = body.indexOf(0, offset);
        this.current.columns.push(body.toString('utf8', offset, end));
        offset = end + 1 + 18;
      }
    } else if (type === 'D') {
      const row: string[] = [];
      let offset = 2;
      for (let i = 0; i < body.readInt16BE(0); i++) {
        const len = body.readInt32BE(offset);
        row.push(body.toString('utf8', offset + 4, offset + 4 + len));
        offset += 4 + Math.max(len, 0);
      }
      this.current.rows.push(row);
    } else if (type === 'E') {
      this.current.errors.push(body.toString('utf8').replace(/\0/g, ' ').trim());
    } else if (type === 'Z') {
      const done = this.current;
      this.current = { columns: [], rows: [], errors: [] };
      this.waiting.shift()?.(done);
    }
  }

  /** The reply up to the next ReadyForQuery. */
  reply(): Promise<Reply> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  write(...messages: Buffer[]): void {
    this.socket.write(Buffer.concat(messages));
  }

  end(): void {
    this.socket.end();
  }
}

describe('embedded PostgreSQL protocol multiplexing', () => {
  let dir: string;
  let pg: EmbeddedPostgres;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-protocol-'));
    pg = await startEmbeddedPostgres(dir, 4);
  });
  afterAll(async () => {
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a unit sent in two chunks together: another connection's statement runs before or after it, never inside", async () => {
    const socketPath = path.join(pg.socketDir, `.s.PGSQL.${pg.port}`);
    const a = await RawClient.connect(socketPath);
    const b = await RawClient.connect(socketPath);
    try {
      const aReply = a.reply();
      const bReply = b.reply();
      a.write(serialize.parse({ text: 'SELECT $1::int AS a' }));
      await new Promise((r) => setTimeout(r, 50));
      b.write(
        serialize.parse({ text: "SELECT 'from b' AS b, $1::text AS n" }),
        serialize.bind({ values: ['7'] }),
        serialize.describe({ type: 'P' }),
        serialize.execute(),
        serialize.sync(),
      );
      await new Promise((r) => setTimeout(r, 50));
      a.write(
        serialize.bind({ values: ['1'] }),
        serialize.describe({ type: 'P' }),
        serialize.execute(),
        serialize.sync(),
      );
      expect(await aReply).toEqual({ columns: ['a'], rows: [['1']], errors: [] });
      expect(await bReply).toEqual({ columns: ['b', 'n'], rows: [['from b', '7']], errors: [] });
    } finally {
      a.end();
      b.end();
    }
  });
});
