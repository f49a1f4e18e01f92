import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { parse } from 'graphql';
import { startTestApp, type TestApp } from './helpers/test-app';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import {
  createAssessmentViaApi,
  defaultFrameworkId,
  insertOrganisation,
  inviteViaApi,
} from './helpers/assessment-fixtures';

/** How many generated requests the test sends, and how many at once. */
const REQUESTS = 10_000;
const CONCURRENCY = 8;
const SEED = 16_2026;

/** A GraphQL request of the guide: its document and variables. */
interface DocOperation {
  query: string;
  variables?: unknown;
}

/**
 * Every request body of docs/api.md's curl examples (`-d @- <<EOF … EOF`). In an unquoted
 * heredoc the shell expands `$NAME`: it is replaced by an id-like value, and `\$` by `$`.
 */
export function docOperations(markdown: string, placeholder: string): DocOperation[] {
  const out: DocOperation[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /<<('?)EOF\1/.exec(lines[i]);
    if (!heredoc) continue;
    while (lines[i].endsWith('\\')) i++;
    const body: string[] = [];
    while (lines[++i] !== 'EOF' && i < lines.length) body.push(lines[i]);
    let text = body.join('\n');
    if (heredoc[1] !== "'") text = text.replace(/(?<!\\)\$\{?[A-Z_][A-Z0-9_]*\}?/g, placeholder).replace(/\\\$/g, '$');
    try {
      const parsed = JSON.parse(text) as DocOperation;
      if (typeof parsed.query === 'string') out.push(parsed);
    } catch {
      // A body that is not JSON once expanded (none in the guide today) is not a seed.
    }
  }
  return out;
}

// Fragments of GraphQL that break a document in interesting ways.
const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '$',
  '!',
  '=',
  '@',
  '...',
  '|',
  '&',
  '"',
  '"""',
  '\\',
  '#',
  ',',
  '\n',
  '__typename',
  '__schema { types { name } }',
  '__type(name: "Query") { name }',
  'fragment F on Query { serverInfo { version } }',
  '...F',
  '... on Query { me { role } }',
  '@include(if: true)',
  '@skip(if: $x)',
  '@deprecated',
  'query',
  'mutation',
  'subscription',
  'null',
  'true',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  '"\\u0000"',
  '"\\ud800"',
  '"😀"',
  '$input',
  '$id: ID!',
  'first: 100000',
  'first: -1',
  'after: "x"',
  'locale: XX',
  'id: ""',
  `"${'a'.repeat(5000)}"`,
  'me',
  'me { role }',
  'a: me { role }',
];

/** A mutated text: a few insertions, deletions and duplications of its parts. */
function mutateText(): fc.Arbitrary<(text: string) => string> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
    fc.record({
      kind: fc.constant('insertRandom' as const),
      at: fc.nat(),
      token: fc.string({ maxLength: 8, unit: 'binary' }),
    }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 60 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => (text: string) => {
    let t = text;
    for (const e of edits) {
      const at = t.length === 0 ? 0 : e.at % (t.length + 1);
      if (e.kind === 'insert' || e.kind === 'insertRandom') t = t.slice(0, at) + e.token + t.slice(at);
      else if (e.kind === 'delete') t = t.slice(0, at) + t.slice(at + e.length);
      else if (e.kind === 'duplicate')
        t = t.slice(0, at + e.length) + t.slice(at, at + e.length) + t.slice(at + e.length);
      else t = t.slice(0, at);
    }
    return t;
  });
}

// Values that a variable of any type could wrongly receive.
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    null,
    '',
    ' ',
    '\u0000',
    '\ud800',
    '😀'.repeat(300),
    'x'.repeat(20_000),
    -1,
    0,
    1e308,
    -1e308,
    2 ** 53 + 1,
    0.1,
    true,
    [],
    {},
    [[[[[]]]]],
  ),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.uuid(),
);

/** Replaces values at random places of a variables object (or the whole of it). */
function mutateVariables(variables: unknown): fc.Arbitrary<unknown> {
  const paths: Array<Array<string | number>> = [[]];
  const walk = (value: unknown, at: Array<string | number>) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        paths.push([...at, i]);
        walk(v, [...at, i]);
      });
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        paths.push([...at, k]);
        walk(v, [...at, k]);
      }
    }
  };
  walk(variables, []);
  return fc
    .array(fc.tuple(fc.constantFrom(...paths), oddValue, fc.boolean()), { minLength: 1, maxLength: 3 })
    .map((changes) => {
      let copy: any = structuredClone(variables ?? {});
      for (const [where, value, addKey] of changes) {
        if (where.length === 0) {
          copy = addKey && copy && typeof copy === 'object' && !Array.isArray(copy) ? { ...copy, extra: value } : value;
          continue;
        }
        let parent = copy;
        for (const key of where.slice(0, -1)) parent = parent?.[key];
        if (parent && typeof parent === 'object') parent[where[where.length - 1]] = value;
      }
      return copy;
    });
}

