import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { startTestApp, type GraphQLResponse, type TestApp } from './helpers/test-app';

const ME =
  'query Me { me { firm { id name sharesBenchmarks createdAt updatedAt } role apiKey { id name role prefix } } }';
const API_KEYS = 'query Keys { apiKeys { id name role prefix createdAt lastUsedAt revokedAt } }';
const CREATE_KEY =
  'mutation CreateKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id name role prefix createdAt lastUsedAt revokedAt } } }';
const REVOKE_KEY = 'mutation Revoke($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }';
const UPDATE_FIRM =
  'mutation Settings($input: UpdateFirmSettingsInput!) { updateFirmSettings(input: $input) { id name sharesBenchmarks } }';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const code = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;

describe('firms and API keys', () => {
  let app: TestApp;
  let firm: TestFirm;
  let other: TestFirm;

  beforeAll(async () => {
    app = await startTestApp();
    firm = await createTestFirm(app.running.database.dataSource, 'Northwind Advisory');
    other = await createTestFirm(app.running.database.dataSource, 'Other Firm');
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('tells each key its firm and role', async () => {
    for (const role of ['ADMIN', 'CONSULTANT', 'VIEWER'] as const) {
      const res = await app.gql(ME, {}, firm.auth[role]);
      expect(res.errors).toBeUndefined();
      expect(res.data.me.firm).toMatchObject({ id: firm.firmId, name: 'Northwind Advisory', sharesBenchmarks: false });
      expect(res.data.me.role).toBe(role);
      expect(res.data.me.apiKey.role).toBe(role);
      expect(firm.keys[role].startsWith(res.data.me.apiKey.prefix)).toBe(true);
    }
  });

  it('answers UNAUTHENTICATED for a missing, malformed or unknown key', async () => {
    expect(code(await app.gql(ME))).toBe('UNAUTHENTICATED');
    expect(code(await app.gql(ME, {}, { authorization: firm.keys.ADMIN }))).toBe('UNAUTHENTICATED');
    expect(code(await app.gql(ME, {}, { authorization: 'Bearer not-a-key' }))).toBe('UNAUTHENTICATED');
    // Right form, but no such key.
    const unknown = `ssm_${'A'.repeat(43)}`;
    expect(code(await app.gql(ME, {}, bearer(unknown)))).toBe('UNAUTHENTICATED');
  });

  it('lets only ADMIN manage keys and settings (FORBIDDEN for lower roles)', async () => {
    for (const role of ['CONSULTANT', 'VIEWER'] as const) {
      expect(code(await app.gql(API_KEYS, {}, firm.auth[role]))).toBe('FORBIDDEN');
      expect(code(await app.gql(CREATE_KEY, { input: { name: 'x', role: 'VIEWER' } }, firm.auth[role]))).toBe(
        'FORBIDDEN',
      );
      expect(code(await app.gql(UPDATE_FIRM, { input: { sharesBenchmarks: true } }, firm.auth[role]))).toBe(
        'FORBIDDEN',
      );
      expect(code(await app.gql(REVOKE_KEY, { id: '00000000-0000-4000-8000-000000000000' }, firm.auth[role]))).toBe(
        'FORBIDDEN',
      );
    }
  });

  it("lists the firm's keys without secrets or hashes", async () => {
    const res = await app.gql(API_KEYS, {}, firm.auth.ADMIN);
    expect(res.errors).toBeUndefined();
    expect(res.data.apiKeys.map((k: any) => k.role).sort()).toEqual(['ADMIN', 'CONSULTANT', 'VIEWER']);
    const text = JSON.stringify(res.data);
    for (const key of Object.values(firm.keys)) expect(text).not.toContain(key);
    for (const key of Object.values(other.keys)) expect(text).not.toContain(key.slice(0, 12));
    // The ADMIN key was used by this very request.
    const admin = res.data.apiKeys.find((k: any) => k.role === 'ADMIN');
    expect(admin.lastUsedAt).not.toBeNull();
    expect(admin.revokedAt).toBeNull();
  });

  it('creates a key whose secret is shown once and works at its role', async () => {
    const res = await app.gql(
      CREATE_KEY,
      { input: { name: '  Client portal  ', role: 'CONSULTANT' } },
      firm.auth.ADMIN,
    );
    expect(res.errors).toBeUndefined();
    const { secret, apiKey } = res.data.createApiKey;
    expect(secret).toMatch(/^ssm_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: 'Client portal', role: 'CONSULTANT', lastUsedAt: null, revokedAt: null });
    expect(secret.startsWith(apiKey.prefix)).toBe(true);

    const me = await app.gql(ME, {}, bearer(secret));
    expect(me.data.me).toMatchObject({ firm: { id: firm.firmId }, role: 'CONSULTANT', apiKey: { id: apiKey.id } });
    expect(code(await app.gql(API_KEYS, {}, bearer(secret)))).toBe('FORBIDDEN');

    const list = await app.gql(API_KEYS, {}, firm.auth.ADMIN);
    expect(list.data.apiKeys.map((k: any) => k.id)).toContain(apiKey.id);
    expect(JSON.stringify(list.data)).not.toContain(secret);
  });

  it('rejects bad key input, naming each field, without echoing it', async () => {
    const res = await app.gql(
      CREATE_KEY,
      { input: { name: 'secret-name-'.repeat(10), role: 'ADMIN' } },
      firm.auth.ADMIN,
    );
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions!.problems).toEqual([{ path: 'input.name', message: expect.any(String) }]);
    expect(JSON.stringify(res.errors)).not.toContain('secret-name-');

    const blank = await app.gql(CREATE_KEY, { input: { name: '   ', role: 'ADMIN' } }, firm.auth.ADMIN);
    expect(blank.errors![0].extensions!.problems).toEqual([
      { path: 'input.name', message: expect.stringContaining('empty') },
    ]);

    const control = await app.gql(CREATE_KEY, { input: { name: 'line\nbreak', role: 'ADMIN' } }, firm.auth.ADMIN);
    expect(control.errors![0].extensions!.problems).toEqual([
      { path: 'input.name', message: expect.stringContaining('control characters') },
    ]);

    const role = await app.gql(CREATE_KEY, { input: { name: 'x', role: 'OWNER' } }, firm.auth.ADMIN);
    expect(code(role)).toBe('BAD_USER_INPUT');
  });

  it('revokes a key: its next request is UNAUTHENTICATED, a second revoke is CONFLICT', async () => {
    const created = await app.gql(CREATE_KEY, { input: { name: 'to revoke', role: 'VIEWER' } }, firm.auth.ADMIN);
    const { secret, apiKey } = created.data.createApiKey;
    expect((await app.gql(ME, {}, bearer(secret))).errors).toBeUndefined();

    const revoked = await app.gql(REVOKE_KEY, { id: apiKey.id }, firm.auth.ADMIN);
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data.revokeApiKey.revokedAt).not.toBeNull();
    expect(code(await app.gql(ME, {}, bearer(secret)))).toBe('UNAUTHENTICATED');

    expect(code(await app.gql(REVOKE_KEY, { id: apiKey.id }, firm.auth.ADMIN))).toBe('CONFLICT');
    const listed = (await app.gql(API_KEYS, {}, firm.auth.ADMIN)).data.apiKeys.find((k: any) => k.id === apiKey.id);
    expect(listed.revokedAt).toBe(revoked.data.revokeApiKey.revokedAt);
  });

  it('lets an ADMIN revoke the key it is using', async () => {
    const created = await app.gql(
      CREATE_KEY,
      { input: { name: 'self-revoking admin', role: 'ADMIN' } },
      firm.auth.ADMIN,
    );
    const { secret, apiKey } = created.data.createApiKey;
    const res = await app.gql(REVOKE_KEY, { id: apiKey.id }, bearer(secret));
    expect(res.errors).toBeUndefined();
    expect(code(await app.gql(ME, {}, bearer(secret)))).toBe('UNAUTHENTICATED');
    // The firm's other keys are untouched.
    expect((await app.gql(ME, {}, firm.auth.ADMIN)).errors).toBeUndefined();
  });

  it("keeps the firm's last active ADMIN key, even against two ADMINs revoking each other at once", async () => {
    const lone = await createTestFirm(app.running.database.dataSource);
    const keys = (await app.gql(API_KEYS, {}, lone.auth.ADMIN)).data.apiKeys;
    const adminKey = keys.find((k: any) => k.role === 'ADMIN' && !k.revokedAt);
    const last = await app.gql(REVOKE_KEY, { id: adminKey.id }, lone.auth.ADMIN);
    expect(code(last)).toBe('CONFLICT');
    expect(last.errors![0].message).toMatch(/last active ADMIN key/);
    expect((await app.gql(ME, {}, lone.auth.ADMIN)).errors).toBeUndefined();

    // With a second ADMIN key, either may go; then the other is the last one.
    const second = (await app.gql(CREATE_KEY, { input: { name: 'second admin', role: 'ADMIN' } }, lone.auth.ADMIN)).data
      .createApiKey;
    // Sent together; the interleaving is not controlled, so this checks the outcome, not the lock.
    const pending = Promise.all([
      app.gql(REVOKE_KEY, { id: second.apiKey.id }, lone.auth.ADMIN),
      app.gql(REVOKE_KEY, { id: adminKey.id }, bearer(second.secret)),
    ]);
    const both = await pending;
    expect(both.filter((r) => !r.errors)).toHaveLength(1);
    const active = await app.running.database.dataSource.query(
      "SELECT count(*)::int AS n FROM api_key WHERE firm_id = $1 AND role = 'ADMIN' AND revoked_at IS NULL",
      [lone.firmId],
    );
    expect(active).toEqual([{ n: 1 }]);
  });

  it("answers NOT_FOUND for an unknown, malformed or other firm's key id", async () => {
    expect(code(await app.gql(REVOKE_KEY, { id: '00000000-0000-4000-8000-000000000000' }, firm.auth.ADMIN))).toBe(
      'NOT_FOUND',
    );
    expect(code(await app.gql(REVOKE_KEY, { id: 'not-a-uuid' }, firm.auth.ADMIN))).toBe('NOT_FOUND');
    const otherKeys = await app.gql(API_KEYS, {}, other.auth.ADMIN);
    const otherViewer = otherKeys.data.apiKeys.find((k: any) => k.role === 'VIEWER');
    expect(code(await app.gql(REVOKE_KEY, { id: otherViewer.id }, firm.auth.ADMIN))).toBe('NOT_FOUND');
    expect((await app.gql(ME, {}, other.auth.VIEWER)).errors).toBeUndefined();
  });

  it('updates the firm settings, leaving out fields unchanged', async () => {
    const both = await app.gql(
      UPDATE_FIRM,
      { input: { name: ' Northwind Partners ', sharesBenchmarks: true } },
      firm.auth.ADMIN,
    );
    expect(both.errors).toBeUndefined();
    expect(both.data.updateFirmSettings).toEqual({
      id: firm.firmId,
      name: 'Northwind Partners',
      sharesBenchmarks: true,
    });

    const one = await app.gql(UPDATE_FIRM, { input: { sharesBenchmarks: false } }, firm.auth.ADMIN);
    expect(one.data.updateFirmSettings).toEqual({
      id: firm.firmId,
      name: 'Northwind Partners',
      sharesBenchmarks: false,
    });

    const me = await app.gql(ME, {}, firm.auth.VIEWER);
    expect(me.data.me.firm).toMatchObject({ name: 'Northwind Partners', sharesBenchmarks: false });
    // The other firm is untouched.
    expect((await app.gql(ME, {}, other.auth.VIEWER)).data.me.firm.name).toBe('Other Firm');

    const bad = await app.gql(UPDATE_FIRM, { input: { name: '' } }, firm.auth.ADMIN);
    expect(code(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].extensions!.problems[0].path).toBe('input.name');
  });
});
