/**
 * The HTTP/1.1 response reader of `bench:api`'s load generator (bench-api-load-worker.js):
 * what a server may send for its requests, a status line, headers, and a body framed by
 * Content-Length or by chunked transfer coding. Plain JavaScript, so that the worker thread
 * needs no compiler.
 */
'use strict';

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Reads one whole response from the start of `buf`: { status, body, close } (close: the
 * server said Connection: close), { error } when it cannot be read, or null while it is
 * incomplete.
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
    const value = lines[k].slice(colon + 1).trim().toLowerCase();
    if (name === 'content-length') {
      length = /^\d+$/.test(value) ? Number(value) : NaN;
      if (Number.isNaN(length)) return { error: `a malformed Content-Length: ${value.slice(0, 40)}` };
    }
    else if (name === 'transfer-encoding') chunked = value.includes('chunked');
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
        return { status, body: Buffer.concat(parts).toString('utf8'), close };
      }
      if (buf.length < dataStart + size + 2) return null;
      parts.push(buf.subarray(dataStart, dataStart + size));
      at = dataStart + size + 2;
    }
  }
  if (length < 0) return { error: 'a response without Content-Length or chunked coding' };
  if (buf.length < bodyStart + length) return null;
  return { status, body: buf.toString('utf8', bodyStart, bodyStart + length), close };
}

module.exports = { parseResponse };
