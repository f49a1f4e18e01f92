import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { startTestApp, type GraphQLResponse, type TestApp } from './helpers/test-app';

const FIELDS =
  'id name industry { code name } sizeBand country excludedFromBenchmarks archivedAt createdAt updatedAt version';
const CREATE = `mutation Create($input: CreateOrganisationInput!) { createOrganisation(input: $input) { ${FIELDS} } }`;
const GET = `query Get($id: ID!, $locale: Locale! = EN) { organisation(id: $id) { ${FIELDS} ru: industry(locale: $locale) { name } } }`;
const UPDATE = `mutation Update($id: ID!, $input: UpdateOrganisationInput!, $expectedVersion: Int) { updateOrganisation(id: $id, input: $input, expectedVersion: $expectedVersion) { ${FIELDS} } }`;
const ARCHIVE = `mutation Archive($id: ID!) { archiveOrganisation(id: $id) { id archivedAt version } }`;
const UNARCHIVE = `mutation Unarchive($id: ID!) { unarchiveOrganisation(id: $id) { id archivedAt version } }`;
const EXCLUDE = `mutation Exclude($id: ID!, $excluded: Boolean!) { setOrganisationBenchmarkExclusion(id: $id, excluded: $excluded) { id excludedFromBenchmarks version } }`;
const LIST = `query List($filter: OrganisationFilter, $first: Int, $after: String) {
  organisations(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name country sizeBand archivedAt } }
  }
}`;

const code = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;
const problems = (res: GraphQLResponse) =>
  res.errors?.[0]?.extensions?.problems as Array<{ path: string; message: string }>;

