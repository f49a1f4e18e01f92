import { startTestApp, type TestApp } from './helpers/test-app';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import {
  createAssessmentViaApi,
  defaultFrameworkId,
  insertOrganisation,
  inviteViaApi,
  tokenAuth,
} from './helpers/assessment-fixtures';

/** One raw HTTP exchange with /graphql, its body parsed when it is JSON. */
async function raw(
  url: string,
  init: RequestInit & { path?: string } = {},
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const res = await fetch(`${url}${init.path ?? '/graphql'}`, init);
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** The one error shape: a list of errors, each with a message and extensions.code, and no stack. */
function expectErrorShape(body: any, code: string): void {
  expect(body).toEqual({
    errors: [expect.objectContaining({ message: expect.any(String), extensions: expect.objectContaining({ code }) })],
  });
  expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.js:\d+|node_modules|\/src\//);
}

describe('one error shape for every /graphql response', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ config: { bodyLimitBytes: 64 * 1024 } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  const json = { 'content-type': 'application/json' };

  it.each([
    ['invalid JSON', { method: 'POST', headers: json, body: '{"query": ' }, 400, 'BAD_REQUEST'],
    ['an empty body', { method: 'POST', headers: json, body: '' }, 400, 'BAD_REQUEST'],
    ['an empty object', { method: 'POST', headers: json, body: '{}' }, 400, 'BAD_REQUEST'],
    ['a JSON string', { method: 'POST', headers: json, body: '"query"' }, 400, 'BAD_REQUEST'],
    [
      'a batch',
      { method: 'POST', headers: json, body: '[{"query": "{ serverInfo { version } }"}]' },
      400,
      'BAD_REQUEST',
    ],
    ['a query that is not a string', { method: 'POST', headers: json, body: '{"query": 1}' }, 400, 'BAD_REQUEST'],
    [
      'a form body',
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=x' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'an XML body',
      { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<q/>' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'plain text (a CSRF risk)',
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{ serverInfo { version } }' },
      400,
      'BAD_REQUEST',
    ],
    ['a GET without a query', { method: 'GET', headers: { 'apollo-require-preflight': '1' } }, 400, 'BAD_REQUEST'],
    [
      'a persisted-query hash that does not match',
      {
        method: 'POST',
        headers: json,
        body: '{"query": "{ serverInfo { version } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}}',
      },
      400,
      'BAD_REQUEST',
    ],
    [
      'a persisted-query version that does not exist',
      {
        method: 'POST',
        headers: json,
        body: '{"query": "{ serverInfo { version } }", "extensions": {"persistedQuery": {"version": 9, "sha256Hash": "abc"}}}',
      },
      400,
      'BAD_REQUEST',
    ],
    ['a PUT', { method: 'PUT', headers: json, body: '{}' }, 405, 'METHOD_NOT_ALLOWED'],
    ['a DELETE', { method: 'DELETE' }, 405, 'METHOD_NOT_ALLOWED'],
    ['a PATCH', { method: 'PATCH', headers: json, body: '{}' }, 405, 'METHOD_NOT_ALLOWED'],
  ])('%s', async (_name, init, status, code) => {
    const res = await raw(app.url, init);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expectErrorShape(res.body, code);
  });

  it('refuses an oversize body with 413 and the limit', async () => {
    const res = await raw(app.url, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: `{ serverInfo { version } } # ${'x'.repeat(70 * 1024)}` }),
    });
    expect(res.status).toBe(413);
    expectErrorShape(res.body, 'PAYLOAD_TOO_LARGE');
    expect(res.body.errors[0].extensions.limit).toBe(64 * 1024);
  });

  it('answers an unknown path in the same shape', async () => {
    const res = await raw(app.url, { path: '/nothing-here' });
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 'NOT_FOUND');
  });

  it('tells a link token used as an API key, and an API key used as a link token, what they are', async () => {
    const firm = await createTestFirm(app.running.database.dataSource);
    const frameworkVersionId = await defaultFrameworkId(app.running.database.dataSource);
    const organisationId = await insertOrganisation(app.running.database.dataSource, firm.firmId);
    const assessmentId = await createAssessmentViaApi(app, firm.auth.CONSULTANT, {
      organisationId,
      frameworkVersionId,
      title: 'Hardening',
    });
    const [invitation] = await inviteViaApi(app, firm.auth.CONSULTANT, assessmentId, [
      { name: 'Ann', email: 'ann@example.com', role: 'EXECUTIVE' },
    ]);

    const asKey = await app.gql('{ me { role } }', {}, tokenAuth(invitation.token));
    expect(asKey.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(asKey.errors?.[0].message).toMatch(/respondent link token.*not an API key/);

    const asToken = await app.gql('{ questionnaire { assessmentTitle } }', {}, firm.auth.ADMIN);
    expect(asToken.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(asToken.errors?.[0].message).toMatch(/API key.*not a respondent link token/);
  });
});

