import { ENTITIES } from '../src/app-modules';
import { openDatabase } from '../src/db/database';
import { spawnServer, type ChildServer } from './helpers/child-server';
import { createTestFirm } from './helpers/fixtures';
import { insertOrganisation } from './helpers/assessment-fixtures';
import { createTestDatabase, postGraphQL, type TestApp } from './helpers/test-app';
import { startWebhookReceiver } from './helpers/webhook-receiver';
import { DELIVERIES, assessmentWithSubmission, fastWebhookEnv, registerEndpoint } from './helpers/webhook-flow';

/** The two calls of TestApp that the flow helpers use, against a server run as a child process. */
function client(url: string): Pick<TestApp, 'gql' | 'ok'> {
  return {
    gql: (query, variables, headers) => postGraphQL(url, query, variables, headers),
    async ok(query, variables, headers) {
      const res = await postGraphQL(url, query, variables, headers);
      if (res.errors) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
      return res.data;
    },
  };
}

describe('webhooks across a kill -9 of the API', () => {
  const children: ChildServer[] = [];
  afterAll(() => children.forEach((c) => c.process.exitCode === null && c.process.kill('SIGKILL')));

  it('delivers assessment.closed after a restart when the API was killed while sending it', async () => {
    const db = await createTestDatabase();
    const receiver = await startWebhookReceiver();
    try {
      // The firm and its organisation, written before the server holds the database.
      const setup = await openDatabase({
        databaseUrl: db.databaseUrl,
        dataDir: db.dataDir,
        entities: ENTITIES,
        poolSize: 2,
      });
      const firm = await createTestFirm(setup.dataSource, 'Crash LLP');
      const orgId = await insertOrganisation(setup.dataSource, firm.firmId, 'Acme');
      await setup.close();

      const env = {
        DATA_DIR: db.dataDir,
        ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
        ...fastWebhookEnv(),
        // Longer than the test waits: the attempt is still in flight when the process dies.
        WEBHOOK_TIMEOUT_MS: '60000',
        DEMO_FIRM: 'false',
      };
      const first = spawnServer(env);
      children.push(first);
      const api = client(await first.ready(120000));
      const frameworks = await api.ok(
        '{ frameworks(filter: { key: "service-strategy" }) { edges { node { id } } } }',
        {},
        firm.auth.VIEWER,
      );
      const frameworkId = frameworks.frameworks.edges[0].node.id;
      const { id: endpointId, secret } = await registerEndpoint(api, firm.auth.ADMIN, receiver.url, [
        'ASSESSMENT_CLOSED',
        'ASSESSMENT_CANCELLED',
      ]);
      const { assessmentId } = await assessmentWithSubmission(api, firm.auth.CONSULTANT, orgId, frameworkId);

      receiver.answer('hang');
      await api.ok(
        'mutation($id: ID!) { closeAssessment(id: $id) { status } }',
        { id: assessmentId },
        firm.auth.CONSULTANT,
      );
      await receiver.waitFor((r) => r.length >= 1, 20000, 'the first attempt');
      first.process.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');

      receiver.answer(200);
      const second = spawnServer(env);
      children.push(second);
      const again = client(await second.ready(120000));
      const received = await receiver.waitFor(
        (r) => r.some((x) => x.answer === 200),
        30000,
        'the delivery after the restart',
      );
      const delivered = received.find((x) => x.answer === 200)!;
      expect(delivered.json.type).toBe('assessment.closed');
      expect(delivered.json.data.assessment).toMatchObject({ id: assessmentId, status: 'CLOSED' });
      expect(delivered.json.data.result).toMatchObject({
        overallScore: expect.any(Number),
        overallLevel: expect.any(Number),
        respondentCount: 1,
      });
      expect(receiver.verifies(delivered, secret)).toBe(true);
      expect(delivered.headers['webhook-id']).toBe(received[0].headers['webhook-id']);

      const [delivery] = (await again.ok(DELIVERIES, { endpointId }, firm.auth.ADMIN)).webhookDeliveries;
      expect(delivery).toMatchObject({ eventType: 'ASSESSMENT_CLOSED', status: 'DELIVERED' });
      expect(delivery.attempts.at(-1)).toMatchObject({ statusCode: 200, succeeded: true });

      // SIGTERM during an attempt: the attempt is interrupted (not waited for, up to the
      // 60 s timeout), recorded, and the process exits cleanly.
      receiver.answer('hang');
      const other = await again.ok(
        'mutation($input: CreateAssessmentInput!) { createAssessment(input: $input) { id } }',
        {
          input: { organisationId: orgId, frameworkVersionId: frameworkId, title: 'Cancelled' },
        },
        firm.auth.CONSULTANT,
      );
      await again.ok(
        'mutation($id: ID!) { cancelAssessment(id: $id) { status } }',
        { id: other.createAssessment.id },
        firm.auth.CONSULTANT,
      );
      await receiver.waitFor((r) => r.some((x) => x.json?.type === 'assessment.cancelled'), 20000, 'the cancellation');
      const stopAt = Date.now();
      second.process.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
      expect(Date.now() - stopAt).toBeLessThan(10000);
      const after = await openDatabase({
        databaseUrl: db.databaseUrl,
        dataDir: db.dataDir,
        entities: ENTITIES,
        poolSize: 2,
      });
      try {
        const attempts = await after.dataSource.query(
          `SELECT a.error, d.status FROM webhook_attempt a JOIN webhook_delivery d ON d.firm_id = a.firm_id AND d.id = a.delivery_id
             JOIN webhook_event e ON e.firm_id = d.firm_id AND e.id = d.event_id WHERE e.type = 'assessment.cancelled'`,
        );
        expect(attempts).toEqual([{ error: 'interrupted: the API process was stopping', status: 'PENDING' }]);
      } finally {
        await after.close();
      }
    } finally {
      await receiver.close();
      await db.drop();
    }
  }, 360000);
});
