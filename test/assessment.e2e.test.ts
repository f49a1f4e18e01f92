import { startTestApp, type TestApp } from './helpers/test-app';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import {
  defaultFrameworkDocument,
  defaultFrameworkId,
  insertFrameworkVersion,
  insertOrganisation,
  inviteViaApi,
} from './helpers/assessment-fixtures';

const FIELDS = `id organisationId organisation { id name } frameworkVersionId frameworkKey frameworkVersion title status version
  roleWeights { role weight } dueAt openedAt closedAt cancelledAt createdAt updatedAt
  respondentCounts { invited inProgress submitted total }`;
const CREATE = `mutation Create($input: CreateAssessmentInput!) { createAssessment(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation Update($input: UpdateAssessmentInput!) { updateAssessment(input: $input) { ${FIELDS} } }`;
const GET = `query Get($id: ID!) { assessment(id: $id) { ${FIELDS} } }`;
const LIST = `query List($filter: AssessmentFilter, $first: Int, $after: String) {
  assessments(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id title status organisationId } }
  }
}`;
const transition = (name: string) => `mutation T($id: ID!) { ${name}(id: $id) { ${FIELDS} } }`;

describe('assessments', () => {
  let app: TestApp;
  let firm: TestFirm;
  let other: TestFirm;
  let frameworkId: string;
  let orgId: string;

  beforeAll(async () => {
    app = await startTestApp();
    const ds = app.running.database.dataSource;
    firm = await createTestFirm(ds, 'Firm A');
    other = await createTestFirm(ds, 'Firm B');
    frameworkId = await defaultFrameworkId(ds);
    orgId = await insertOrganisation(ds, firm.firmId, 'Acme');
  });
  afterAll(async () => {
    await app?.stop();
  });

  const create = (input: Record<string, unknown>, auth = firm.auth.CONSULTANT) =>
    app.gql(
      CREATE,
      { input: { organisationId: orgId, frameworkVersionId: frameworkId, title: 'Q1 review', ...input } },
      auth,
    );

  it('creates a DRAFT assessment with default role weights', async () => {
    const res = await create({ title: '  Spring review  ' });
    expect(res.errors).toBeUndefined();
    const a = res.data.createAssessment;
    expect(a).toMatchObject({
      organisationId: orgId,
      organisation: { id: orgId, name: 'Acme' },
      frameworkVersionId: frameworkId,
      frameworkKey: 'service-strategy',
      frameworkVersion: '1.0.0',
      title: 'Spring review',
      status: 'DRAFT',
      version: 1,
      dueAt: null,
      openedAt: null,
      closedAt: null,
      cancelledAt: null,
      respondentCounts: { invited: 0, inProgress: 0, submitted: 0, total: 0 },
    });
    expect(a.roleWeights).toEqual([
      { role: 'EXECUTIVE', weight: 1 },
      { role: 'MANAGER', weight: 1 },
      { role: 'FRONTLINE', weight: 1 },
    ]);
    const read = await app.gql(GET, { id: a.id }, firm.auth.VIEWER);
    expect(read.data.assessment).toEqual(a);
  });

  it('keeps given role weights and declares custom roles', async () => {
    const dueAt = new Date(Date.now() + 14 * 86400000).toISOString();
    const res = await create({
      dueAt,
      roleWeights: [
        { role: 'EXECUTIVE', weight: 2 },
        { role: 'BOARD_MEMBER', weight: 0.5 },
        { role: 'FRONTLINE', weight: 0 },
      ],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.createAssessment.dueAt).toBe(dueAt);
    expect(res.data.createAssessment.roleWeights).toEqual([
      { role: 'EXECUTIVE', weight: 2 },
      { role: 'MANAGER', weight: 1 },
      { role: 'FRONTLINE', weight: 0 },
      { role: 'BOARD_MEMBER', weight: 0.5 },
    ]);
  });

  it('rejects bad input, naming each field, without echoing values', async () => {
    const res = await create({
      title: '   ',
      roleWeights: [
        { role: 'executive', weight: 1 },
        { role: 'MANAGER', weight: -1 },
      ],
    });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const paths = res.errors![0].extensions!.problems.map((p: { path: string }) => p.path).sort();
    expect(paths).toEqual(['input.roleWeights[0].role', 'input.roleWeights[1].weight', 'input.title']);
    expect(JSON.stringify(res.errors)).not.toContain('executive');

    const dup = await create({
      roleWeights: [
        { role: 'MANAGER', weight: 1 },
        { role: 'MANAGER', weight: 2 },
      ],
    });
    expect(dup.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ path: 'input.roleWeights[1].role' }],
    });

    const nul = await create({ title: 'Q1\u0000' });
    expect(nul.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ path: 'input.title' }] });

    const past = await create({ dueAt: new Date(Date.now() - 1000).toISOString() });
    expect(past.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ path: 'input.dueAt' }] });
  });

  it('needs a CONSULTANT key to write and a key to read', async () => {
    const viewer = await create({}, firm.auth.VIEWER);
    expect(viewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await app.gql(LIST, {});
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses DRAFT and RETIRED frameworks (CONFLICT) and frameworks the firm cannot see (NOT_FOUND)', async () => {
    const ds = app.running.database.dataSource;
    const doc = defaultFrameworkDocument();
    const draftId = await insertFrameworkVersion(ds, {
      document: { ...doc, key: 'own-draft' },
      status: 'DRAFT',
      ownerFirmId: firm.firmId,
    });
    const retiredId = await insertFrameworkVersion(ds, {
      document: { ...doc, key: 'own-retired' },
      status: 'RETIRED',
      ownerFirmId: firm.firmId,
    });
    const otherFirmsId = await insertFrameworkVersion(ds, {
      document: { ...doc, key: 'theirs' },
      status: 'PUBLISHED',
      ownerFirmId: other.firmId,
    });
    const ownId = await insertFrameworkVersion(ds, {
      document: { ...doc, key: 'own-published' },
      status: 'PUBLISHED',
      ownerFirmId: firm.firmId,
    });

    const draft = await create({ frameworkVersionId: draftId });
    expect(draft.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(draft.errors?.[0].message).toMatch(/DRAFT/);
    const retired = await create({ frameworkVersionId: retiredId });
    expect(retired.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(retired.errors?.[0].message).toMatch(/RETIRED/);
    for (const id of [otherFirmsId, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await create({ frameworkVersionId: id });
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    const own = await create({ frameworkVersionId: ownId });
    expect(own.errors).toBeUndefined();
    expect(own.data.createAssessment.frameworkKey).toBe('own-published');
  });

  it('needs a non-archived organisation of the firm', async () => {
    const ds = app.running.database.dataSource;
    const archived = await insertOrganisation(ds, firm.firmId, 'Old client', { archived: true });
    const theirs = await insertOrganisation(ds, other.firmId, 'Their client');
    const a = await create({ organisationId: archived });
    expect(a.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(a.errors?.[0].message).toMatch(/archived/);
    for (const id of [theirs, 'nope']) {
      const res = await create({ organisationId: id });
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('moves DRAFT → OPEN → CLOSED, storing the result, and refuses transitions from the wrong state', async () => {
    const id = (await create({})).data.createAssessment.id;
    const closeDraft = await app.gql(transition('closeAssessment'), { id }, firm.auth.CONSULTANT);
    expect(closeDraft.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentStatus: 'DRAFT' });
    expect(closeDraft.errors?.[0].message).toMatch(/DRAFT/);

    const opened = await app.gql(transition('openAssessment'), { id }, firm.auth.CONSULTANT);
    expect(opened.data.openAssessment).toMatchObject({ status: 'OPEN', version: 2 });
    expect(opened.data.openAssessment.openedAt).toEqual(expect.any(String));
    const again = await app.gql(transition('openAssessment'), { id }, firm.auth.CONSULTANT);
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentStatus: 'OPEN' });

    const closed = await app.gql(transition('closeAssessment'), { id }, firm.auth.CONSULTANT);
    expect(closed.errors).toBeUndefined();
    expect(closed.data.closeAssessment).toMatchObject({ status: 'CLOSED', version: 3 });
    expect(closed.data.closeAssessment.closedAt).toEqual(expect.any(String));
    const stored = await app.running.database.dataSource.query(
      'SELECT respondent_count FROM assessment_result WHERE firm_id = $1 AND assessment_id = $2',
      [firm.firmId, id],
    );
    expect(stored).toEqual([{ respondent_count: 0 }]);

    const cancel = await app.gql(transition('cancelAssessment'), { id }, firm.auth.CONSULTANT);
    expect(cancel.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentStatus: 'CLOSED' });
    const update = await app.gql(UPDATE, { input: { id, title: 'Too late' } }, firm.auth.CONSULTANT);
    expect(update.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentStatus: 'CLOSED' });
  });

  it('cancels from DRAFT or OPEN, after which nothing moves', async () => {
    const draft = (await create({})).data.createAssessment.id;
    const cancelled = await app.gql(transition('cancelAssessment'), { id: draft }, firm.auth.CONSULTANT);
    expect(cancelled.data.cancelAssessment.status).toBe('CANCELLED');
    expect(cancelled.data.cancelAssessment.cancelledAt).toEqual(expect.any(String));
    const open = await app.gql(transition('openAssessment'), { id: draft }, firm.auth.CONSULTANT);
    expect(open.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentStatus: 'CANCELLED' });

    const opened = (await create({})).data.createAssessment.id;
    await app.gql(transition('openAssessment'), { id: opened }, firm.auth.CONSULTANT);
    const c2 = await app.gql(transition('cancelAssessment'), { id: opened }, firm.auth.CONSULTANT);
    expect(c2.data.cancelAssessment.status).toBe('CANCELLED');
    const stored = await app.running.database.dataSource.query(
      'SELECT 1 FROM assessment_result WHERE firm_id = $1 AND assessment_id = $2',
      [firm.firmId, opened],
    );
    expect(stored).toEqual([]);
  });

  it('lets only one of several concurrent closes succeed', async () => {
    const id = (await create({})).data.createAssessment.id;
    await app.gql(transition('openAssessment'), { id }, firm.auth.CONSULTANT);
    const close = () => app.gql(transition('closeAssessment'), { id }, firm.auth.CONSULTANT);
    // Sent at once on both databases; the embedded one runs one transaction at a time, so
    // there they queue, and they really race only on PostgreSQL.
    const results = await Promise.all(Array.from({ length: 6 }, close));
    const ok = results.filter((r) => !r.errors);
    const conflicts = results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT');
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(5);
    const rows = await app.running.database.dataSource.query(
      'SELECT count(*)::int AS n FROM assessment_result WHERE firm_id = $1 AND assessment_id = $2',
      [firm.firmId, id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('updates title, due date and role weights while DRAFT or OPEN, guarded by expectedVersion', async () => {
    const created = (await create({ roleWeights: [{ role: 'BOARD', weight: 3 }] })).data.createAssessment;
    const dueAt = new Date(Date.now() + 30 * 86400000).toISOString();
    const res = await app.gql(
      UPDATE,
      { input: { id: created.id, expectedVersion: 1, title: 'Renamed', dueAt } },
      firm.auth.CONSULTANT,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.updateAssessment).toMatchObject({ title: 'Renamed', dueAt, version: 2 });
    // Left-out fields stay; the due date can be cleared with null.
    const cleared = await app.gql(UPDATE, { input: { id: created.id, dueAt: null } }, firm.auth.CONSULTANT);
    expect(cleared.data.updateAssessment).toMatchObject({ title: 'Renamed', dueAt: null, version: 3 });

    const stale = await app.gql(
      UPDATE,
      { input: { id: created.id, expectedVersion: 1, title: 'Lost update' } },
      firm.auth.CONSULTANT,
    );
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 3 });

    // A custom role held by a respondent must stay declared.
    await inviteViaApi(app, firm.auth.CONSULTANT, created.id, [{ name: 'Bo', email: 'bo@example.com', role: 'BOARD' }]);
    const dropRole = await app.gql(
      UPDATE,
      { input: { id: created.id, roleWeights: [{ role: 'EXECUTIVE', weight: 2 }] } },
      firm.auth.CONSULTANT,
    );
    expect(dropRole.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(dropRole.errors?.[0].message).toMatch(/BOARD/);

    // Changing role weights while OPEN is allowed.
    await app.gql(transition('openAssessment'), { id: created.id }, firm.auth.CONSULTANT);
    const weights = await app.gql(
      UPDATE,
      {
        input: {
          id: created.id,
          roleWeights: [
            { role: 'BOARD', weight: 0 },
            { role: 'EXECUTIVE', weight: 2 },
          ],
        },
      },
      firm.auth.CONSULTANT,
    );
    expect(weights.errors).toBeUndefined();
    expect(weights.data.updateAssessment.roleWeights).toEqual([
      { role: 'EXECUTIVE', weight: 2 },
      { role: 'MANAGER', weight: 1 },
      { role: 'FRONTLINE', weight: 1 },
      { role: 'BOARD', weight: 0 },
    ]);
    expect(weights.data.updateAssessment.respondentCounts).toEqual({
      invited: 1,
      inProgress: 0,
      submitted: 0,
      total: 1,
    });
  });

  it('lists the firm’s assessments newest first, with filters and cursor pages', async () => {
    const ds = app.running.database.dataSource;
    const org2 = await insertOrganisation(ds, firm.firmId, 'Second client');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await create({ organisationId: org2, title: `Listed ${i}` })).data.createAssessment.id);
    }
    await app.gql(transition('openAssessment'), { id: ids[1] }, firm.auth.CONSULTANT);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: any = await app.gql(LIST, { filter: { organisationId: org2 }, first: 2, after }, firm.auth.VIEWER);
      expect(res.errors).toBeUndefined();
      const conn = res.data.assessments;
      expect(conn.totalCount).toBe(5);
      seen.push(...conn.edges.map((e: any) => e.node.id));
      pages++;
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const named = await app.gql(
      `{ assessments(first: 5) { edges { node { organisation { name } } } } }`,
      {},
      firm.auth.VIEWER,
    );
    expect(named.data.assessments.edges.map((e: any) => e.node.organisation.name)).toEqual(
      Array(5).fill('Second client'),
    );

    const open = await app.gql(LIST, { filter: { organisationId: org2, status: 'OPEN' } }, firm.auth.VIEWER);
    expect(open.data.assessments.edges.map((e: any) => e.node.id)).toEqual([ids[1]]);

    const theirs = await app.gql(LIST, {}, other.auth.VIEWER);
    expect(theirs.data.assessments).toMatchObject({ totalCount: 0, edges: [] });
    const badCursor = await app.gql(LIST, { after: 'garbage' }, firm.auth.VIEWER);
    expect(badCursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badOrg = await app.gql(LIST, { filter: { organisationId: 'x' } }, firm.auth.VIEWER);
    expect(badOrg.data.assessments.totalCount).toBe(0);
  });

  it("answers NOT_FOUND for another firm's assessment, exactly as for an unknown id", async () => {
    const id = (await create({})).data.createAssessment.id;
    for (const op of ['openAssessment', 'closeAssessment', 'cancelAssessment']) {
      const res = await app.gql(transition(op), { id }, other.auth.CONSULTANT);
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    const read = await app.gql(GET, { id }, other.auth.VIEWER);
    expect(read.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const unknown = await app.gql(GET, { id: '00000000-0000-4000-8000-000000000000' }, other.auth.VIEWER);
    expect(unknown.errors?.[0].message.replace(/"[^"]*"/, '""')).toBe(
      read.errors?.[0].message.replace(/"[^"]*"/, '""'),
    );
    const update = await app.gql(UPDATE, { input: { id, title: 'x' } }, other.auth.CONSULTANT);
    expect(update.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const still = await app.gql(GET, { id }, firm.auth.VIEWER);
    expect(still.data.assessment).toMatchObject({ status: 'DRAFT', version: 1 });
  });
});