describe('query limits', () => {
  let app: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    app = await startTestApp();
    firm = await createTestFirm(app.running.database.dataSource);
  });
  afterAll(async () => {
    await app?.stop();
  });

  async function expectLimit(query: string, code: string, variables?: Record<string, unknown>) {
    const calls = await app.running.database.dataSource.query(
      'SELECT last_used_at FROM api_key WHERE firm_id = $1 ORDER BY id',
      [firm.firmId],
    );
    const res = await app.gql(query, variables, firm.auth.ADMIN);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors?.map((e) => e.extensions?.code)).toContain(code);
    const error = res.errors!.find((e) => e.extensions?.code === code)!;
    expect(error.extensions).toEqual({ code, limit: expect.any(Number), actual: expect.any(Number) });
    expect(error.extensions!.actual).toBeGreaterThan(error.extensions!.limit);
    // No resolver ran: the key was not even looked up (its last use is unchanged).
    expect(
      await app.running.database.dataSource.query('SELECT last_used_at FROM api_key WHERE firm_id = $1 ORDER BY id', [
        firm.firmId,
      ]),
    ).toEqual(calls);
    return error;
  }

  it('refuses 2,000 aliases of `me` quickly, before any resolver runs', async () => {
    const query = `{ ${Array.from({ length: 2000 }, (_, i) => `a${i}: me { role }`).join(' ')} }`;
    const started = process.hrtime.bigint();
    const error = await expectLimit(query, 'TOO_MANY_ALIASES');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(error.extensions).toEqual({ code: 'TOO_MANY_ALIASES', limit: 30, actual: 2000 });
    // It took 2.7 s before the limits; the answer now comes from validation alone.
    expect(ms).toBeLessThan(2500);
  });

  it('counts aliases, depth and root fields through fragments and inline fragments', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `x${i}: role`).join(' ');
    await expectLimit(
      `query { me { ...F ... on Me { ${aliases} } } } fragment F on Me { ${aliases} }`,
      'TOO_MANY_ALIASES',
    );
    await expectLimit(
      `{ ${Array.from({ length: 21 }, () => '...R').join(' ')} } fragment R on Query { serverInfo { version } }`,
      'TOO_MANY_ROOT_FIELDS',
    );
    // 21 distinct root fields via an inline fragment.
    await expectLimit(
      `{ ... on Query { ${Array.from({ length: 21 }, (_, i) => `s${i}: serverInfo { version }`).join(' ')} } }`,
      'TOO_MANY_ROOT_FIELDS',
    );
  });

  it('refuses a query nested too deep, also when the depth is in a fragment', async () => {
    // The schema has no cycle of object fields; introspection's ofType can be nested at will.
    let nested = 'name';
    for (let i = 0; i < 20; i++) nested = `ofType { ${nested} }`;
    const error = await expectLimit(
      `query { __type(name: "Query") { ...Deep } } fragment Deep on __Type { ${nested} }`,
      'QUERY_TOO_DEEP',
    );
    expect(error.message).toMatch(/nested \d+ fields deep; the limit is 15/);
  });

  it('refuses an operation whose estimated cost is too high (lists by their first, results and benchmarks weighted)', async () => {
    // Per assessment: 1 + 24 + 32 + 32 + 32 + 8 (results weigh 20 each, lists 10 items): 129, so 100 of them cost 13,001.
    const results =
      'a: result { overall { level { code } } } b: result { dimensions { code } } c: result { recommendations { code } } d: result { questions { code } } organisation { latestResult { overallLevel } }';
    const error = await expectLimit(
      `{ assessments(first: 100) { edges { node { ${results} } } } }`,
      'QUERY_TOO_COSTLY',
    );
    expect(error.message).toMatch(/estimated cost of \d+; the limit is 10000/);
    // The same with 20 items is fine.
    expect(
      (await app.gql(`{ assessments(first: 20) { edges { node { ${results} } } } }`, {}, firm.auth.VIEWER)).errors,
    ).toBeUndefined();
    // A variable `first` is counted as the largest page (100), whatever its value.
    await expectLimit(
      `query ($n: Int) { assessments(first: $n) { edges { node { ${results} } } } }`,
      'QUERY_TOO_COSTLY',
      { n: 1 },
    );
  });

  it('does not hang on a fragment cycle', async () => {
    const res = await app.gql(
      '{ me { ...A } } fragment A on Me { role ...B } fragment B on Me { role ...A }',
      {},
      firm.auth.ADMIN,
    );
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('lets ordinary operations and the explorer’s introspection through', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const introspection = await app.gql(
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
      }),
    );
    expect(introspection.errors).toBeUndefined();
    expect(introspection.data.__schema.queryType.name).toBe('Query');
    const ok = await app.gql(
      '{ me { role firm { name } } assessments(first: 50) { edges { node { result { overall { level { code } } } } } } }',
      {},
      firm.auth.ADMIN,
    );
    expect(ok.errors).toBeUndefined();
  });

  it('takes its limits from the configuration', async () => {
    const strict = await startTestApp({
      config: { queryLimits: { maxDepth: 2, maxAliases: 0, maxRootFields: 1, maxCost: 3 } },
    });
    try {
      const deep = await strict.gql('{ serverInfo { version } industries { code } }');
      expect(deep.status).toBe(400);
      expect(deep.errors?.map((e) => e.extensions?.code).sort()).toEqual(['QUERY_TOO_COSTLY', 'TOO_MANY_ROOT_FIELDS']);
      const alias = await strict.gql('{ s: serverInfo { version } }');
      expect(alias.errors?.map((e) => e.extensions?.code)).toEqual(['TOO_MANY_ALIASES']);
      expect((await strict.gql('{ serverInfo { version } }')).errors).toBeUndefined();
    } finally {
      await strict.stop();
    }
  });
});

