/**
 * The HTTP/1.1 client of `bench:api`'s load generator (bench-api-load-worker.js): keep-alive
 * connections on plain TCP sockets, each carrying one prepared request at a time, and a
 * reader of what a server may send back for them: a status line, headers, and a body framed
 * by Content-Length or by chunked transfer coding (no pipelining, no upgrades). Plain
 * JavaScript, so that the worker thread needs no compiler.
 */
'use strict';
const net = require('node:net');

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Reads one whole response from the start of `buf`: { status, body, close, end } (close: the
 * server said Connection: close; end: how many bytes of buf the response took), { error }
 * when it cannot be read, or null while it is incomplete.
 */
function parseResponse(buf) {
  const headEnd = buf.indexOf(HEADER_END);
  if (headEnd < 0) return null;
  const head = buf.toString('latin1', 0, headEnd);
  const lines = head.split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  if (!Number.isInteger(status)) return { error: `not an HTTP response: ${lines[0].slice(0, 100)}` };
  let length = -1;
  let chunked = false;
  let close = false;
  for (let k = 1; k < lines.length; k++) {
    const colon = lines[k].indexOf(':');
    const name = lines[k].slice(0, colon).trim().toLowerCase();
    const value = lines[k]
      .slice(colon + 1)
      .trim()
      .toLowerCase();
    if (name === 'content-length') {
      length = /^\d+$/.test(value) ? Number(value) : NaN;
      if (Number.isNaN(length)) return { error: `a malformed Content-Length: ${value.slice(0, 40)}` };
    } else if (name === 'transfer-encoding') chunked = value.includes('chunked');
    else if (name === 'connection') close = value === 'close';
  }
  const bodyStart = headEnd + 4;
  if (chunked) {
    const parts = [];
    let at = bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', at);
      if (lineEnd < 0) return null;
      const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
      if (Number.isNaN(size)) return { error: 'a malformed chunk size' };
      const dataStart = lineEnd + 2;
      if (size === 0) {
        // No trailers are expected: the last chunk is followed by an empty line.
        if (buf.length < dataStart + 2) return null;
        return { status, body: Buffer.concat(parts).toString('utf8'), close, end: dataStart + 2 };
      }
      if (buf.length < dataStart + size + 2) return null;
      parts.push(buf.subarray(dataStart, dataStart + size));
      at = dataStart + size + 2;
    }
  }
  if (length < 0) return { error: 'a response without Content-Length or chunked coding' };
  if (buf.length < bodyStart + length) return null;
  return { status, body: buf.toString('utf8', bodyStart, bodyStart + length), close, end: bodyStart + length };
}

/**
 * One keep-alive connection that carries one request at a time; it connects when a request
 * comes and it has no socket, so a server that closed an idle connection costs a reconnect.
 * Each request is answered exactly once: with { status, body }, or with { error } when the
 * response cannot be read or the connection closes first. Bytes that answer no request (a
 * response on an idle connection, or more after a response) leave that socket unusable: it
 * is dropped, so that nothing is taken for the answer to a later request.
 */
class RawConnection {
  constructor(target, onFree) {
    this.target = target;
    this.onFree = onFree;
    this.socket = null;
    this.pending = null; // the resolve function of the request in flight
    this.buffer = null;
    this.lastError = null;
  }

  connect() {
    const socket = net.connect({ host: this.target.host, port: this.target.port, noDelay: true });
    this.socket = socket;
    this.buffer = null;
    this.lastError = null;
    // Events of a socket this connection has already given up are ignored.
    socket.on('data', (chunk) => {
      if (this.socket === socket) this.onData(chunk);
    });
    socket.on('error', (error) => {
      if (this.socket === socket) this.lastError = error.message; // 'close' follows
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.pending)
        this.settle({
          error: `the connection closed before the response ended${this.lastError ? `: ${this.lastError}` : ''}`,
        });
    });
  }

  send(bytes, resolve) {
    if (this.pending) throw new Error('a connection carries one request at a time');
    if (!this.socket) this.connect();
    this.pending = resolve;
    this.socket.write(bytes);
  }

  drop() {
    if (this.socket) this.socket.destroy();
    this.socket = null;
    this.buffer = null;
  }

  settle(result) {
    const resolve = this.pending;
    this.pending = null;
    this.buffer = null;
    resolve(result);
    this.onFree(this);
  }

  onData(chunk) {
    if (!this.pending) {
      // Nothing was asked on this connection: it is idle, and already among the free ones.
      this.drop();
      return;
    }
    this.buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
    const response = parseResponse(this.buffer);
    if (response === null) return; // incomplete
    if (response.error) {
      this.drop();
      this.settle({ error: response.error });
      return;
    }
    if (response.end < this.buffer.length)
      this.drop(); // more than the one response asked for
    else if (response.close) {
      this.socket.end();
      this.socket = null;
    }
    this.settle({ status: response.status, body: response.body });
  }

  close() {
    this.drop();
  }
}

/**
 * A client of `connections` keep-alive connections to `url` (http:, host and port given):
 * `prepare(body, authorization)` makes the bytes of a JSON POST, `request(bytes)` sends them
 * on the next free connection (each free connection in turn), or queues them until one is
 * free, and resolves with { status, body } or { error }; `close()` drops every connection.
 */
function createRawClient(url, connections) {
  const target = { host: url.hostname, port: Number(url.port) };
  const free = [];
  const waiting = [];
  const all = [];
  const onFree = (connection) => {
    const next = waiting.shift();
    if (next) connection.send(next.bytes, next.resolve);
    else free.push(connection);
  };
  for (let k = 0; k < connections; k++) {
    const connection = new RawConnection(target, onFree);
    all.push(connection);
    free.push(connection);
  }
  const prefix = `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n`;
  return {
    prepare(body, authorization) {
      return Buffer.from(
        `${prefix}${authorization ? `Authorization: ${authorization}\r\n` : ''}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    },
    request(bytes) {
      return new Promise((resolve) => {
        const connection = free.shift();
        if (connection) connection.send(bytes, resolve);
        else waiting.push({ bytes, resolve });
      });
    },
    close() {
      for (const connection of all) connection.close();
    },
  };
}

module.exports = { parseResponse, createRawClient };
