import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { startTestApp, type TestApp } from './helpers/test-app';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { getUsableFrameworkVersion } from '../src/modules/framework/framework.service';
import type { FrameworkDocument } from '../src/modules/framework/framework-document';

const MINIMAL: FrameworkDocument = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'frameworks', 'minimal.json'), 'utf8'),
);
const SEED_DIR = path.join(__dirname, '..', 'seeds', 'frameworks');

/** The minimal fixture under another key and version. */
function minimal(
  key: string,
  version = '1.0.0',
  change: (doc: FrameworkDocument) => void = () => undefined,
): FrameworkDocument {
  const doc = structuredClone(MINIMAL);
  doc.key = key;
  doc.version = version;
  change(doc);
  return doc;
}

const HEADER =
  'id key version major status builtIn locale name description checksum questionCount createdAt publishedAt retiredAt';
const DETAIL = `
  ${HEADER}
  groups { code kind primary title description }
  dimensions { code group weight layer title description source }
  levels { level code lowerBound title description }
  settings { knockoutCapLevel solidThreshold gateTolerance perceptionGapThreshold benchmarkMinCohort recommendationThreshold }
  questions {
    code type text help source required allowNotApplicable reverse
    links { dimension weight }
    critical { threshold }
    showIf { question anyOf }
    scale { min max minLabel maxLabel }
    options { code score exclusive label }
    numeric { min max unit bands { upTo score } }
  }
  recommendations { code dimension question threshold impact effort horizon title body actions source }
`;

const IMPORT = `mutation Import($document: JSONObject!, $locale: Locale) { importFramework(document: $document, locale: $locale) { ${HEADER} } }`;
const PUBLISH = `mutation Publish($id: ID!) { publishFramework(id: $id) { ${HEADER} } }`;
const RETIRE = `mutation Retire($id: ID!) { retireFramework(id: $id) { ${HEADER} } }`;
const DELETE = `mutation Delete($id: ID!) { deleteFrameworkDraft(id: $id) }`;
const EXPORT = `query Export($id: ID!) { exportFramework(id: $id) }`;
const READ = `query Read($id: ID!, $locale: Locale) { framework(id: $id, locale: $locale) { ${DETAIL} } }`;
const LIST = `query List($filter: FrameworkFilter, $first: Int, $after: String, $locale: Locale) {
  frameworks(filter: $filter, first: $first, after: $after, locale: $locale) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ${HEADER} } }
  }
}`;

