import type { WebhookConfig } from '../../src/config';
import { defaultFrameworkDef, inviteViaApi, tokenAuth, validValue } from './assessment-fixtures';
import type { TestApp } from './test-app';

/** Webhook settings that make retries and timeouts take milliseconds instead of minutes. */
export const FAST_WEBHOOKS: WebhookConfig = {
  allowPrivateNetworks: true,
  timeoutMs: 700,
  retryBaseDelayMs: 150,
  retryMaxDelayMs: 600,
  retryWindowMs: 60_000,
  concurrency: 2,
  pollIntervalMs: 100,
};

/** The same settings as WEBHOOK_* environment variables, for a server run as a child process. */
export function fastWebhookEnv(): Record<string, string> {
  return {
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_TIMEOUT_MS: String(FAST_WEBHOOKS.timeoutMs),
    WEBHOOK_RETRY_BASE_DELAY_MS: String(FAST_WEBHOOKS.retryBaseDelayMs),
    WEBHOOK_RETRY_MAX_DELAY_MS: String(FAST_WEBHOOKS.retryMaxDelayMs),
    WEBHOOK_RETRY_WINDOW_MS: String(FAST_WEBHOOKS.retryWindowMs),
    WEBHOOK_POLL_INTERVAL_MS: String(FAST_WEBHOOKS.pollIntervalMs),
  };
}

type Gql = Pick<TestApp, 'ok' | 'gql'>;

export const CREATE_ENDPOINT = `mutation C($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { id url events enabled description } }
}`;
export const DELIVERIES = `query D($endpointId: ID!, $status: WebhookDeliveryStatus) {
  webhookDeliveries(endpointId: $endpointId, status: $status, first: 50) {
    id endpointId messageId eventType occurredAt status attemptCount nextAttemptAt deliveredAt redeliveryOf payload
    attempts { number statusCode succeeded error responseBodyExcerpt durationMs startedAt }
  }
}`;

/** Registers an endpoint through the API; returns its id and secret. */
export async function registerEndpoint(
  app: Gql,
  admin: Record<string, string>,
  url: string,
  events: string[],
): Promise<{ id: string; secret: string }> {
  const data = await app.ok(CREATE_ENDPOINT, { input: { url, events, description: 'test receiver' } }, admin);
  return { id: data.createWebhookEndpoint.endpoint.id, secret: data.createWebhookEndpoint.secret };
}

/** Creates and opens an assessment, invites one respondent who answers everything and submits. */
export async function assessmentWithSubmission(
  app: Gql,
  consultant: Record<string, string>,
  organisationId: string,
  frameworkVersionId: string,
): Promise<{ assessmentId: string; respondentId: string }> {
  const created = await app.ok(
    'mutation($input: CreateAssessmentInput!) { createAssessment(input: $input) { id } }',
    {
      input: { organisationId, frameworkVersionId, title: 'Webhook review' },
    },
    consultant,
  );
  const assessmentId: string = created.createAssessment.id;
  await app.ok('mutation($id: ID!) { openAssessment(id: $id) { id } }', { id: assessmentId }, consultant);
  const [r] = await inviteViaApi(app as TestApp, consultant, assessmentId, [
    { name: 'Анна', email: 'anna@example.com', role: 'EXECUTIVE' },
  ]);
  const def = defaultFrameworkDef();
  // TRAIN_01 = true hides TRAIN_02 and SYS_01 = false hides SYS_02.
  const answers = def.questions
    .filter((q) => !['SYS_02', 'TRAIN_02'].includes(q.code))
    .map((q) => ({
      question: q.code,
      value: q.code === 'SYS_01' ? false : q.code === 'TRAIN_01' ? true : validValue(q),
    }));
  await app.ok(
    'mutation S($input: SaveAnswersInput!) { saveAnswers(input: $input) { status } }',
    { input: { answers } },
    tokenAuth(r.token),
  );
  await app.ok('mutation { submitResponse { status } }', {}, tokenAuth(r.token));
  return { assessmentId, respondentId: r.id };
}
