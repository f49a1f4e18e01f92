import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got. */
export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
  receivedAt: number;
  /** The answer it was given: a status, or 'hang' (no answer until the sender gives up). */
  answer: number | 'hang';
}

/** How to answer a request: a status, 'hang', or a function of the parsed body. */
export type Answer = number | 'hang' | ((json: any, received: ReceivedWebhook[]) => number | 'hang');

/** A local HTTP server standing in for a firm's webhook endpoint. */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Sets how later requests are answered (default 200). */
  answer(answer: Answer): void;
  /** Waits until `predicate` holds for the requests received so far. */
  waitFor(
    predicate: (received: ReceivedWebhook[]) => boolean,
    timeoutMs?: number,
    what?: string,
  ): Promise<ReceivedWebhook[]>;
  /**
   * True when one of the request's signatures is valid for `secret`, checked with the
   * `standardwebhooks` library (not the server's own code), timestamp tolerance included.
   */
  verifies(request: ReceivedWebhook, secret: string): boolean;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 at a free port. */
export async function startWebhookReceiver(path = '/hooks'): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let answer: Answer = 200;
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: any = null;
      try {
        json = JSON.parse(body);
      } catch {
        // Recorded as it is; a test then fails on json being null.
      }
      const entry: ReceivedWebhook = { headers: req.headers, body, json, receivedAt: Date.now(), answer: 200 };
      const decided = typeof answer === 'function' ? answer(json, received) : answer;
      entry.answer = decided;
      received.push(entry);
      if (decided === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res.writeHead(decided, { 'content-type': 'text/plain' });
      res.end(decided >= 200 && decided < 300 ? 'thanks' : `receiver says ${decided}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    answer(next) {
      answer = next;
    },
    waitFor(predicate, timeoutMs = 20000, what = 'webhooks') {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const timer = setInterval(() => {
          if (predicate(received)) {
            clearInterval(timer);
            resolve(received);
          } else if (Date.now() - started > timeoutMs) {
            clearInterval(timer);
            reject(
              new Error(
                `timed out waiting for ${what}; received: ${JSON.stringify(received.map((r) => [r.json?.type, r.answer]))}`,
              ),
            );
          }
        }, 25);
      });
    },
    verifies(request, secret) {
      try {
        new Webhook(secret).verify(request.body, {
          'webhook-id': String(request.headers['webhook-id']),
          'webhook-timestamp': String(request.headers['webhook-timestamp']),
          'webhook-signature': String(request.headers['webhook-signature']),
        });
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
