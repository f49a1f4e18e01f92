import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveDeliveryAddress, type ResolvedAddress } from './webhook-address';

/** What one attempt found: the response's status and the start of its body, or the error. */
export interface SendOutcome {
  ok: boolean;
  statusCode: number | null;
  /** The first bytes of the response body (valid UTF-8, no NUL), or null without a response. */
  bodyExcerpt: string | null;
  error: string | null;
  durationMs: number;
}

const EXCERPT_BYTES = 1024;

function pinnedLookup(address: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily).
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
}

function excerpt(chunks: Buffer[]): string {
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8').replaceAll('\u0000', '\uFFFD');
}

/**
 * POSTs `body` to `url` with `headers`, within `timeoutMs` for everything (the name's
 * resolution, connecting, and the whole response). Connects only to the address that
 * {@link resolveDeliveryAddress} checked; TLS still verifies the certificate for the URL's
 * host name. Redirects are not followed. `stop` interrupts the attempt (a shutdown). Never
 * throws: failures are in the outcome.
 */
export async function sendWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivateNetworks: boolean; stop?: AbortSignal },
): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(TIMED_OUT), options.timeoutMs);
  const stop = () => controller.abort(STOPPED);
  if (options.stop?.aborted) stop();
  options.stop?.addEventListener('abort', stop);
  try {
    const target = new URL(url);
    const address = await Promise.race([
      resolveDeliveryAddress(target.hostname, options.allowPrivateNetworks),
      new Promise<never>((_, reject) =>
        controller.signal.addEventListener('abort', () => reject(new Error('timed out'))),
      ),
    ]);
    const client = target.protocol === 'https:' ? https : http;
    return await new Promise<SendOutcome>((resolve) => {
      const req = client.request(
        target,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'ssm-webhooks/1',
          },
          lookup: pinnedLookup(address),
          signal: controller.signal,
          agent: false,
        },
        (res) => {
          const statusCode = res.statusCode ?? null;
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < EXCERPT_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () => {
            const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
            resolve({
              ok,
              statusCode,
              bodyExcerpt: excerpt(chunks),
              error: ok ? null : `HTTP ${statusCode}`,
              durationMs: elapsed(),
            });
          });
          res.on('error', (err) =>
            resolve({
              ok: false,
              statusCode,
              bodyExcerpt: excerpt(chunks),
              error: describe(err, controller, options.timeoutMs),
              durationMs: elapsed(),
            }),
          );
        },
      );
      req.on('error', (err) =>
        resolve({
          ok: false,
          statusCode: null,
          bodyExcerpt: null,
          error: describe(err, controller, options.timeoutMs),
          durationMs: elapsed(),
        }),
      );
      req.end(body);
    });
  } catch (err) {
    return {
      ok: false,
      statusCode: null,
      bodyExcerpt: null,
      error: describe(err as Error, controller, options.timeoutMs),
      durationMs: elapsed(),
    };
  } finally {
    clearTimeout(timer);
    options.stop?.removeEventListener('abort', stop);
  }
}

const TIMED_OUT = 'timeout';
const STOPPED = 'stopped';

function describe(err: Error, controller: AbortController, timeoutMs: number): string {
  if (controller.signal.reason === STOPPED) return 'interrupted: the API process was stopping';
  if (controller.signal.aborted) return `timed out after ${timeoutMs} ms`;
  const code = (err as NodeJS.ErrnoException).code;
  return code ? `${code}: ${err.message}` : err.message;
}