/** One generated HTTP request. */
interface FuzzRequest {
  method: string;
  contentType: string | null;
  auth: 'admin' | 'viewer' | 'token' | 'none' | 'garbage';
  body: string | null;
  query?: string;
}

function requests(operations: DocOperation[]): fc.Arbitrary<FuzzRequest> {
  const op = fc.constantFrom(...operations);
  const auth = fc.constantFrom<FuzzRequest['auth']>('admin', 'admin', 'viewer', 'token', 'none', 'garbage');
  const json = (o: unknown) => JSON.stringify(o);
  const post = (body: fc.Arbitrary<string>) =>
    fc.record({ method: fc.constant('POST'), contentType: fc.constant('application/json'), auth, body });

  const mutatedDocument = post(
    fc.tuple(op, mutateText()).map(([o, m]) => json({ query: m(o.query), variables: o.variables })),
  );
  const mutatedVariables = post(
    fc
      .tuple(op, fc.boolean())
      .chain(([o]) => mutateVariables(o.variables).map((v) => json({ query: o.query, variables: v }))),
  );
  const both = post(
    fc
      .tuple(op, mutateText())
      .chain(([o, m]) => mutateVariables(o.variables).map((v) => json({ query: m(o.query), variables: v }))),
  );
  const envelope = post(
    fc
      .tuple(
        op,
        fc.oneof(
          fc.record({ operationName: oddValue }),
          fc.record({ query: oddValue }),
          fc.record({ variables: oddValue }),
          fc.record({ extensions: oddValue }),
          fc.record({ extensions: fc.constant({ persistedQuery: { version: 1, sha256Hash: 'abc' } }) }),
        ),
      )
      .map(([o, extra]) => json({ ...o, ...extra })),
  );
  const brokenJson = post(fc.tuple(op, mutateText()).map(([o, m]) => m(json(o))));
  const oddBody = fc.record({
    method: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
    contentType: fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/graphql',
      'application/json; charset=latin1',
      '',
      'application/json, text/html',
      null,
    ),
    auth,
    body: fc.oneof(
      fc.constant(''),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue({ maxDepth: 4 }).map(json),
      op.map(json),
    ),
  });
  // A URL cannot carry half a surrogate pair.
  const uri = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'));
  const get = fc.record({
    method: fc.constant('GET'),
    contentType: fc.constant(null),
    auth,
    body: fc.constant(null),
    query: fc.oneof(
      fc.tuple(op, mutateText()).map(([o, m]) => `?query=${uri(m(o.query))}`),
      op.map((o) => `?query=${uri(o.query)}&variables=${uri(json(o.variables ?? {}))}`),
      fc.string({ maxLength: 40 }).map((s) => `?${s}`),
      fc.constant(''),
    ),
  });
  return fc.oneof(
    { weight: 4, arbitrary: mutatedDocument },
    { weight: 3, arbitrary: mutatedVariables },
    { weight: 2, arbitrary: both },
    { weight: 1, arbitrary: envelope },
    { weight: 1, arbitrary: brokenJson },
    { weight: 1, arbitrary: oddBody },
    { weight: 1, arbitrary: get },
  );
}

