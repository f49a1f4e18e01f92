import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { defaultFrameworkDocument, defaultFrameworkId, insertOrganisation } from './helpers/assessment-fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './helpers/webhook-receiver';
import { DELIVERIES, FAST_WEBHOOKS, assessmentWithSubmission, registerEndpoint } from './helpers/webhook-flow';

const ALL_EVENTS = [
  'RESPONDENT_SUBMITTED',
  'ASSESSMENT_OPENED',
  'ASSESSMENT_CLOSED',
  'ASSESSMENT_CANCELLED',
  'FRAMEWORK_PUBLISHED',
];
const CLOSE = 'mutation($id: ID!) { closeAssessment(id: $id) { status } }';
const CANCEL = 'mutation($id: ID!) { cancelAssessment(id: $id) { status } }';
const OPEN = 'mutation($id: ID!) { openAssessment(id: $id) { status } }';
const CREATE = 'mutation($input: CreateAssessmentInput!) { createAssessment(input: $input) { id } }';

const types = (received: ReceivedWebhook[]) => received.map((r) => r.json?.type);

describe('webhooks', () => {
  let app: TestApp;
  let firm: TestFirm;
  let other: TestFirm;
  let orgId: string;
  let frameworkId: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    app = await startTestApp({ config: { webhooks: FAST_WEBHOOKS } });
    const ds = app.running.database.dataSource;
    firm = await createTestFirm(ds, 'Hooked LLP');
    other = await createTestFirm(ds, 'Other LLP');
    orgId = await insertOrganisation(ds, firm.firmId, 'Acme Retail');
    frameworkId = await defaultFrameworkId(ds);
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    // Endpoints of one test must not receive the next test's events.
    const endpoints = await app.ok('{ webhookEndpoints { id } }', {}, firm.auth.ADMIN);
    for (const e of endpoints.webhookEndpoints)
      await app.ok('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id: e.id }, firm.auth.ADMIN);
    await receiver.close();
  });

  const deliveries = async (endpointId: string) =>
    (await app.ok(DELIVERIES, { endpointId }, firm.auth.ADMIN)).webhookDeliveries as any[];

  it('sends every event, signed, in the order it happened, with the result in assessment.closed', async () => {
    const { id, secret } = await registerEndpoint(app, firm.auth.ADMIN, receiver.url, ALL_EVENTS);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const { assessmentId, respondentId } = await assessmentWithSubmission(
      app,
      firm.auth.CONSULTANT,
      orgId,
      frameworkId,
    );
    await app.ok(CLOSE, { id: assessmentId }, firm.auth.CONSULTANT);
    const second = (
      await app.ok(
        CREATE,
        { input: { organisationId: orgId, frameworkVersionId: frameworkId, title: 'Cancelled' } },
        firm.auth.CONSULTANT,
      )
    ).createAssessment.id;
    await app.ok(CANCEL, { id: second }, firm.auth.CONSULTANT);
    const doc = { ...defaultFrameworkDocument(), key: 'hooked-framework' };
    const imported = await app.ok(
      'mutation($document: JSONObject!) { importFramework(document: $document) { id } }',
      { document: doc },
      firm.auth.CONSULTANT,
    );
    await app.ok(
      'mutation($id: ID!) { publishFramework(id: $id) { status } }',
      { id: imported.importFramework.id },
      firm.auth.CONSULTANT,
    );

    await receiver.waitFor((r) => r.length >= 5, 20000, 'five events');
    expect(types(receiver.received)).toEqual([
      'assessment.opened',
      'respondent.submitted',
      'assessment.closed',
      'assessment.cancelled',
      'framework.published',
    ]);
    for (const r of receiver.received) {
      expect(receiver.verifies(r, secret)).toBe(true);
      expect(r.headers['webhook-id']).toBe(r.json.id);
      expect(r.headers['content-type']).toBe('application/json');
    }
    const [opened, submitted, closed, cancelled, published] = receiver.received.map((r) => r.json);
    expect(opened.data.assessment).toMatchObject({
      id: assessmentId,
      organisationId: orgId,
      status: 'OPEN',
      frameworkKey: 'service-strategy',
    });
    expect(submitted.data.respondent).toMatchObject({ id: respondentId, assessmentId, status: 'SUBMITTED' });
    const [stored] = await app.running.database.dataSource.query(
      'SELECT overall_score, overall_level FROM assessment_result WHERE assessment_id = $1',
      [assessmentId],
    );
    expect(closed.data.assessment).toMatchObject({ id: assessmentId, status: 'CLOSED', closedAt: expect.any(String) });
    expect(closed.data.result).toMatchObject({
      overallScore: stored.overall_score,
      overallLevel: stored.overall_level,
      respondentCount: 1,
    });
    expect(typeof closed.data.result.overallScore).toBe('number');
    expect(cancelled.data.assessment).toMatchObject({ id: second, status: 'CANCELLED' });
    expect(published.data.framework).toMatchObject({
      id: imported.importFramework.id,
      key: 'hooked-framework',
      status: 'PUBLISHED',
    });
    for (let i = 1; i < 5; i++)
      expect(Date.parse(receiver.received[i].json.timestamp)).toBeGreaterThanOrEqual(
        Date.parse(receiver.received[i - 1].json.timestamp),
      );

    // Listed with their attempts, newest first.
    await waitUntil(async () => (await deliveries(id)).every((d) => d.status === 'DELIVERED'));
    const listed = await deliveries(id);
    expect(listed.map((d) => d.payload.type)).toEqual(types(receiver.received).reverse());
    expect(listed[0].attempts).toEqual([
      expect.objectContaining({
        number: 1,
        statusCode: 200,
        succeeded: true,
        error: null,
        responseBodyExcerpt: 'thanks',
      }),
    ]);
    // The secret is never shown again.
    const endpoint = await app.ok(
      'query($id: ID!) { webhookEndpoint(id: $id) { id url events enabled } }',
      { id },
      firm.auth.ADMIN,
    );
    expect(endpoint.webhookEndpoint).toEqual({ id, url: receiver.url, events: ALL_EVENTS, enabled: true });
  });

  it('sends only the events an endpoint subscribed to, and nothing of a change that failed', async () => {
    await registerEndpoint(app, firm.auth.ADMIN, receiver.url, ['ASSESSMENT_CLOSED']);
    const id = (
      await app.ok(
        CREATE,
        { input: { organisationId: orgId, frameworkVersionId: frameworkId, title: 'Quiet' } },
        firm.auth.CONSULTANT,
      )
    ).createAssessment.id;
    await app.ok(OPEN, { id }, firm.auth.CONSULTANT);
    // A second open fails (CONFLICT) and rolls back: no event.
    expect((await app.gql(OPEN, { id }, firm.auth.CONSULTANT)).errors?.[0].extensions?.code).toBe('CONFLICT');
    await app.ok(CLOSE, { id }, firm.auth.CONSULTANT);
    await receiver.waitFor((r) => r.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(types(receiver.received)).toEqual(['assessment.closed']);
    // No respondent: the result has no score.
    expect(receiver.received[0].json.data.result).toMatchObject({ overallScore: null, respondentCount: 0 });
  });

  it('retries after a 500 and after a timeout, recording each attempt, and keeps later events behind', async () => {
    const { id, secret } = await registerEndpoint(app, firm.auth.ADMIN, receiver.url, [
      'ASSESSMENT_OPENED',
      'ASSESSMENT_CANCELLED',
    ]);
    // The first request is answered 500, the second never (the sender's timeout), then 200.
    receiver.answer((_json, received) => (received.length === 0 ? 500 : received.length === 1 ? 'hang' : 200));
    const a = (
      await app.ok(
        CREATE,
        { input: { organisationId: orgId, frameworkVersionId: frameworkId, title: 'Retry' } },
        firm.auth.CONSULTANT,
      )
    ).createAssessment.id;
    await app.ok(OPEN, { id: a }, firm.auth.CONSULTANT);
    await app.ok(CANCEL, { id: a }, firm.auth.CONSULTANT);

    await receiver.waitFor((r) => r.length >= 4, 20000, 'three attempts of the first event and the second event');
    // The cancellation waited until the opening was delivered.
    expect(types(receiver.received)).toEqual([
      'assessment.opened',
      'assessment.opened',
      'assessment.opened',
      'assessment.cancelled',
    ]);
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(ids[3]).not.toBe(ids[0]);
    for (const r of receiver.received) expect(receiver.verifies(r, secret)).toBe(true);
    // Backoff: the second retry waited longer than the first.
    const [t0, t1, t2] = receiver.received.map((r) => r.receivedAt);
    expect(t1 - t0).toBeGreaterThanOrEqual(FAST_WEBHOOKS.retryBaseDelayMs - 20);
    expect(t2 - t1).toBeGreaterThanOrEqual(FAST_WEBHOOKS.timeoutMs + 2 * FAST_WEBHOOKS.retryBaseDelayMs - 50);

    await waitUntil(async () => (await deliveries(id)).every((d) => d.status === 'DELIVERED'));
    const opened = (await deliveries(id)).find((d) => d.eventType === 'ASSESSMENT_OPENED');
    expect(opened.attemptCount).toBe(3);
    expect(opened.attempts.map((x: any) => [x.number, x.statusCode, x.succeeded])).toEqual([
      [1, 500, false],
      [2, null, false],
      [3, 200, true],
    ]);
    expect(opened.attempts[0]).toMatchObject({ error: 'HTTP 500', responseBodyExcerpt: 'receiver says 500' });
    expect(opened.attempts[1].error).toBe(`timed out after ${FAST_WEBHOOKS.timeoutMs} ms`);
    expect(opened.attempts[1].durationMs).toBeGreaterThanOrEqual(FAST_WEBHOOKS.timeoutMs - 20);
  });

  it('gives a delivery up (FAILED) after the retry window and goes on with the next one', async () => {
    const shortWindow = { ...FAST_WEBHOOKS, retryWindowMs: 2500 };
    const short = await startTestApp({ config: { webhooks: shortWindow } });
    try {
      const ds = short.running.database.dataSource;
      const f = await createTestFirm(ds, 'Short window');
      const org = await insertOrganisation(ds, f.firmId, 'Org');
      const fw = await defaultFrameworkId(ds);
      const { id } = await registerEndpoint(short, f.auth.ADMIN, receiver.url, [
        'ASSESSMENT_OPENED',
        'ASSESSMENT_CANCELLED',
      ]);
      receiver.answer((json) => (json?.type === 'assessment.opened' ? 503 : 200));
      const a = (
        await short.ok(
          CREATE,
          { input: { organisationId: org, frameworkVersionId: fw, title: 'Doomed' } },
          f.auth.CONSULTANT,
        )
      ).createAssessment.id;
      await short.ok(OPEN, { id: a }, f.auth.CONSULTANT);
      await short.ok(CANCEL, { id: a }, f.auth.CONSULTANT);
      await receiver.waitFor((r) => types(r).includes('assessment.cancelled'), 20000, 'the cancellation');
      const listed = (await short.ok(DELIVERIES, { endpointId: id }, f.auth.ADMIN)).webhookDeliveries;
      const opened = listed.find((d: any) => d.eventType === 'ASSESSMENT_OPENED');
      expect(opened.status).toBe('FAILED');
      expect(opened.attemptCount).toBeGreaterThanOrEqual(2);
      expect(opened.nextAttemptAt).toBeNull();
      expect(opened.attempts.every((x: any) => x.statusCode === 503)).toBe(true);
      // The last attempt was made at the end of the window.
      const last = opened.attempts[opened.attempts.length - 1];
      expect(Date.parse(last.startedAt) - Date.parse(opened.occurredAt)).toBeGreaterThanOrEqual(
        shortWindow.retryWindowMs - 50,
      );
    } finally {
      await short.stop();
    }
  });

  it('redelivers a delivery as a new one with the same webhook-id', async () => {
    const { id, secret } = await registerEndpoint(app, firm.auth.ADMIN, receiver.url, ['ASSESSMENT_OPENED']);
    const a = (
      await app.ok(
        CREATE,
        { input: { organisationId: orgId, frameworkVersionId: frameworkId, title: 'Again' } },
        firm.auth.CONSULTANT,
      )
    ).createAssessment.id;
    await app.ok(OPEN, { id: a }, firm.auth.CONSULTANT);
    await receiver.waitFor((r) => r.length >= 1);
    await waitUntil(async () => (await deliveries(id))[0]?.status === 'DELIVERED');
    const [original] = await deliveries(id);

    expect(
      (
        await app.gql(
          'mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }',
          { id: original.id },
          other.auth.ADMIN,
        )
      ).errors?.[0].extensions?.code,
    ).toBe('NOT_FOUND');
    expect(
      (
        await app.gql(
          'mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }',
          { id: original.id },
          firm.auth.CONSULTANT,
        )
      ).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
    const again = await app.ok(
      'mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id status redeliveryOf messageId } }',
      { id: original.id },
      firm.auth.ADMIN,
    );
    expect(again.redeliverWebhook).toMatchObject({
      status: 'PENDING',
      redeliveryOf: original.id,
      messageId: original.messageId,
    });
    await receiver.waitFor((r) => r.length >= 2);
    expect(receiver.received[1].body).toBe(receiver.received[0].body);
    expect(receiver.received[1].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
    expect(receiver.verifies(receiver.received[1], secret)).toBe(true);
    await waitUntil(async () => (await deliveries(id)).every((d) => d.status === 'DELIVERED'));
    expect((await deliveries(id)).map((d) => d.id)).toEqual([again.redeliverWebhook.id, original.id]);
  });

  it('rotates the secret: both secrets sign during the grace period, only the new one after', async () => {
    const { id, secret: oldSecret } = await registerEndpoint(app, firm.auth.ADMIN, receiver.url, ['ASSESSMENT_OPENED']);
    const ROTATE =
      'mutation($id: ID!, $grace: Int!) { rotateWebhookSecret(id: $id, graceSeconds: $grace) { secret endpoint { secretRotatedAt previousSecretExpiresAt } } }';
    const rotated = (await app.ok(ROTATE, { id, grace: 3600 }, firm.auth.ADMIN)).rotateWebhookSecret;
    expect(rotated.secret).not.toBe(oldSecret);
    expect(Date.parse(rotated.endpoint.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3500 * 1000);
    const openOne = async () => {
      const a = (
        await app.ok(
          CREATE,
          { input: { organisationId: orgId, frameworkVersionId: frameworkId, title: 'Rotate' } },
          firm.auth.CONSULTANT,
        )
      ).createAssessment.id;
      await app.ok(OPEN, { id: a }, firm.auth.CONSULTANT);
    };
    await openOne();
    const [during] = await receiver.waitFor((r) => r.length >= 1);
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(receiver.verifies(during, oldSecret)).toBe(true);
    expect(receiver.verifies(during, rotated.secret)).toBe(true);

    const final = (await app.ok(ROTATE, { id, grace: 0 }, firm.auth.ADMIN)).rotateWebhookSecret;
    expect(final.endpoint.previousSecretExpiresAt).toBeNull();
    await openOne();
    const received = await receiver.waitFor((r) => r.length >= 2);
    expect(String(received[1].headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(receiver.verifies(received[1], final.secret)).toBe(true);
    expect(receiver.verifies(received[1], rotated.secret)).toBe(false);
    expect(receiver.verifies(received[1], oldSecret)).toBe(false);
  });

  it('holds a waiting delivery while its endpoint is disabled, records no new events for it, and sends on once enabled', async () => {
    const { id } = await registerEndpoint(app, firm.auth.ADMIN, receiver.url, [
      'ASSESSMENT_OPENED',
      'ASSESSMENT_CANCELLED',
    ]);
    const UPDATE = 'mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { enabled } }';
    receiver.answer(500);
    const a = (
      await app.ok(
        CREATE,
        { input: { organisationId: orgId, frameworkVersionId: frameworkId, title: 'Held' } },
        firm.auth.CONSULTANT,
      )
    ).createAssessment.id;
    await app.ok(OPEN, { id: a }, firm.auth.CONSULTANT);
    await receiver.waitFor((r) => r.length >= 1);
    await app.ok(UPDATE, { input: { id, enabled: false } }, firm.auth.ADMIN);
    receiver.answer(200);
    const attemptsWhenDisabled = receiver.received.length;
    await app.ok(CANCEL, { id: a }, firm.auth.CONSULTANT);
    // Well past the retry delay: nothing is sent to a disabled endpoint.
    await new Promise((resolve) => setTimeout(resolve, 4 * FAST_WEBHOOKS.retryMaxDelayMs));
    expect(receiver.received.length).toBeLessThanOrEqual(attemptsWhenDisabled + 1);
    const held = receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 2 * FAST_WEBHOOKS.retryMaxDelayMs));
    expect(receiver.received.length).toBe(held);
    expect((await deliveries(id)).map((d) => [d.eventType, d.status])).toEqual([['ASSESSMENT_OPENED', 'PENDING']]);

    await app.ok(UPDATE, { input: { id, enabled: true } }, firm.auth.ADMIN);
    await waitUntil(async () => (await deliveries(id))[0].status === 'DELIVERED');
    expect(receiver.received.at(-1)!.json.type).toBe('assessment.opened');
  });

  it('validates endpoints and keeps them to their firm', async () => {
    const bad = async (input: Record<string, unknown>, auth = firm.auth.ADMIN) =>
      (
        await app.gql(
          'mutation C($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
          { input },
          auth,
        )
      ).errors?.[0];
    expect((await bad({ url: 'not a url', events: ['ASSESSMENT_CLOSED'] }))?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await bad({ url: 'ftp://example.com/x', events: ['ASSESSMENT_CLOSED'] }))?.message).toContain(
      'must start with https://',
    );
    expect((await bad({ url: 'https://user:pw@example.com/x', events: ['ASSESSMENT_CLOSED'] }))?.message).toContain(
      'user name or password',
    );
    expect((await bad({ url: 'https://example.com/x', events: [] }))?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(
      (await bad({ url: 'https://example.com/x', events: ['ASSESSMENT_CLOSED'] }, firm.auth.CONSULTANT))?.extensions
        ?.code,
    ).toBe('FORBIDDEN');

    const { id } = await registerEndpoint(app, firm.auth.ADMIN, 'https://hooks.example.com/ssm', [
      'ASSESSMENT_CLOSED',
      'ASSESSMENT_CLOSED',
    ]);
    const seen = await app.ok('query($id: ID!) { webhookEndpoint(id: $id) { events } }', { id }, firm.auth.ADMIN);
    expect(seen.webhookEndpoint.events).toEqual(['ASSESSMENT_CLOSED']);
    for (const [query, vars] of [
      ['query($id: ID!) { webhookEndpoint(id: $id) { id } }', { id }],
      ['query($id: ID!) { webhookDeliveries(endpointId: $id) { id } }', { id }],
      ['mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id }],
      ['mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }', { id }],
      ['mutation($id: ID!) { updateWebhookEndpoint(input: { id: $id, enabled: false }) { id } }', { id }],
      ['mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }', { id }],
    ] as const) {
      expect((await app.gql(query, vars, other.auth.ADMIN)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    expect((await app.ok('{ webhookEndpoints { id } }', {}, other.auth.ADMIN)).webhookEndpoints).toEqual([]);
  });

  it('without WEBHOOK_ALLOW_PRIVATE_NETWORKS: refuses http and private URLs, and never sends to a private address', async () => {
    const strict = await startTestApp({ config: { webhooks: { ...FAST_WEBHOOKS, allowPrivateNetworks: false } } });
    try {
      const ds = strict.running.database.dataSource;
      const f = await createTestFirm(ds, 'Strict');
      const create = (url: string) =>
        strict.gql(
          'mutation C($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
          { input: { url, events: ['ASSESSMENT_OPENED'] } },
          f.auth.ADMIN,
        );
      for (const url of [
        receiver.url,
        'https://127.0.0.1/x',
        'https://10.1.2.3/x',
        'https://[::1]/x',
        'https://169.254.169.254/latest',
        'https://localhost/x',
        'https://[::ffff:192.168.0.1]/x',
      ]) {
        const res = await create(url);
        expect({ url, code: res.errors?.[0].extensions?.code }).toEqual({ url, code: 'BAD_USER_INPUT' });
      }
      // An endpoint stored while the setting allowed it (or a name that resolves to a private
      // address) is checked again at each attempt, after resolution.
      const { id } = await registerEndpoint(strict, f.auth.ADMIN, 'https://hooks.example.com/x', ['ASSESSMENT_OPENED']);
      const port = new URL(receiver.url).port;
      await ds.query('UPDATE webhook_endpoint SET url = $2 WHERE id = $1', [id, `https://localhost:${port}/hooks`]);
      const org = await insertOrganisation(ds, f.firmId, 'Org');
      const fw = await defaultFrameworkId(ds);
      const a = (
        await strict.ok(
          CREATE,
          { input: { organisationId: org, frameworkVersionId: fw, title: 'Private' } },
          f.auth.CONSULTANT,
        )
      ).createAssessment.id;
      await strict.ok(OPEN, { id: a }, f.auth.CONSULTANT);
      await waitUntil(
        async () =>
          (await strict.ok(DELIVERIES, { endpointId: id }, f.auth.ADMIN)).webhookDeliveries[0]?.attemptCount >= 1,
      );
      const [delivery] = (await strict.ok(DELIVERIES, { endpointId: id }, f.auth.ADMIN)).webhookDeliveries;
      expect(delivery.attempts[0]).toMatchObject({ statusCode: null, succeeded: false });
      // The URL is checked again before each attempt; names are resolved and checked too (unit-tested).
      expect(delivery.attempts[0].error).toBe('The URL must be a public address, not localhost');
      expect(receiver.received).toHaveLength(0);
    } finally {
      await strict.stop();
    }
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
