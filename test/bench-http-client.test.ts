// The HTTP client of bench:api's load generator: if it misread a response, or gave one
// request's response to another, the benchmark would count wrong figures or wait forever.
import * as net from 'node:net';

type Response = { status: number; body: string; close: boolean; end: number } | { error: string } | null;
type Result = { status: number; body: string } | { error: string };
interface RawClient {
  prepare(body: string, authorization: string | null): Buffer;
  request(bytes: Buffer): Promise<Result>;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module without types
const { parseResponse, createRawClient } = require('../scripts/bench-http-client') as {
  parseResponse: (buf: Buffer) => Response;
  createRawClient: (url: URL, connections: number) => RawClient;
};

const head = (lines: string[]): string => `${lines.join('\r\n')}\r\n\r\n`;
const reply = (body: string, extra: string[] = []): string =>
  head(['HTTP/1.1 200 OK', `Content-Length: ${Buffer.byteLength(body)}`, ...extra]) + body;

describe('bench:api response reader', () => {
  it('reads a body framed by Content-Length, whatever the header case, and says where it ends', () => {
    const body = '{"data":{"ok":"é"}}';
    const text =
      head(['HTTP/1.1 200 OK', 'content-type: application/json', `CONTENT-LENGTH: ${Buffer.byteLength(body)}`]) + body;
    expect(parseResponse(Buffer.from(text + 'HTTP/1.1'))).toEqual({
      status: 200,
      body,
      close: false,
      end: Buffer.byteLength(text),
    });
  });

  it('waits for the rest of an incomplete head or body', () => {
    const whole = Buffer.from(reply('0123456789'));
    for (const cut of [5, whole.indexOf('\r\n\r\n'), whole.length - 1])
      expect(parseResponse(whole.subarray(0, cut))).toBeNull();
    expect(parseResponse(whole)).toEqual({ status: 200, body: '0123456789', close: false, end: whole.length });
  });

  it('reads a chunked body, chunk extensions included, only once the last chunk is in', () => {
    const text =
      head(['HTTP/1.1 400 Bad Request', 'Transfer-Encoding: chunked', 'Connection: close']) +
      '5\r\nhello\r\n7;x=1\r\n, world\r\n0\r\n\r\n';
    const whole = Buffer.from(text);
    expect(parseResponse(whole)).toEqual({ status: 400, body: 'hello, world', close: true, end: whole.length });
    expect(parseResponse(whole.subarray(0, whole.length - 2))).toBeNull();
    expect(parseResponse(whole.subarray(0, text.indexOf('0\r\n\r\n')))).toBeNull();
  });

  it('names what it cannot read', () => {
    expect(parseResponse(Buffer.from(head(['garbage'])))).toEqual({ error: 'not an HTTP response: garbage' });
    expect(parseResponse(Buffer.from(head(['HTTP/1.1 200 OK'])))).toEqual({
      error: 'a response without Content-Length or chunked coding',
    });
    expect(parseResponse(Buffer.from(head(['HTTP/1.1 200 OK', 'Content-Length: 1x'])))).toEqual({
      error: 'a malformed Content-Length: 1x',
    });
    expect(parseResponse(Buffer.from(head(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked']) + 'zz\r\n'))).toEqual({
      error: 'a malformed chunk size',
    });
  });
});

/**
 * A server that reads each request (Content-Length framed) and lets `answer` write what it
 * likes for it; it counts the connections it accepted.
 */
async function fakeServer(
  answer: (socket: net.Socket, body: string, n: number) => void,
): Promise<{ url: URL; connections: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  let n = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    // As Node's HTTP server does: a late write is not held back until the client's next request.
    socket.setNoDelay(true);
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buf.toString('latin1', 0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const body = buf.toString('utf8', end + 4, end + 4 + length);
        buf = buf.subarray(end + 4 + length);
        answer(socket, body, n++);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/graphql`),
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends `count` requests whose bodies are their numbers, all at once, and returns the results in order. */
async function sendAll(client: RawClient, count: number): Promise<Result[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => client.request(client.prepare(String(i), i % 2 ? 'Bearer t' : null))),
  );
}

describe('bench:api raw HTTP client', () => {
  it('answers every request with its own response, over its connections in turn', async () => {
    const server = await fakeServer((socket, body) =>
      setTimeout(() => socket.write(reply(`echo ${body}`)), Number(body) % 3),
    );
    const client = createRawClient(server.url, 4);
    try {
      const results = await sendAll(client, 200);
      expect(results).toEqual(results.map((_, i) => ({ status: 200, body: `echo ${i}` })));
      expect(server.connections()).toBe(4);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('drops a connection that sends what was not asked for, and gives it to no request', async () => {
    // Some answers come with a stray response in the same write, some with one a little
    // later, once the connection is idle. (A stray that arrives while another request is in
    // flight cannot be told from that request's response, by this client or any other.)
    const server = await fakeServer((socket, body, n) => {
      socket.write(reply(`echo ${body}`) + (n % 4 === 0 ? reply('stray') : ''));
      if (n % 4 === 2) setTimeout(() => socket.write(reply('stray')), 2);
    });
    const client = createRawClient(server.url, 3);
    try {
      for (let round = 0; round < 8; round++) {
        const results = await sendAll(client, 3);
        expect(results).toEqual(results.map((_, i) => ({ status: 200, body: `echo ${i}` })));
        await new Promise((r) => setTimeout(r, 15));
      }
      // 24 answers, 12 followed by a stray, each dropping its connection: 3 connections to
      // begin with, and one more for each drop but the last round's one (answer 22).
      expect(server.connections()).toBe(14);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('reconnects after Connection: close, and names a connection lost in the middle of a response', async () => {
    const server = await fakeServer((socket, body) => {
      if (body === '1') socket.end(reply(`echo ${body}`, ['Connection: close']));
      else if (body === '2') socket.end(head(['HTTP/1.1 200 OK', 'Content-Length: 100']) + 'partial');
      else socket.write(reply(`echo ${body}`));
    });
    const client = createRawClient(server.url, 1);
    try {
      const results = await sendAll(client, 4);
      expect(results).toEqual([
        { status: 200, body: 'echo 0' },
        { status: 200, body: 'echo 1' },
        { error: 'the connection closed before the response ended' },
        { status: 200, body: 'echo 3' },
      ]);
      expect(server.connections()).toBe(3);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('names the error of a connection that could not be made', async () => {
    const server = await fakeServer(() => {});
    const url = server.url;
    await server.close();
    const client = createRawClient(url, 2);
    try {
      const results = await sendAll(client, 3);
      for (const result of results)
        expect(result).toEqual({
          error: expect.stringMatching(/^the connection closed before the response ended: connect ECONNREFUSED/),
        });
    } finally {
      client.close();
    }
  });
});