// What a response must never show: a stack frame, SQL or the server's files.
const STACK = /\n\s+at \S|\bat (?:async )?[\w.<>]+ \(|Error: .*\n\s+at /;
const SQL =
  /\b(?:SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b[\s\S]{0,200}\b(?:FROM|WHERE|VALUES|RETURNING)\b|relation "\w+"|syntax error at or near|violates (?:foreign key|unique|check|not-null) constraint|QueryFailedError|pg_advisory/;
const FILE_PATH = /(?:\/work\/|\/src\/[\w-]+|\/dist\/|node_modules|\/home\/|\.tsx?:\d+|\.js:\d+)/;

describe('fuzz: malformed documents and variables from docs/api.md', () => {
  let app: TestApp;
  let firm: TestFirm;
  let token: string;
  const failures: string[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    firm = await createTestFirm(app.running.database.dataSource);
    const frameworkVersionId = await defaultFrameworkId(app.running.database.dataSource);
    const organisationId = await insertOrganisation(app.running.database.dataSource, firm.firmId);
    const assessmentId = await createAssessmentViaApi(app, firm.auth.CONSULTANT, {
      organisationId,
      frameworkVersionId,
      title: 'Fuzzed',
    });
    [{ token }] = await inviteViaApi(app, firm.auth.CONSULTANT, assessmentId, [
      { name: 'Ann', email: 'ann@example.com', role: 'EXECUTIVE' },
    ]);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it(`sends ${REQUESTS} generated requests; none answers 500, an error without a code, a stack, SQL or a path`, async () => {
    const markdown = fs.readFileSync(path.join(__dirname, '..', 'docs', 'api.md'), 'utf8');
    const operations = docOperations(markdown, '00000000-0000-4000-8000-000000000000');
    expect(operations.length).toBeGreaterThanOrEqual(40);
    // The seeds are the guide's own valid documents.
    for (const o of operations) expect(() => parse(o.query)).not.toThrow();

    const generated = fc.sample(requests(operations), { numRuns: REQUESTS, seed: SEED });
    const headersFor = (r: FuzzRequest): Record<string, string> => {
      const h: Record<string, string> = {};
      if (r.contentType !== null) h['content-type'] = r.contentType;
      if (r.method === 'GET') h['apollo-require-preflight'] = '1';
      if (r.auth === 'admin') h.authorization = `Bearer ${firm.keys.ADMIN}`;
      else if (r.auth === 'viewer') h.authorization = `Bearer ${firm.keys.VIEWER}`;
      else if (r.auth === 'token') h.authorization = `Bearer ${token}`;
      else if (r.auth === 'garbage') h.authorization = 'Bearer ssm_\u00ff not a key';
      return h;
    };
    const codes = new Map<string, number>();
    const statuses = new Map<number, number>();

    const send = async (r: FuzzRequest, index: number) => {
      const where = `#${index} ${r.method} ${r.contentType} ${(r.body ?? r.query ?? '').slice(0, 300)}`;
      let status: number;
      let text: string;
      try {
        const res = await fetch(`${app.url}/graphql${r.query ?? ''}`, {
          method: r.method,
          headers: headersFor(r),
          body: r.body === null || r.method === 'GET' ? undefined : r.body,
          signal: AbortSignal.timeout(20_000),
        });
        status = res.status;
        text = await res.text();
      } catch (err) {
        failures.push(`${where}: no answer (${(err as Error).message})`);
        return;
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) failures.push(`${where}: HTTP ${status} ${text.slice(0, 300)}`);
      if (STACK.test(text)) failures.push(`${where}: a stack trace in ${text.slice(0, 500)}`);
      if (SQL.test(text)) failures.push(`${where}: SQL in ${text.slice(0, 500)}`);
      if (FILE_PATH.test(text)) failures.push(`${where}: a file path in ${text.slice(0, 500)}`);
      if (status === 204 && text === '') return;
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        failures.push(`${where}: HTTP ${status} answered something that is not JSON: ${text.slice(0, 200)}`);
        return;
      }
      if (status !== 200 && !Array.isArray(body?.errors))
        failures.push(`${where}: HTTP ${status} without an error list: ${text.slice(0, 200)}`);
      for (const error of body?.errors ?? []) {
        const code = error?.extensions?.code;
        if (typeof code !== 'string' || typeof error.message !== 'string')
          failures.push(`${where}: an error without extensions.code: ${JSON.stringify(error).slice(0, 300)}`);
        else codes.set(code, (codes.get(code) ?? 0) + 1);
        // A masked error is a bug the fuzzer found (the server logged it with an id).
        if (code === 'INTERNAL') failures.push(`${where}: INTERNAL error ${JSON.stringify(error).slice(0, 300)}`);
      }
    };

    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < generated.length) {
          const index = next++;
          await send(generated[index], index);
        }
      }),
    );

    // Still answering.
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    const me = await app.ok('{ me { firm { name } role } }', {}, firm.auth.ADMIN);
    expect(me.me.role).toBe('ADMIN');

    if (failures.length > 0) {
      // One example of each kind of failure first, then the rest.
      const kinds = new Map<string, string>();
      for (const f of failures) kinds.set(f.slice(f.lastIndexOf('}: ') + 3, f.lastIndexOf('}: ') + 25), f);
      throw new Error(
        `${failures.length} of ${REQUESTS} requests failed:\n${[...new Set([...kinds.values(), ...failures])].slice(0, 30).join('\n')}`,
      );
    }
    // The fuzzer reached past parsing: validation, variables, authentication and resolvers all answered.
    for (const code of ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST'])
      expect(codes.get(code) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
  }, 240_000);
});
