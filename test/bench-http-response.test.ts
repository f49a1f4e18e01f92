// The response reader of bench:api's load generator: if it misread a response, the benchmark
// would count a failed call as a success or wait forever.
const { parseResponse } = require('../scripts/bench-http-response') as {
  parseResponse(buf: Buffer): { status: number; body: string; close: boolean } | { error: string } | null;
};

const head = (lines: string[]): string => `${lines.join('\r\n')}\r\n\r\n`;

describe('bench:api response reader', () => {
  it('reads a body framed by Content-Length, whatever the header case', () => {
    const body = '{"data":{"ok":"é"}}';
    const text = head(['HTTP/1.1 200 OK', 'content-type: application/json', `CONTENT-LENGTH: ${Buffer.byteLength(body)}`]) + body;
    expect(parseResponse(Buffer.from(text))).toEqual({ status: 200, body, close: false });
  });

  it('waits for the rest of an incomplete head or body', () => {
    const text = head(['HTTP/1.1 200 OK', 'Content-Length: 10']) + '0123456789';
    const whole = Buffer.from(text);
    for (const cut of [5, text.indexOf('\r\n\r\n'), whole.length - 1]) expect(parseResponse(whole.subarray(0, cut))).toBeNull();
    expect(parseResponse(whole)).toEqual({ status: 200, body: '0123456789', close: false });
  });

  it('reads a chunked body, chunk extensions included, only once the last chunk is in', () => {
    const text = head(['HTTP/1.1 400 Bad Request', 'Transfer-Encoding: chunked', 'Connection: close']) + '5\r\nhello\r\n7;x=1\r\n, world\r\n0\r\n\r\n';
    const whole = Buffer.from(text);
    expect(parseResponse(whole)).toEqual({ status: 400, body: 'hello, world', close: true });
    expect(parseResponse(whole.subarray(0, whole.length - 2))).toBeNull();
    expect(parseResponse(whole.subarray(0, text.indexOf('0\r\n\r\n')))).toBeNull();
  });

  it('names what it cannot read', () => {
    expect(parseResponse(Buffer.from(head(['garbage'])))).toEqual({ error: 'not an HTTP response: garbage' });
    expect(parseResponse(Buffer.from(head(['HTTP/1.1 200 OK'])))).toEqual({ error: 'a response without Content-Length or chunked coding' });
    expect(parseResponse(Buffer.from(head(['HTTP/1.1 200 OK', 'Content-Length: 1x'])))).toEqual({ error: 'a malformed Content-Length: 1x' });
    expect(parseResponse(Buffer.from(head(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked']) + 'zz\r\n'))).toEqual({ error: 'a malformed chunk size' });
  });
});
