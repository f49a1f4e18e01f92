import { startTestApp, type TestApp } from './helpers/test-app';

describe('server over HTTP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('answers a GraphQL query', async () => {
    const res = await app.gql('query Info { serverInfo { version database scoringMethod } }');
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data.serverInfo).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      database: process.env.TEST_DATABASE_URL ? 'POSTGRES' : 'EMBEDDED',
      scoringMethod: '1',
    });
  });

  it('serves /healthz and /readyz', async () => {
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok' });
  });

  it('gives every error an extensions.code', async () => {
    const unknownField = await app.gql('{ nope }');
    expect(unknownField.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const parse = await app.gql('{ serverInfo { ');
    expect(parse.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('allows introspection outside production', async () => {
    const res = await app.gql('{ __schema { queryType { name } } }');
    expect(res.data.__schema.queryType.name).toBe('Query');
  });
});

describe('server in production mode', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ config: { nodeEnv: 'production' } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('turns introspection off', async () => {
    const res = await app.gql('{ __schema { queryType { name } } }');
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('serves no landing page', async () => {
    const res = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toContain('<html');
  });
});
