/**
 * The load generator of `npm run bench:api`, run on a worker thread (plain JavaScript, so it
 * needs no compiler): keep-alive HTTP/1.1 over a fixed number of connections, a fixed number
 * of requests and a time limit, closed loop or at a fixed arrival rate. It posts back the
 * latencies, the errors, its own thread's CPU time and the machine's CPU ticks during the
 * measurement and, at a fixed rate, how late it sent its requests.
 *
 * workerData: { url, connections, requests, seconds, spec, rate, client }. client 'raw' (the
 * default, bench-http-client.js) writes each prepared request as one buffer on a plain TCP
 * socket and reads only the status line, the framing headers and the body; 'http' uses
 * Node's http.Agent. Both
 * send the same bytes of body and headers that matter. The raw client exists because the
 * generator shares the machine with the API and PostgreSQL: node:http's client costs more
 * CPU per request than the `{ __typename }` ceiling costs the server, CPU that the API
 * then lacks.
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { createRawClient } = require('./bench-http-client');
const { cpuMsOf, machineTicks } = require('./bench-proc-stat');

const { url, connections, requests, seconds, spec, rate, client } = workerData;
const target = new URL(url + '/graphql');

/** The body and the Authorization header of request i. */
function bodyOf(i) {
  const answers = [];
  const n = spec.questions.length;
  const start = (i * spec.answersPerCall) % n;
  for (let k = 0; k < spec.answersPerCall; k++) {
    const q = spec.questions[(start + k) % n];
    answers.push({ question: q.code, value: q.values[(i + k) % q.values.length], clientSeq: spec.seqBase + i });
  }
  return {
    body: JSON.stringify({
      query:
        'mutation Save($input: SaveAnswersInput!) { saveAnswers(input: $input) { status results { question outcome } } }',
      variables: { input: { answers } },
    }),
    authorization: 'Bearer ' + spec.tokens[i % spec.tokens.length],
  };
}

/** A response's outcome: ok when HTTP 200 without GraphQL errors. */
function outcome(status, text) {
  const ok = status === 200 && !text.includes('"errors"');
  return { ok, text: ok ? null : `HTTP ${status}: ${text.slice(0, 300)}` };
}

// With several API processes on one port, the cluster primary gives each new connection to
// the next process, so each holds an equal share of the connections. Both clients use their
// free connections in turn (fifo), so that the calls, too, are spread evenly: reusing the
// most recent free connection (http.Agent's default, lifo) would give one process most calls
// at a fixed rate.
function httpClient() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, scheduling: 'fifo' });
  return {
    prepare(body, authorization) {
      return { body, authorization };
    },
    request({ body, authorization }) {
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      if (authorization) headers.authorization = authorization;
      return new Promise((resolve) => {
        const req = http.request(
          { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers },
          (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve(outcome(res.statusCode, Buffer.concat(chunks).toString('utf8'))));
            res.on('error', (err) => resolve({ ok: false, text: String(err) }));
          },
        );
        req.on('error', (err) => resolve({ ok: false, text: String(err) }));
        // After a whole response this comes too late to count (a promise settles once); before
        // one, the connection closed in the middle of it.
        req.on('close', () => resolve({ ok: false, text: 'the connection closed before the response ended' }));
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

function rawClient() {
  const raw = createRawClient(target, connections);
  return {
    prepare: raw.prepare,
    request: (bytes) =>
      raw.request(bytes).then((r) => (r.error ? { ok: false, text: r.error } : outcome(r.status, r.body))),
    close: raw.close,
  };
}

const transport = client === 'http' ? httpClient() : rawClient();
const lags = [];

// Every request is prepared before the clock starts (at most --requests of them, a few tens
// of MB), so that during the measurement the generator only writes and reads.
const prepared = [];
if (spec.kind === 'fixed') {
  const one = transport.prepare(spec.body, spec.authorization);
  for (let i = 0; i < requests; i++) prepared.push(one);
} else {
  for (let i = 0; i < requests; i++) {
    const { body, authorization } = bodyOf(i);
    prepared.push(transport.prepare(body, authorization));
  }
}

function send(i, due) {
  const now = performance.now();
  // At a fixed rate, how late the generator itself sent it (its own CPU or GC, not the server).
  if (due !== undefined) lags.push(Math.max(0, now - due));
  // From when it was due, or from now if the timer woke a little early.
  const t0 = due === undefined ? now : Math.max(due, now);
  const request = prepared[i];
  prepared[i] = undefined; // collectable once sent
  return transport.request(request).then((r) => ({ ms: performance.now() - t0, ok: r.ok, text: r.text }));
}

(async () => {
  const latencies = new Float64Array(requests);
  let next = 0;
  let done = 0;
  let errors = 0;
  let firstError = null;
  const record = (r) => {
    latencies[done++] = r.ms;
    if (!r.ok) {
      errors++;
      if (!firstError) firstError = r.text;
    }
  };
  const cpu0 = cpuMsOf('/proc/thread-self/stat');
  const machine0 = machineTicks();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  async function loop() {
    for (;;) {
      const i = next++;
      if (i >= requests || performance.now() > deadline) return;
      record(await send(i));
    }
  }
  // Open loop: request i is due at started + i / rate, whatever happened to the others; past
  // the connections' limit it waits for a free connection, and that wait counts.
  async function scheduled() {
    const pending = [];
    for (let i = 0; i < requests; i++) {
      const due = started + (i * 1000) / rate;
      if (due > deadline) break;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(send(i, due).then(record));
    }
    await Promise.all(pending);
  }
  if (rate) await scheduled();
  else await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  const cpuMs = cpuMsOf('/proc/thread-self/stat') - cpu0;
  const machine = machine0 ? { before: machine0, after: machineTicks() } : null;
  transport.close();
  lags.sort((a, b) => a - b);
  const lagP99 = lags.length ? lags[Math.min(lags.length - 1, Math.ceil(0.99 * lags.length) - 1)] : NaN;
  parentPort.postMessage({ latencies: latencies.slice(0, done), errors, elapsed, firstError, lagP99, cpuMs, machine });
})();