describe('CORS', () => {
  let app: TestApp;
  let portal: TestFirm;
  let other: TestFirm;
  beforeAll(async () => {
    app = await startTestApp({ config: { corsOrigins: ['https://everyone.example'] } });
    portal = await createTestFirm(app.running.database.dataSource, 'Portal firm');
    other = await createTestFirm(app.running.database.dataSource, 'Other firm');
  });
  afterAll(async () => {
    await app?.stop();
  });

  const preflight = (origin: string) =>
    raw(app.url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
  const call = (origin: string, auth: Record<string, string>, query = '{ me { firm { name } } }') =>
    raw(app.url, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ query }),
    });

  it('validates and normalises a firm’s origins', async () => {
    const bad = await app.gql(
      'mutation ($o: [String!]!) { updateFirmSettings(input: { corsOrigins: $o }) { corsOrigins } }',
      { o: ['https://portal.example.com/app'] },
      portal.auth.ADMIN,
    );
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].message).toMatch(/without a path/);
    for (const wrong of ['*', 'ftp://x.example', 'portal.example.com', 'https://user:pw@x.example']) {
      const res = await app.gql(
        'mutation ($o: [String!]!) { updateFirmSettings(input: { corsOrigins: $o }) { corsOrigins } }',
        { o: [wrong] },
        portal.auth.ADMIN,
      );
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const data = await app.ok(
      'mutation ($o: [String!]!) { updateFirmSettings(input: { corsOrigins: $o }) { corsOrigins } }',
      { o: ['HTTPS://Portal.Example.COM:443', 'https://portal.example.com', 'http://localhost:3000'] },
      portal.auth.ADMIN,
    );
    expect(data.updateFirmSettings.corsOrigins).toEqual(['https://portal.example.com', 'http://localhost:3000']);
    const consultant = await app.gql(
      'mutation { updateFirmSettings(input: { corsOrigins: [] }) { id } }',
      {},
      portal.auth.CONSULTANT,
    );
    expect(consultant.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('answers a preflight for an allowed origin and refuses an unknown one', async () => {
    const ok = await preflight('https://portal.example.com');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://portal.example.com');
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(ok.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(ok.headers.get('vary')).toMatch(/Origin/);
    const server = await preflight('https://everyone.example');
    expect(server.headers.get('access-control-allow-origin')).toBe('https://everyone.example');
    const unknown = await preflight('https://evil.example');
    expect(unknown.status).toBe(403);
    expect(unknown.headers.get('access-control-allow-origin')).toBeNull();
    expectErrorShape(unknown.body, 'CORS_ORIGIN_NOT_ALLOWED');
  });

  it('serves the firm’s keys to its origin, and refuses another firm’s keys from it', async () => {
    const mine = await call('https://portal.example.com', portal.auth.VIEWER);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('access-control-allow-origin')).toBe('https://portal.example.com');
    expect(mine.body.data.me.firm.name).toBe('Portal firm');

    const theirs = await call('https://portal.example.com', other.auth.VIEWER);
    expect(theirs.body.data).toBeNull();
    expect(theirs.body.errors[0].extensions.code).toBe('CORS_ORIGIN_NOT_ALLOWED');
    expect(JSON.stringify(theirs.body)).not.toContain('Other firm');

    // The server setting allows its origins for every firm.
    const everyone = await call('https://everyone.example', other.auth.VIEWER);
    expect(everyone.body.data.me.firm.name).toBe('Other firm');
    expect(everyone.headers.get('access-control-allow-origin')).toBe('https://everyone.example');
  });

  it('refuses an unknown origin without CORS headers and without running the operation', async () => {
    const res = await call('https://evil.example', portal.auth.VIEWER);
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expectErrorShape(res.body, 'CORS_ORIGIN_NOT_ALLOWED');
    const malformed = await call('null', portal.auth.VIEWER);
    expect(malformed.status).toBe(403);
  });

  it('leaves same-origin requests and requests without Origin alone', async () => {
    const host = new URL(app.url).host;
    const same = await call(`http://${host}`, portal.auth.VIEWER);
    expect(same.status).toBe(200);
    expect(same.body.data.me.firm.name).toBe('Portal firm');
    const none = await raw(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...other.auth.VIEWER },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    expect(none.body.data.me.role).toBe('VIEWER');
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('stops allowing an origin as soon as the firm removes it', async () => {
    await app.ok('mutation { updateFirmSettings(input: { corsOrigins: [] }) { corsOrigins } }', {}, portal.auth.ADMIN);
    expect((await preflight('https://portal.example.com')).status).toBe(403);
    expect((await call('https://portal.example.com', portal.auth.VIEWER)).status).toBe(403);
  });
});