describe('frameworks API', () => {
  let app: TestApp;
  let a: TestFirm;
  let b: TestFirm;

  const errorOf = (res: { errors?: Array<{ message: string; extensions?: Record<string, any> }> }) => {
    expect(res.errors).toHaveLength(1);
    return res.errors![0];
  };
  const importAs = async (firm: TestFirm, document: unknown, locale?: string) => {
    const res = await app.gql(IMPORT, { document, locale }, firm.auth.CONSULTANT);
    expect(res.errors).toBeUndefined();
    return res.data.importFramework;
  };
  const publishAs = async (firm: TestFirm, id: string) => {
    const res = await app.gql(PUBLISH, { id }, firm.auth.CONSULTANT);
    expect(res.errors).toBeUndefined();
    return res.data.publishFramework;
  };
  const exportAs = async (firm: TestFirm, id: string) => {
    const res = await app.gql(EXPORT, { id }, firm.auth.VIEWER);
    expect(res.errors).toBeUndefined();
    return res.data.exportFramework;
  };
  const listAs = async (firm: TestFirm, variables: Record<string, unknown> = {}) => {
    const res = await app.gql(LIST, variables, firm.auth.VIEWER);
    expect(res.errors).toBeUndefined();
    return res.data.frameworks;
  };
  const codeOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (err) {
      return (err as GraphQLError).extensions?.code;
    }
    return 'no error';
  };

  beforeAll(async () => {
    app = await startTestApp();
    a = await createTestFirm(app.running.database.dataSource, 'Firm A');
    b = await createTestFirm(app.running.database.dataSource, 'Firm B');
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('offers every seed framework, loaded on start, to every firm as a built-in published version', async () => {
    const seeds = fs
      .readdirSync(SEED_DIR)
      .filter((n) => n.endsWith('.json'))
      .map((n) => JSON.parse(fs.readFileSync(path.join(SEED_DIR, n), 'utf8')) as FrameworkDocument);
    expect(seeds.length).toBeGreaterThan(0);
    for (const firm of [a, b]) {
      for (const locale of ['EN', 'RU'] as const) {
        const list = await listAs(firm, { filter: { status: 'PUBLISHED' }, locale, first: 100 });
        for (const seed of seeds) {
          const node = list.edges
            .map((e: any) => e.node)
            .find((n: any) => n.key === seed.key && n.version === seed.version);
          expect(node).toMatchObject({
            builtIn: true,
            status: 'PUBLISHED',
            major: Number(seed.version.split('.')[0]),
            locale,
            name: locale === 'EN' ? seed.name.en : seed.name.ru,
            questionCount: seed.questions.length,
            publishedAt: expect.any(String),
            retiredAt: null,
          });
        }
      }
    }
  });

  it('reads a whole framework in English and in Russian, with the scoring defaults filled in', async () => {
    const draft = await importAs(a, minimal('read-both'));
    const en = await app.gql(READ, { id: draft.id, locale: 'EN' }, a.auth.VIEWER);
    expect(en.errors).toBeUndefined();
    const fw = en.data.framework;
    expect(fw).toMatchObject({
      id: draft.id,
      key: 'read-both',
      version: '1.0.0',
      major: 1,
      status: 'DRAFT',
      builtIn: false,
      locale: 'EN',
      name: 'Minimal framework',
      description: MINIMAL.description.en,
      questionCount: 6,
      publishedAt: null,
    });
    expect(fw.groups).toEqual([
      {
        code: 'ELEMENTS',
        kind: 'WEIGHTED',
        primary: true,
        title: 'Strategy elements',
        description: 'The elements of a service strategy.',
      },
      { code: 'PYRAMID', kind: 'LAYERED', primary: false, title: 'Pyramid', description: null },
    ]);
    expect(fw.dimensions.map((d: any) => [d.code, d.group, d.weight, d.layer, d.title])).toEqual([
      ['LEADERSHIP', 'ELEMENTS', 2, null, 'Leadership'],
      ['CULTURE', 'ELEMENTS', 1, null, 'Culture'],
      ['BASICS', 'PYRAMID', 1, 1, 'Basics'],
      ['DELIGHT', 'PYRAMID', 1, 2, 'Delight'],
    ]);
    expect(fw.dimensions[0].source).toBe('003_1a2bb4c73bb626b0: strategic approach led from the top');
    expect(fw.levels.map((l: any) => [l.level, l.code, l.lowerBound, l.title])).toEqual([
      [1, 'UNCERTAINTY', 0, 'Uncertainty'],
      [2, 'ALIGNMENT', 20, 'Alignment'],
      [3, 'EXPERIENCE', 40, 'Experience'],
      [4, 'OWNERSHIP', 60, 'Ownership'],
      [5, 'AMAZEMENT', 80, 'Amazement'],
    ]);
    expect(fw.settings).toEqual({
      knockoutCapLevel: 2,
      solidThreshold: 65,
      gateTolerance: 20,
      perceptionGapThreshold: 20,
      benchmarkMinCohort: 5,
      recommendationThreshold: 60,
    });
    const [lead, charter, charterUse, channels, hours, comment] = fw.questions;
    expect(lead).toEqual({
      code: 'Q_LEAD',
      type: 'LIKERT',
      text: 'Leadership personally drives the service strategy.',
      help: '1 = strongly disagree, 5 = strongly agree.',
      source: '003_1a2bb4c73bb626b0: strategic approach led from the top',
      required: true,
      allowNotApplicable: false,
      reverse: false,
      links: [
        { dimension: 'LEADERSHIP', weight: 2 },
        { dimension: 'BASICS', weight: 1 },
      ],
      critical: { threshold: 40 },
      showIf: null,
      scale: { min: 1, max: 5, minLabel: null, maxLabel: null },
      options: null,
      numeric: null,
    });
    expect(charter).toMatchObject({
      type: 'BOOLEAN',
      help: null,
      scale: null,
      options: null,
      allowNotApplicable: true,
    });
    expect(charterUse.showIf).toEqual({ question: 'Q_CHARTER', anyOf: [true] });
    expect(charterUse.options).toEqual([
      { code: 'NEVER', score: 0, exclusive: false, label: 'Never' },
      { code: 'SOMETIMES', score: 50, exclusive: false, label: 'Sometimes' },
      { code: 'DAILY', score: 100, exclusive: false, label: 'Every day' },
    ]);
    expect(channels.showIf).toEqual({ question: 'Q_CHARTER_USE', anyOf: ['SOMETIMES', 'DAILY'] });
    expect(channels.options[2]).toEqual({ code: 'NONE', score: 0, exclusive: true, label: 'None' });
    expect(hours.numeric).toEqual({
      min: 0,
      max: 720,
      unit: 'hours',
      bands: [
        { upTo: 4, score: 100 },
        { upTo: 24, score: 60 },
        { upTo: null, score: 0 },
      ],
    });
    expect(comment).toMatchObject({ type: 'TEXT', links: [], numeric: null, options: null, scale: null });
    expect(fw.recommendations).toEqual([
      {
        code: 'R_LEAD_FROM_TOP',
        dimension: 'LEADERSHIP',
        question: null,
        threshold: null,
        impact: 5,
        effort: 3,
        horizon: 'DAYS_90',
        title: 'Put service on the leadership agenda',
        body: 'Leaders must personally drive the service strategy.',
        actions: ['Name an accountable board member.', 'Add service to the monthly report.'],
        source: '003_1a2bb4c73bb626b0: strategic approach led from the top',
      },
      expect.objectContaining({
        code: 'R_CHARTER_DAILY',
        question: 'Q_CHARTER_USE',
        threshold: 70,
        horizon: 'QUICK_WIN',
      }),
    ]);

    const ru = await app.gql(READ, { id: draft.id, locale: 'RU' }, a.auth.VIEWER);
    expect(ru.errors).toBeUndefined();
    const fwRu = ru.data.framework;
    expect(fwRu).toMatchObject({ locale: 'RU', name: 'Минимальная рамка', description: MINIMAL.description.ru });
    expect(fwRu.groups[0].title).toBe('Элементы стратегии');
    expect(fwRu.dimensions[0].title).toBe('Лидерство');
    expect(fwRu.levels[4].title).toBe('Восхищение');
    expect(fwRu.questions[0].text).toBe('Руководство лично ведёт сервисную стратегию.');
    expect(fwRu.questions[2].options.map((o: any) => o.label)).toEqual(['Никогда', 'Иногда', 'Каждый день']);
    expect(fwRu.questions[4].numeric.unit).toBe('часы');
    expect(fwRu.recommendations[0].actions).toEqual([
      'Назначьте ответственного члена правления.',
      'Добавьте сервис в ежемесячный отчёт.',
    ]);
    // Everything but the texts is the same in both locales.
    expect(fwRu.settings).toEqual(fw.settings);
    expect(fwRu.questions.map((q: any) => [q.code, q.links, q.scale?.min, q.numeric?.bands])).toEqual(
      fw.questions.map((q: any) => [q.code, q.links, q.scale?.min, q.numeric?.bands]),
    );
  });

  it('reads the whole built-in framework, also through the list', async () => {
    const list = await listAs(a, { first: 100 });
    const builtIn = list.edges.map((e: any) => e.node).find((n: any) => n.builtIn);
    const seed = fs
      .readdirSync(SEED_DIR)
      .map((n) => JSON.parse(fs.readFileSync(path.join(SEED_DIR, n), 'utf8')) as FrameworkDocument)
      .find((d) => d.key === builtIn.key && d.version === builtIn.version)!;
    const res = await app.gql(READ, { id: builtIn.id, locale: 'RU' }, a.auth.VIEWER);
    expect(res.errors).toBeUndefined();
    const fw = res.data.framework;
    expect(fw.questions.map((q: any) => q.code)).toEqual(seed.questions.map((q) => q.code));
    expect(fw.questions.map((q: any) => q.text)).toEqual(seed.questions.map((q) => q.text.ru));
    expect(fw.dimensions.map((d: any) => d.code)).toEqual(seed.dimensions.map((d) => d.code));
    expect(fw.recommendations.map((r: any) => r.code)).toEqual(seed.recommendations.map((r) => r.code));

    // Content asked for on list items is loaded on demand (one batched query for the page).
    const withContent = await app.gql(
      'query { frameworks(first: 100) { edges { node { id key questions { code } levels { code } } } } }',
      {},
      b.auth.VIEWER,
    );
    expect(withContent.errors).toBeUndefined();
    const node = withContent.data.frameworks.edges.map((e: any) => e.node).find((n: any) => n.id === builtIn.id);
    expect(node.questions.map((q: any) => q.code)).toEqual(seed.questions.map((q) => q.code));
    expect(node.levels.map((l: any) => l.code)).toEqual(seed.levels.map((l) => l.code));
  });

  it('reports every problem of a malformed document with its path under `document`', async () => {
    const doc = minimal('Bad Key', '1.0.0', (d) => {
      d.questions[0].links[0].dimension = 'NO_SUCH_DIMENSION';
      delete (d as Partial<FrameworkDocument>).name;
      (d.questions[2].options as any[])[1].score = 150;
    });
    const res = await app.gql(IMPORT, { document: doc }, a.auth.CONSULTANT);
    const error = errorOf(res);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    const problems: Array<{ path: string; message: string }> = error.extensions?.problems;
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'document.key',
        'document.name',
        'document.questions[0].links[0].dimension',
        'document.questions[2].options[1].score',
      ]),
    );
    for (const p of problems) expect(p.message.length).toBeGreaterThan(0);
    expect(error.message).toContain('problems');

    // Not an object at all: refused before the resolver, still BAD_USER_INPUT.
    const notObject = await app.gql(IMPORT, { document: [1, 2] }, a.auth.CONSULTANT);
    expect(errorOf(notObject).extensions?.code).toBe('BAD_USER_INPUT');
    const empty = await app.gql(IMPORT, { document: {} }, a.auth.CONSULTANT);
    const emptyProblems = errorOf(empty).extensions?.problems.map((p: any) => p.path);
    expect(emptyProblems).toEqual(expect.arrayContaining(['document.key', 'document.version', 'document.questions']));

    // A text the database cannot store (half an emoji, a NUL) is the input's fault: BAD_USER_INPUT, not INTERNAL.
    for (const name of ['Half an emoji \uD83D', 'NUL \u0000']) {
      const unstorable = await app.gql(
        IMPORT,
        { document: minimal('unstorable-text', '1.0.0', (d) => (d.name = { en: name, ru: name })) },
        a.auth.CONSULTANT,
      );
      expect({ name, code: errorOf(unstorable).extensions?.code }).toEqual({ name, code: 'BAD_USER_INPUT' });
      expect(errorOf(unstorable).message).toMatch(/cannot be stored/);
    }

    // Nothing was stored.
    const list = await listAs(a, { filter: { status: 'DRAFT' }, first: 100 });
    expect(list.edges.map((e: any) => e.node.key)).not.toContain('Bad Key');
    expect(list.edges.map((e: any) => e.node.key)).not.toContain('unstorable-text');
  });

  it('imports, publishes and exports; the export imports into another firm as an identical document', async () => {
    const original = minimal('round-trip', '3.1.4');
    const draft = await importAs(a, original);
    expect(draft).toMatchObject({
      key: 'round-trip',
      version: '3.1.4',
      major: 3,
      status: 'DRAFT',
      builtIn: false,
      publishedAt: null,
    });
    const published = await publishAs(a, draft.id);
    expect(published).toMatchObject({
      id: draft.id,
      status: 'PUBLISHED',
      publishedAt: expect.any(String),
      checksum: draft.checksum,
    });
    expect(
      await getUsableFrameworkVersion({ firmId: a.firmId }, app.running.database.dataSource, draft.id),
    ).toMatchObject({
      id: draft.id,
      status: 'PUBLISHED',
    });

    const exportedA = await exportAs(a, draft.id);
    expect(exportedA).toEqual(original);
    const inB = await importAs(b, exportedA);
    expect(inB.id).not.toBe(draft.id);
    expect(inB.checksum).toBe(draft.checksum);
    const exportedB = await exportAs(b, inB.id);
    expect(exportedB).toEqual(exportedA);

    // And under a new version in the same firm.
    const next = await importAs(a, { ...exportedA, version: '3.2.0' });
    expect(await exportAs(a, next.id)).toEqual({ ...original, version: '3.2.0' });
  });

  it('replaces a draft with the same key and version, and never changes a published version', async () => {
    const first = await importAs(a, minimal('replace-me', '2.0.0'));
    const questionText = async (id: string) =>
      (await app.gql(READ, { id, locale: 'EN' }, a.auth.VIEWER)).data.framework.questions[0].text;
    expect(await questionText(first.id)).toBe(MINIMAL.questions[0].text.en);
    const second = await importAs(
      a,
      minimal('replace-me', '2.0.0', (d) => {
        d.name.en = 'Renamed framework';
        d.questions[0].text.en = 'A reworded first question.';
      }),
      'EN',
    );
    expect(second.id).toBe(first.id);
    expect(second.name).toBe('Renamed framework');
    expect(second.checksum).not.toBe(first.checksum);
    expect(second.status).toBe('DRAFT');
    // The content read before the replacement is not served again.
    expect(await questionText(first.id)).toBe('A reworded first question.');

    await publishAs(a, first.id);
    const again = await app.gql(IMPORT, { document: minimal('replace-me', '2.0.0') }, a.auth.CONSULTANT);
    const conflict = errorOf(again);
    expect(conflict.extensions?.code).toBe('CONFLICT');
    expect(conflict.message).toContain('published versions never change: raise the version');
    expect(conflict.message).toContain('2.0.1');
    expect((await exportAs(a, first.id)).name.en).toBe('Renamed framework');

    const republish = errorOf(await app.gql(PUBLISH, { id: first.id }, a.auth.CONSULTANT));
    expect(republish.extensions?.code).toBe('CONFLICT');
    expect(republish.message).toContain('only a DRAFT can be published');
    const deletePublished = errorOf(await app.gql(DELETE, { id: first.id }, a.auth.CONSULTANT));
    expect(deletePublished.extensions?.code).toBe('CONFLICT');

    // The same key and version in another firm is that firm's own business.
    const inB = await importAs(b, minimal('replace-me', '2.0.0'));
    expect(inB.status).toBe('DRAFT');
  });

  it('refuses a key used by a built-in framework, saying why', async () => {
    const list = await listAs(a, { first: 100 });
    const builtIn = list.edges.map((e: any) => e.node).find((n: any) => n.builtIn);
    const res = await app.gql(IMPORT, { document: minimal(builtIn.key, '99.0.0') }, a.auth.CONSULTANT);
    const error = errorOf(res);
    expect(error.extensions?.code).toBe('CONFLICT');
    expect(error.message).toContain(`"${builtIn.key}" belongs to a built-in framework`);
  });

  it('retires a published version: it is listed only on request and blocks new assessments', async () => {
    const ds = app.running.database.dataSource;
    const draft = await importAs(a, minimal('retire-me'));
    expect(await codeOf(getUsableFrameworkVersion({ firmId: a.firmId }, ds, draft.id))).toBe('CONFLICT');
    const early = errorOf(await app.gql(RETIRE, { id: draft.id }, a.auth.CONSULTANT));
    expect(early.extensions?.code).toBe('CONFLICT');

    await publishAs(a, draft.id);
    await expect(getUsableFrameworkVersion({ firmId: a.firmId }, ds, draft.id)).resolves.toMatchObject({
      id: draft.id,
    });
    const retired = await app.gql(RETIRE, { id: draft.id }, a.auth.CONSULTANT);
    expect(retired.errors).toBeUndefined();
    expect(retired.data.retireFramework).toMatchObject({
      status: 'RETIRED',
      retiredAt: expect.any(String),
      publishedAt: expect.any(String),
    });

    const blocked = getUsableFrameworkVersion({ firmId: a.firmId }, ds, draft.id);
    await expect(blocked).rejects.toThrow('RETIRED');
    expect(await codeOf(getUsableFrameworkVersion({ firmId: a.firmId }, ds, draft.id))).toBe('CONFLICT');
    expect(await codeOf(getUsableFrameworkVersion({ firmId: b.firmId }, ds, draft.id))).toBe('NOT_FOUND');
    expect(await codeOf(getUsableFrameworkVersion({ firmId: a.firmId }, ds, randomUUID()))).toBe('NOT_FOUND');
    expect(await codeOf(getUsableFrameworkVersion({ firmId: a.firmId }, ds, 'not-a-uuid'))).toBe('NOT_FOUND');

    const keys = async (variables: Record<string, unknown>) =>
      (await listAs(a, { first: 100, ...variables })).edges.map((e: any) => e.node.key);
    expect(await keys({})).not.toContain('retire-me');
    expect(await keys({ filter: { includeRetired: true } })).toContain('retire-me');
    expect(await keys({ filter: { status: 'RETIRED' } })).toEqual(['retire-me']);
    const twice = errorOf(await app.gql(RETIRE, { id: draft.id }, a.auth.CONSULTANT));
    expect(twice.extensions?.code).toBe('CONFLICT');
    expect(twice.message).toContain('already RETIRED');
    // Still readable and exportable.
    expect((await app.gql(READ, { id: draft.id }, a.auth.VIEWER)).data.framework.status).toBe('RETIRED');

    // Built-in versions are usable by every firm.
    const builtIn = (await listAs(a, { first: 100 })).edges.map((e: any) => e.node).find((n: any) => n.builtIn);
    for (const firm of [a, b]) {
      await expect(getUsableFrameworkVersion({ firmId: firm.firmId }, ds, builtIn.id)).resolves.toMatchObject({
        id: builtIn.id,
        ownerFirmId: null,
      });
    }
  });

  it('deletes a draft', async () => {
    const draft = await importAs(a, minimal('delete-me'));
    const res = await app.gql(DELETE, { id: draft.id }, a.auth.CONSULTANT);
    expect(res.errors).toBeUndefined();
    expect(res.data.deleteFrameworkDraft).toBe(draft.id);
    expect(errorOf(await app.gql(READ, { id: draft.id }, a.auth.VIEWER)).extensions?.code).toBe('NOT_FOUND');
    expect(errorOf(await app.gql(DELETE, { id: draft.id }, a.auth.CONSULTANT)).extensions?.code).toBe('NOT_FOUND');
  });

  it("answers NOT_FOUND for another firm's frameworks, exactly as for an id that does not exist", async () => {
    const draft = await importAs(a, minimal('private-draft'));
    const published = await importAs(a, minimal('private-published'));
    await publishAs(a, published.id);
    const missing = randomUUID();
    const operations: Array<[string, string, 'VIEWER' | 'CONSULTANT']> = [
      [READ, 'framework', 'VIEWER'],
      [EXPORT, 'exportFramework', 'VIEWER'],
      [PUBLISH, 'publishFramework', 'CONSULTANT'],
      [RETIRE, 'retireFramework', 'CONSULTANT'],
      [DELETE, 'deleteFrameworkDraft', 'CONSULTANT'],
    ];
    for (const [query, field, role] of operations) {
      const forMissing = errorOf(await app.gql(query, { id: missing }, b.auth[role]));
      expect(forMissing.extensions?.code).toBe('NOT_FOUND');
      for (const id of [draft.id, published.id]) {
        const res = await app.gql(query, { id }, b.auth[role]);
        expect(res.data?.[field] ?? null).toBeNull();
        const error = errorOf(res);
        expect(error.extensions).toEqual({ code: 'NOT_FOUND' });
        expect(error.message).toBe(forMissing.message.replace(missing, id));
      }
      expect(errorOf(await app.gql(query, { id: 'not-a-uuid' }, b.auth[role])).extensions?.code).toBe('NOT_FOUND');
    }
    const keysOfB = (await listAs(b, { first: 100, filter: { includeRetired: true } })).edges.map(
      (e: any) => e.node.key,
    );
    expect(keysOfB).not.toContain('private-draft');
    expect(keysOfB).not.toContain('private-published');
    // Both are still A's, unchanged.
    expect((await app.gql(READ, { id: draft.id }, a.auth.VIEWER)).data.framework.status).toBe('DRAFT');
    expect((await app.gql(READ, { id: published.id }, a.auth.VIEWER)).data.framework.status).toBe('PUBLISHED');
  });

  it('lets only CONSULTANT keys change frameworks, and no firm change a built-in one', async () => {
    const viewerImport = errorOf(await app.gql(IMPORT, { document: minimal('viewer-import') }, a.auth.VIEWER));
    expect(viewerImport.extensions?.code).toBe('FORBIDDEN');
    expect(errorOf(await app.gql(IMPORT, { document: minimal('anonymous-import') })).extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(errorOf(await app.gql(LIST, {})).extensions?.code).toBe('UNAUTHENTICATED');
    const draft = await importAs(a, minimal('viewer-publish'));
    for (const query of [PUBLISH, RETIRE, DELETE]) {
      expect(errorOf(await app.gql(query, { id: draft.id }, a.auth.VIEWER)).extensions?.code).toBe('FORBIDDEN');
    }
    expect((await listAs(a, { filter: { key: 'viewer-import' } })).totalCount).toBe(0);

    const builtIn = (await listAs(a, { first: 100 })).edges.map((e: any) => e.node).find((n: any) => n.builtIn);
    for (const query of [PUBLISH, RETIRE, DELETE]) {
      const error = errorOf(await app.gql(query, { id: builtIn.id }, a.auth.ADMIN));
      expect(error.extensions?.code).toBe('FORBIDDEN');
      expect(error.message).toContain('Built-in frameworks');
    }
    expect((await app.gql(READ, { id: builtIn.id }, b.auth.VIEWER)).data.framework).toMatchObject({
      status: 'PUBLISHED',
      retiredAt: null,
    });
  });

  it('pages through the list by key and newest version first, with filters', async () => {
    for (const version of ['1.0.0', '1.10.0', '1.2.0', '10.0.0', '2.0.0']) {
      const v = await importAs(a, minimal('paged', version));
      if (version !== '1.2.0') await publishAs(a, v.id);
    }
    const all = await listAs(a, { filter: { key: 'paged' } });
    expect(all.totalCount).toBe(5);
    expect(all.edges.map((e: any) => e.node.version)).toEqual(['10.0.0', '2.0.0', '1.10.0', '1.2.0', '1.0.0']);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: any = await listAs(a, { filter: { key: 'paged' }, first: 2, after });
      expect(page.totalCount).toBe(5);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.edges.map((e: any) => e.node.version));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(['10.0.0', '2.0.0', '1.10.0', '1.2.0', '1.0.0']);

    const drafts = await listAs(a, { filter: { key: 'paged', status: 'DRAFT' } });
    expect(drafts.edges.map((e: any) => e.node.version)).toEqual(['1.2.0']);
    // Keys are ordered too, and every firm's list starts with what it may see.
    const everything = await listAs(a, { first: 100 });
    const keys = everything.edges.map((e: any) => e.node.key);
    expect(keys).toEqual([...keys].sort());

    const badCursor = errorOf(await app.gql(LIST, { after: 'nonsense' }, a.auth.VIEWER));
    expect(badCursor.extensions?.code).toBe('BAD_USER_INPUT');
    const badFirst = errorOf(await app.gql(LIST, { first: 1000 }, a.auth.VIEWER));
    expect(badFirst.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
