import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { postGraphQL, startTestApp, type TestApp } from './helpers/test-app';
import { spawnServer } from './helpers/child-server';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import {
  createAssessmentViaApi,
  defaultFrameworkDef,
  defaultFrameworkId,
  inviteViaApi,
  tokenAuth,
  validValue,
} from './helpers/assessment-fixtures';
import { pg15Available, startReplicaCluster, PG15_BIN, type ReplicaCluster } from './helpers/replica-cluster';

const describeWithPg15 = pg15Available() ? describe : describe.skip;
if (!pg15Available()) {
  console.warn(
    `test/replica.e2e.test.ts skipped: PostgreSQL 15's initdb, pg_ctl and pg_basebackup are not in ${PG15_BIN}.`,
  );
}

const ORGANISATIONS = `{ organisations(first: 10) { totalCount edges { node { id name } } } }`;
const ASSESSMENTS = `query ($org: ID!) { assessments(filter: { organisationId: $org }) { edges { node { id status } } } }`;
const ORGANISATION_BENCHMARK = `query ($id: ID!) { organisationBenchmark(organisationId: $id, cohort: { scope: OWN_FIRM }) {
  subject { organisationId assessmentId } overall { n withheld } } }`;
const COHORT_BENCHMARK = `query ($id: ID!) { cohortBenchmark(frameworkVersionId: $id, cohort: { scope: OWN_FIRM }) { overall { n } } }`;
const SAVE = `mutation S($input: SaveAnswersInput!) { saveAnswers(input: $input) { status } }`;
const CLOSE = `mutation C($id: ID!) { closeAssessment(id: $id) { status } }`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithPg15('reads on a streaming replica (DATABASE_REPLICA_URLS)', () => {
  let cluster: ReplicaCluster;
  let app: TestApp;
  let primary: Client;
  let replica: Client;
  let firm: TestFirm;
  let frameworkId: string;
  let orgId: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-replica-app-'));

  /** The API's statements on a server that started at or after `since` (each pooled connection shows its last one). */
  // pg_stat_activity shows a connection's last statement: a benchmark's is the COMMIT of its
  // read-only snapshot (src/modules/benchmark/benchmark-release.ts, onSnapshot).
  const BENCHMARK_STATEMENT = /benchmark_score|framework_version|benchmark_cohort|^COMMIT$/;

  async function apiStatements(on: Client, since: string): Promise<string[]> {
    const { rows } = await on.query<{ query: string }>(
      `SELECT query FROM pg_stat_activity WHERE application_name = 'ssm-api' AND query_start >= $1::timestamptz`,
      [since],
    );
    return rows.map((r) => r.query);
  }

  const now = async (on: Client): Promise<string> =>
    (await on.query<{ t: string }>('SELECT clock_timestamp()::text AS t')).rows[0].t;

  /** Waits until the replica has replayed everything the primary has written so far. */
  async function replicaCaughtUp(): Promise<void> {
    const { lsn } = (await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0];
    for (const until = Date.now() + 20000; Date.now() < until; await sleep(50)) {
      const { rows } = await replica.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [
        lsn,
      ]);
      if (rows[0].ok) return;
    }
    throw new Error('the replica did not catch up in 20 s');
  }

  /** Runs a read through the API and returns where its statement ran: the replica's and the primary's matching statements. */
  async function observe(read: () => Promise<unknown>, statement: RegExp) {
    const [sinceReplica, sincePrimary] = [await now(replica), await now(primary)];
    await read();
    return {
      onReplica: (await apiStatements(replica, sinceReplica)).some((q) => statement.test(q)),
      onPrimary: (await apiStatements(primary, sincePrimary)).some((q) => statement.test(q)),
    };
  }

  /** An OPEN assessment of the organisation with one submitted response, ready to close. */
  async function submittedAssessment(): Promise<string> {
    const id = await createAssessmentViaApi(app, firm.auth.CONSULTANT, {
      organisationId: orgId,
      frameworkVersionId: frameworkId,
      title: 'Replica review',
    });
    const [r] = await inviteViaApi(app, firm.auth.CONSULTANT, id, [
      { name: 'Ann', email: `ann-${id}@example.com`, role: 'EXECUTIVE' },
    ]);
    const answers = defaultFrameworkDef().questions.map((q) => ({ question: q.code, value: validValue(q) }));
    await app.ok(SAVE, { input: { answers } }, tokenAuth(r.token));
    await app.ok('mutation { submitResponse { status } }', {}, tokenAuth(r.token));
    return id;
  }

  beforeAll(async () => {
    cluster = await startReplicaCluster();
    primary = new Client({ connectionString: cluster.primaryUrl, application_name: 'replica-test' });
    replica = new Client({ connectionString: cluster.replicaUrl, application_name: 'replica-test' });
    await Promise.all([primary.connect(), replica.connect()]);
    app = await startTestApp({
      db: { databaseUrl: cluster.primaryUrl, dataDir, drop: async () => undefined },
      config: { databaseReplicaUrls: [cluster.replicaUrl], dbPoolSize: 3 },
    });
    const ds = app.running.database.dataSource;
    firm = await createTestFirm(ds);
    frameworkId = await defaultFrameworkId(ds);
    orgId = (
      await app.ok(
        `mutation { createOrganisation(input: { name: "Contoso", industry: "G", sizeBand: S250_999, country: "DE" }) { id } }`,
        {},
        firm.auth.CONSULTANT,
      )
    ).createOrganisation.id;
  }, 180000);

  afterAll(async () => {
    await app?.stop(false).catch(() => undefined);
    await Promise.all([primary?.end().catch(() => undefined), replica?.end().catch(() => undefined)]);
    cluster?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is a real streaming replica: read-only, fed by the primary', async () => {
    expect((await replica.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
    expect(
      (await primary.query(`SELECT count(*)::int AS n FROM pg_stat_replication WHERE state = 'streaming'`)).rows[0].n,
    ).toBe(1);
  });

  it("serves the list pages and benchmarks from the replica once it has the firm's writes", async () => {
    const assessmentId = await submittedAssessment();
    await app.ok(CLOSE, { id: assessmentId }, firm.auth.CONSULTANT);
    await replicaCaughtUp();

    const organisations = await observe(async () => {
      const data = await app.ok(ORGANISATIONS, {}, firm.auth.VIEWER);
      expect(data.organisations.edges.map((e: any) => e.node.id)).toEqual([orgId]);
    }, /FROM "organisation"/);
    expect(organisations).toEqual({ onReplica: true, onPrimary: false });

    const assessments = await observe(async () => {
      const data = await app.ok(ASSESSMENTS, { org: orgId }, firm.auth.VIEWER);
      expect(data.assessments.edges[0].node).toEqual({ id: assessmentId, status: 'CLOSED' });
    }, /FROM assessment a/);
    expect(assessments).toEqual({ onReplica: true, onPrimary: false });

    const frameworks = await observe(
      () => app.ok('{ frameworks { totalCount } }', {}, firm.auth.VIEWER),
      /framework_version/,
    );
    expect(frameworks).toEqual({ onReplica: true, onPrimary: false });

    const benchmark = await observe(async () => {
      const data = await app.ok(ORGANISATION_BENCHMARK, { id: orgId }, firm.auth.VIEWER);
      expect(data.organisationBenchmark.subject).toEqual({ organisationId: orgId, assessmentId });
    }, BENCHMARK_STATEMENT);
    expect(benchmark).toEqual({ onReplica: true, onPrimary: false });

    const cohort = await observe(
      () => app.ok(COHORT_BENCHMARK, { id: frameworkId }, firm.auth.VIEWER),
      BENCHMARK_STATEMENT,
    );
    expect(cohort).toEqual({ onReplica: true, onPrimary: false });
  });

  it('runs the reads of one operation one after another on its replica connection', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const seen = await observe(async () => {
        const data = await app.ok(
          `query ($org: ID!) { a: organisations { totalCount } b: organisations { totalCount }
             assessments(filter: { organisationId: $org }) { totalCount } frameworks { totalCount }
             organisationBenchmark(organisationId: $org, cohort: { scope: OWN_FIRM }) { subject { organisationId } } }`,
          { org: orgId },
          firm.auth.VIEWER,
        );
        expect(data.a.totalCount).toBe(1);
        expect(data.organisationBenchmark.subject.organisationId).toBe(orgId);
      }, /FROM "organisation"|FROM assessment a|framework_version|benchmark_score|^COMMIT$/);
      expect(seen).toEqual({ onReplica: true, onPrimary: false });
      // pg 8 warns when a query is sent while others wait on the same client.
      expect(warnings.filter((m) => m.includes('already executing a query'))).toEqual([]);
    } finally {
      process.removeListener('warning', onWarning);
    }
  });

  it('sends writes to the primary, and reads other than lists and benchmarks stay there', async () => {
    const created = await observe(
      () =>
        app.ok(
          `mutation { createOrganisation(input: { name: "Fabrikam", industry: "C", sizeBand: S50_249, country: "FR" }) { id } }`,
          {},
          firm.auth.CONSULTANT,
        ),
      /organisation/,
    );
    expect(created.onReplica).toBe(false);
    expect((await primary.query(`SELECT count(*)::int AS n FROM organisation WHERE name = 'Fabrikam'`)).rows[0].n).toBe(
      1,
    );
    await replicaCaughtUp();
    const one = await observe(
      () => app.ok(`query ($id: ID!) { organisation(id: $id) { name } }`, { id: orgId }, firm.auth.VIEWER),
      /organisation/,
    );
    expect(one).toEqual({ onReplica: false, onPrimary: true });
  });

  it('reads right after a close see the close, though the replica replays 2 s late', async () => {
    const assessmentId = await submittedAssessment();
    await replicaCaughtUp();
    cluster.configureReplica("recovery_min_apply_delay = '2s'");
    for (const until = Date.now() + 10000; Date.now() < until; await sleep(50)) {
      if ((await replica.query('SHOW recovery_min_apply_delay')).rows[0].recovery_min_apply_delay === '2s') break;
    }

    await app.ok(CLOSE, { id: assessmentId }, firm.auth.CONSULTANT);
    const list = await observe(async () => {
      const data = await app.ok(ASSESSMENTS, { org: orgId }, firm.auth.VIEWER);
      expect(data.assessments.edges.find((e: any) => e.node.id === assessmentId).node.status).toBe('CLOSED');
    }, /FROM assessment a/);
    const benchmark = await app.ok(ORGANISATION_BENCHMARK, { id: orgId }, firm.auth.VIEWER);
    expect(benchmark.organisationBenchmark.subject.assessmentId).toBe(assessmentId);
    // The replica itself does not have the close yet: the reads above were not lucky.
    expect((await replica.query('SELECT status FROM assessment WHERE id = $1', [assessmentId])).rows[0].status).toBe(
      'OPEN',
    );
    expect(list).toEqual({ onReplica: false, onPrimary: true });

    // Once the replica has replayed the close, the firm's reads go back to it.
    await replicaCaughtUp();
    expect((await replica.query('SELECT status FROM assessment WHERE id = $1', [assessmentId])).rows[0].status).toBe(
      'CLOSED',
    );
    const later = await observe(() => app.ok(ASSESSMENTS, { org: orgId }, firm.auth.VIEWER), /FROM assessment a/);
    expect(later).toEqual({ onReplica: true, onPrimary: false });
  });

  it('a close made by one API process is seen by a read in another (API_PROCESSES=2)', async () => {
    expect((await replica.query('SHOW recovery_min_apply_delay')).rows[0].recovery_min_apply_delay).toBe('2s');
    const server = spawnServer({
      DATABASE_URL: cluster.primaryUrl,
      DATABASE_REPLICA_URLS: cluster.replicaUrl,
      API_PROCESSES: '2',
      SEED_ON_START: 'false',
    });
    try {
      const url = await server.ready();
      /** One request on its own connection, so that the supervisor hands it to the next process. */
      const send = async (query: string, variables: object, auth: Record<string, string>) => {
        const res = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', connection: 'close', ...auth },
          body: JSON.stringify({ query, variables }),
        });
        const body = (await res.json()) as { data?: any; errors?: unknown };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        return body.data;
      };
      const pidOf = (operation: string): number =>
        JSON.parse(
          server
            .output()
            .split('\n')
            .find((l) => l.includes(`"operationName":"${operation}"`))!,
        ).pid;
      const pairs: Array<[number, number]> = [];
      for (let i = 0; i < 3 && !pairs.some(([a, b]) => a !== b); i++) {
        const assessmentId = await submittedAssessment();
        await send(
          `mutation Close${i}($id: ID!) { closeAssessment(id: $id) { status } }`,
          { id: assessmentId },
          firm.auth.CONSULTANT,
        );
        const data = await send(
          `query Read${i}($org: ID!) { assessments(filter: { organisationId: $org }) { edges { node { id status } } } }`,
          { org: orgId },
          firm.auth.VIEWER,
        );
        expect(data.assessments.edges.find((e: any) => e.node.id === assessmentId).node.status).toBe('CLOSED');
        await new Promise((resolve) => setTimeout(resolve, 200));
        pairs.push([pidOf(`Close${i}`), pidOf(`Read${i}`)]);
      }
      // At least one close and its read were handled by two different processes.
      expect(pairs.some(([a, b]) => a !== b)).toBe(true);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });

  it('reads from the primary while the replica is down', async () => {
    await replica.end();
    cluster.stopReplica();
    const since = await now(primary);
    const data = await app.ok(ASSESSMENTS, { org: orgId }, firm.auth.VIEWER);
    const statuses = data.assessments.edges.map((e: any) => e.node.status);
    expect(statuses.length).toBeGreaterThanOrEqual(3);
    expect(new Set(statuses)).toEqual(new Set(['CLOSED']));
    expect((await apiStatements(primary, since)).some((q) => /FROM assessment a/.test(q))).toBe(true);
    expect((await app.ok(ORGANISATIONS, {}, firm.auth.VIEWER)).organisations.totalCount).toBe(2);
    const benchmark = await app.ok(ORGANISATION_BENCHMARK, { id: orgId }, firm.auth.VIEWER);
    expect(benchmark.organisationBenchmark.subject.organisationId).toBe(orgId);
  });

  it('starts with the replica down, saying so, and reads from the primary', async () => {
    const server = spawnServer({
      DATABASE_URL: cluster.primaryUrl,
      DATABASE_REPLICA_URLS: cluster.replicaUrl,
      SEED_ON_START: 'false',
    });
    try {
      const url = await server.ready();
      expect(server.output()).toContain('read replica unreachable at start: its reads go to the primary');
      const res = await postGraphQL(url, ORGANISATIONS, {}, firm.auth.VIEWER);
      expect(res.errors).toBeUndefined();
      expect(res.data.organisations.totalCount).toBe(2);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });
});