describe('organisations', () => {
  let app: TestApp;
  let firm: TestFirm;
  let other: TestFirm;

  const create = async (input: Record<string, unknown>, as: TestFirm = firm) => {
    const res = await app.gql(CREATE, { input }, as.auth.CONSULTANT);
    expect(res.errors).toBeUndefined();
    return res.data.createOrganisation;
  };
  const list = async (variables: Record<string, unknown>, as: TestFirm = firm) => {
    const res = await app.gql(LIST, variables, as.auth.VIEWER);
    expect(res.errors).toBeUndefined();
    return res.data.organisations;
  };

  beforeAll(async () => {
    app = await startTestApp();
    firm = await createTestFirm(app.running.database.dataSource, 'Firm A');
    other = await createTestFirm(app.running.database.dataSource, 'Firm B');
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('creates an organisation, trimming the name and upper-casing the codes', async () => {
    const org = await create({ name: '  Contoso Retail  ', industry: 'g', sizeBand: 'S250_999', country: 'de' });
    expect(org).toMatchObject({
      name: 'Contoso Retail',
      industry: { code: 'G', name: 'Wholesale and retail trade; repair of motor vehicles and motorcycles' },
      sizeBand: 'S250_999',
      country: 'DE',
      excludedFromBenchmarks: false,
      archivedAt: null,
      version: 1,
    });
    expect(org.id).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await app.running.database.dataSource.query(
      'SELECT size_band, industry, country FROM organisation WHERE id = $1',
      [org.id],
    );
    expect(stored[0]).toEqual({ size_band: '250-999', industry: 'G', country: 'DE' });

    const read = await app.gql(GET, { id: org.id, locale: 'RU' }, firm.auth.VIEWER);
    expect(read.errors).toBeUndefined();
    expect(read.data.organisation).toMatchObject({
      id: org.id,
      name: 'Contoso Retail',
      ru: { name: 'Торговля оптовая и розничная; ремонт автотранспортных средств и мотоциклов' },
    });
  });

  it('needs CONSULTANT to write and any role to read', async () => {
    const input = { name: 'Viewer Co', industry: 'C', sizeBand: 'S1_9', country: 'FR' };
    const denied = await app.gql(CREATE, { input }, firm.auth.VIEWER);
    expect(code(denied)).toBe('FORBIDDEN');
    expect(code(await app.gql(CREATE, { input }))).toBe('UNAUTHENTICATED');
    const admin = await app.gql(CREATE, { input: { ...input, name: 'Admin Co' } }, firm.auth.ADMIN);
    expect(admin.errors).toBeUndefined();
    const id = admin.data.createOrganisation.id;
    for (const mutation of [ARCHIVE, UNARCHIVE])
      expect(code(await app.gql(mutation, { id }, firm.auth.VIEWER))).toBe('FORBIDDEN');
    expect(code(await app.gql(UPDATE, { id, input: { name: 'x' } }, firm.auth.VIEWER))).toBe('FORBIDDEN');
    expect(code(await app.gql(EXCLUDE, { id, excluded: true }, firm.auth.VIEWER))).toBe('FORBIDDEN');
    expect((await app.gql(GET, { id }, firm.auth.VIEWER)).data.organisation.name).toBe('Admin Co');
  });

  it('names every problem of a bad input by its path, without echoing the input', async () => {
    const res = await app.gql(
      CREATE,
      { input: { name: 'leaky-value-'.repeat(20), industry: 'Z', sizeBand: 'S1_9', country: 'XX' } },
      firm.auth.CONSULTANT,
    );
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(
      problems(res)
        .map((p) => p.path)
        .sort(),
    ).toEqual(['input.country', 'input.industry', 'input.name']);
    expect(JSON.stringify(res.errors)).not.toContain('leaky-value-');

    const blank = await app.gql(
      CREATE,
      { input: { name: '  ', industry: 'A', sizeBand: 'S1_9', country: 'UK' } },
      firm.auth.CONSULTANT,
    );
    expect(
      problems(blank)
        .map((p) => p.path)
        .sort(),
    ).toEqual(['input.country', 'input.name']);

    const band = await app.gql(
      CREATE,
      { input: { name: 'x', industry: 'A', sizeBand: '1-9', country: 'GB' } },
      firm.auth.CONSULTANT,
    );
    expect(code(band)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(band.errors)).not.toContain('"1-9"');

    const filter = await app.gql(LIST, { filter: { country: 'QQ' }, first: 0 }, firm.auth.VIEWER);
    expect(code(filter)).toBe('BAD_USER_INPUT');
    expect(
      problems(filter)
        .map((p) => p.path)
        .sort(),
    ).toEqual(['filter.country', 'first']);

    for (const after of [
      'garbage',
      Buffer.from(JSON.stringify(['a\u0000', '00000000-0000-4000-8000-000000000000'])).toString('base64url'),
    ]) {
      const cursor = await app.gql(LIST, { after }, firm.auth.VIEWER);
      expect(code(cursor)).toBe('BAD_USER_INPUT');
      expect(problems(cursor)).toEqual([{ path: 'after', message: expect.any(String) }]);
    }

    // Control characters (PostgreSQL refuses NUL) are bad input, not a server error.
    const nul = await app.gql(
      CREATE,
      { input: { name: 'a\u0000b', industry: 'A', sizeBand: 'S1_9', country: 'DE' } },
      firm.auth.CONSULTANT,
    );
    expect(problems(nul)).toEqual([{ path: 'input.name', message: expect.stringContaining('control characters') }]);
    const search = await app.gql(LIST, { filter: { nameContains: 'x\u0000' } }, firm.auth.VIEWER);
    expect(problems(search)).toEqual([
      { path: 'filter.nameContains', message: expect.stringContaining('control characters') },
    ]);
    // The length counts without the spaces around the name, as it is stored.
    const padded = await app.gql(
      CREATE,
      { input: { name: `   ${'n'.repeat(200)}   `, industry: 'A', sizeBand: 'S1_9', country: 'DE' } },
      firm.auth.CONSULTANT,
    );
    expect(padded.errors).toBeUndefined();
    expect(padded.data.createOrganisation.name).toBe('n'.repeat(200));
  });

  it('updates with optimistic concurrency: a stale expectedVersion is CONFLICT', async () => {
    const org = await create({ name: 'Fabrikam', industry: 'C', sizeBand: 'S50_249', country: 'NL' });
    const first = await app.gql(
      UPDATE,
      { id: org.id, input: { name: 'Fabrikam Group', sizeBand: 'S1000_PLUS' }, expectedVersion: 1 },
      firm.auth.CONSULTANT,
    );
    expect(first.errors).toBeUndefined();
    expect(first.data.updateOrganisation).toMatchObject({
      name: 'Fabrikam Group',
      sizeBand: 'S1000_PLUS',
      country: 'NL',
      industry: { code: 'C' },
      version: 2,
    });
    expect(new Date(first.data.updateOrganisation.updatedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(org.updatedAt).getTime(),
    );

    const stale = await app.gql(
      UPDATE,
      { id: org.id, input: { country: 'BE' }, expectedVersion: 1 },
      firm.auth.CONSULTANT,
    );
    expect(code(stale)).toBe('CONFLICT');
    expect(stale.errors![0].extensions!.currentVersion).toBe(2);
    expect((await app.gql(GET, { id: org.id }, firm.auth.VIEWER)).data.organisation).toMatchObject({
      country: 'NL',
      version: 2,
    });

    // Without expectedVersion the change applies to the current version.
    const blind = await app.gql(UPDATE, { id: org.id, input: { country: 'be', industry: 'j' } }, firm.auth.CONSULTANT);
    expect(blind.data.updateOrganisation).toMatchObject({
      country: 'BE',
      industry: { code: 'J' },
      name: 'Fabrikam Group',
      version: 3,
    });

    // Concurrent writers holding the same version: exactly one wins.
    const racers = await Promise.all(
      ['Racer 1', 'Racer 2', 'Racer 3'].map((name) =>
        app.gql(UPDATE, { id: org.id, input: { name }, expectedVersion: 3 }, firm.auth.CONSULTANT),
      ),
    );
    expect(racers.filter((r) => !r.errors)).toHaveLength(1);
    expect(racers.filter((r) => code(r) === 'CONFLICT')).toHaveLength(2);
    expect((await app.gql(GET, { id: org.id }, firm.auth.VIEWER)).data.organisation.version).toBe(4);
  });

  it('archives and unarchives, with CONFLICT for a repeat', async () => {
    const org = await create({ name: 'Archivable', industry: 'P', sizeBand: 'S10_49', country: 'SE' });
    const archived = await app.gql(ARCHIVE, { id: org.id }, firm.auth.CONSULTANT);
    expect(archived.data.archiveOrganisation.archivedAt).not.toBeNull();
    expect(archived.data.archiveOrganisation.version).toBe(2);
    expect(code(await app.gql(ARCHIVE, { id: org.id }, firm.auth.CONSULTANT))).toBe('CONFLICT');

    const hidden = await list({ filter: { nameContains: 'Archivable' } });
    expect(hidden.totalCount).toBe(0);
    const shown = await list({ filter: { nameContains: 'Archivable', includeArchived: true } });
    expect(shown.edges.map((e: any) => e.node.id)).toEqual([org.id]);
    // Reading it by id still works.
    expect((await app.gql(GET, { id: org.id }, firm.auth.VIEWER)).data.organisation.archivedAt).not.toBeNull();

    const back = await app.gql(UNARCHIVE, { id: org.id }, firm.auth.CONSULTANT);
    expect(back.data.unarchiveOrganisation).toMatchObject({ archivedAt: null, version: 3 });
    expect(code(await app.gql(UNARCHIVE, { id: org.id }, firm.auth.CONSULTANT))).toBe('CONFLICT');
    expect((await list({ filter: { nameContains: 'Archivable' } })).totalCount).toBe(1);
  });

  it('sets the benchmark exclusion', async () => {
    const org = await create({
      name: 'Excluded Ltd',
      industry: 'K',
      sizeBand: 'S10_49',
      country: 'GB',
      excludedFromBenchmarks: true,
    });
    expect(org.excludedFromBenchmarks).toBe(true);
    const off = await app.gql(EXCLUDE, { id: org.id, excluded: false }, firm.auth.CONSULTANT);
    expect(off.data.setOrganisationBenchmarkExclusion).toEqual({
      id: org.id,
      excludedFromBenchmarks: false,
      version: 2,
    });
    const same = await app.gql(EXCLUDE, { id: org.id, excluded: false }, firm.auth.CONSULTANT);
    expect(same.data.setOrganisationBenchmarkExclusion.version).toBe(2);
  });

  it('carries the benchmark exclusion to the benchmark rows already stored for the organisation', async () => {
    const org = await create({ name: 'Benchmarked Ltd', industry: 'K', sizeBand: 'S10_49', country: 'GB' });
    const other = await create({ name: 'Bystander Ltd', industry: 'K', sizeBand: 'S10_49', country: 'GB' });
    const ds = app.running.database.dataSource;
    for (const [orgId, dim] of [
      [org.id, 'D1'],
      [org.id, 'D2'],
      [other.id, 'D1'],
    ]) {
      await ds.query(
        `INSERT INTO benchmark_score (firm_id, assessment_id, dimension_code, organisation_id, framework_key, framework_major, score,
           industry, size_band, country, is_latest, excluded, closed_at)
         VALUES ($1, $2, $3, $4, 'fw', 1, 50, 'K', '10-49', 'GB', true, false, now())`,
        [
          firm.firmId,
          orgId === org.id ? '00000000-0000-4000-8000-0000000000a1' : '00000000-0000-4000-8000-0000000000a2',
          dim,
          orgId,
        ],
      );
    }
    const flags = async (orgId: string) =>
      (
        await ds.query('SELECT excluded FROM benchmark_score WHERE firm_id = $1 AND organisation_id = $2', [
          firm.firmId,
          orgId,
        ])
      ).map((r: any) => r.excluded);
    await app.gql(EXCLUDE, { id: org.id, excluded: true }, firm.auth.CONSULTANT);
    expect(await flags(org.id)).toEqual([true, true]);
    expect(await flags(other.id)).toEqual([false]);
    await app.gql(EXCLUDE, { id: org.id, excluded: false }, firm.auth.CONSULTANT);
    expect(await flags(org.id)).toEqual([false, false]);
  });

  it('finds names in any case in Russian too', async () => {
    const org = await create({ name: 'ООО «Ромашка»', industry: 'I', sizeBand: 'S10_49', country: 'RU' });
    for (const nameContains of ['ромашка', 'РОМАШКА', '«Ром']) {
      expect((await list({ filter: { nameContains } })).edges.map((e: any) => e.node.id)).toEqual([org.id]);
    }
  });

  it('lists the 21 ISIC sections in English and Russian, without a key', async () => {
    const en = await app.gql('{ industries { code name } }');
    expect(en.errors).toBeUndefined();
    expect(en.data.industries.map((i: any) => i.code).join('')).toBe('ABCDEFGHIJKLMNOPQRSTU');
    expect(en.data.industries[2]).toEqual({ code: 'C', name: 'Manufacturing' });
    const ru = await app.gql('{ industries(locale: RU) { code name } }');
    expect(ru.data.industries[5]).toEqual({ code: 'F', name: 'Строительство' });
  });

  it('takes every officially assigned country code and nothing else', async () => {
    const countryProblem = async (country: string) => {
      const res = await app.gql(
        CREATE,
        { input: { name: 'Country probe', industry: 'A', sizeBand: 'S1_9', country } },
        firm.auth.CONSULTANT,
      );
      return res.errors ? problems(res).map((p) => p.path) : [];
    };
    for (const ok of ['AX', 'ss', 'Cw', 'RU', 'GB', 'US', 'ZW']) expect(await countryProblem(ok)).toEqual([]);
    // Reserved or user-assigned, not countries: UK, EU, XK (Kosovo), AA, ZZ; and not codes at all.
    for (const bad of ['UK', 'EU', 'XK', 'AA', 'ZZ', 'DEU', 'D', '', '1A'])
      expect(await countryProblem(bad)).toEqual(['input.country']);
  });

  it("answers NOT_FOUND for an unknown, malformed or other firm's id, and changes nothing", async () => {
    const theirs = await create({ name: 'Their Org', industry: 'Q', sizeBand: 'S1_9', country: 'US' }, other);
    for (const id of [theirs.id, '00000000-0000-4000-8000-000000000000', 'nope', "1' OR '1'='1"]) {
      expect(code(await app.gql(GET, { id }, firm.auth.VIEWER))).toBe('NOT_FOUND');
      expect(code(await app.gql(UPDATE, { id, input: { name: 'Hijacked' } }, firm.auth.CONSULTANT))).toBe('NOT_FOUND');
      expect(code(await app.gql(ARCHIVE, { id }, firm.auth.CONSULTANT))).toBe('NOT_FOUND');
      expect(code(await app.gql(UNARCHIVE, { id }, firm.auth.CONSULTANT))).toBe('NOT_FOUND');
      expect(code(await app.gql(EXCLUDE, { id, excluded: true }, firm.auth.CONSULTANT))).toBe('NOT_FOUND');
    }
    const still = await app.gql(GET, { id: theirs.id }, other.auth.VIEWER);
    expect(still.data.organisation).toMatchObject({
      name: 'Their Org',
      version: 1,
      archivedAt: null,
      excludedFromBenchmarks: false,
    });
    expect((await list({ filter: { nameContains: 'Their Org' } })).totalCount).toBe(0);
  });
});

describe('organisation list', () => {
  let app: TestApp;
  let firm: TestFirm;
  const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf'];

  beforeAll(async () => {
    app = await startTestApp();
    firm = await createTestFirm(app.running.database.dataSource, 'Lister');
    const other = await createTestFirm(app.running.database.dataSource, 'Noise');
    const make = (as: TestFirm, input: Record<string, unknown>) => app.gql(CREATE, { input }, as.auth.CONSULTANT);
    for (const [i, name] of names.entries()) {
      await make(firm, {
        name: `org ${name}`,
        industry: i % 2 ? 'C' : 'G',
        sizeBand: i < 3 ? 'S1_9' : 'S50_249',
        country: i < 5 ? 'DE' : 'FR',
      });
    }
    // Two with the same name: the id breaks the tie.
    await make(firm, { name: 'org delta', industry: 'C', sizeBand: 'S1_9', country: 'DE' });
    // Names with LIKE wildcards.
    await make(firm, { name: 'org 100% sure', industry: 'M', sizeBand: 'S1_9', country: 'IT' });
    await make(firm, { name: 'org 1000 sure', industry: 'M', sizeBand: 'S1_9', country: 'IT' });
    await make(firm, { name: 'org under_score', industry: 'M', sizeBand: 'S1_9', country: 'IT' });
    await make(firm, { name: 'org underXscore', industry: 'M', sizeBand: 'S1_9', country: 'IT' });
    await make(firm, { name: 'org back\\slash', industry: 'M', sizeBand: 'S1_9', country: 'IT' });
    await make(other, { name: 'org alpha', industry: 'G', sizeBand: 'S1_9', country: 'DE' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  const page = async (variables: Record<string, unknown>) => {
    const res = await app.gql(LIST, variables, firm.auth.VIEWER);
    expect(res.errors).toBeUndefined();
    return res.data.organisations;
  };

  it('pages through every organisation once, ordered by name then id', async () => {
    const all = await page({ first: 100 });
    expect(all.totalCount).toBe(13);
    const seen: Array<{ id: string; name: string }> = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const p: any = await page({ first: 5, after });
      expect(p.totalCount).toBe(13);
      expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...p.edges.map((e: any) => e.node));
      pages++;
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen.map((n) => n.id)).toEqual(all.edges.map((e: any) => e.node.id));
    expect(new Set(seen.map((n) => n.id)).size).toBe(13);
    const deltas = seen.filter((n) => n.name === 'org delta').map((n) => n.id);
    expect(deltas).toEqual([...deltas].sort());
    const greek = seen.map((n) => n.name).filter((n) => /^org [a-z]+$/.test(n) && n !== 'org underXscore');
    expect(greek).toEqual([
      'org alpha',
      'org bravo',
      'org charlie',
      'org delta',
      'org delta',
      'org echo',
      'org foxtrot',
      'org golf',
    ]);
  });

  it('filters by industry, size band and country, all together', async () => {
    expect((await page({ filter: { industry: 'G' } })).totalCount).toBe(4);
    expect((await page({ filter: { sizeBand: 'S50_249' } })).totalCount).toBe(4);
    expect((await page({ filter: { country: 'fr' } })).totalCount).toBe(2);
    const combined = await page({ filter: { industry: 'C', sizeBand: 'S1_9', country: 'DE' } });
    expect(combined.edges.map((e: any) => e.node.name).sort()).toEqual(['org bravo', 'org delta']);
  });

  it('matches nameContains in any case, with % _ and \\ taken literally', async () => {
    const names = async (nameContains: string) =>
      (await page({ filter: { nameContains } })).edges.map((e: any) => e.node.name);
    expect(await names('ALPHA')).toEqual(['org alpha']);
    expect(await names('100%')).toEqual(['org 100% sure']);
    expect(await names('%')).toEqual(['org 100% sure']);
    expect(await names('under_')).toEqual(['org under_score']);
    expect(await names('_')).toEqual(['org under_score']);
    expect(await names('back\\s')).toEqual(['org back\\slash']);
    expect(await names('nothing like it')).toEqual([]);
  });

  it('answers an empty page with null cursors', async () => {
    const empty = await page({ filter: { country: 'JP' } });
    expect(empty).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      edges: [],
    });
  });
});
