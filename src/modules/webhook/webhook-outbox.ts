import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DELIVER_TASK, endpointJobKey, type WebhookEventType } from './webhook-events';

// One statement: the event, one PENDING delivery per enabled endpoint of the firm that
// subscribes to the type, and one job per such endpoint (graphile-worker's add_job, in this
// same transaction). Nothing is written when no endpoint wants the event.
const RECORD_EVENT = `
WITH endpoints AS (
  SELECT id FROM webhook_endpoint WHERE firm_id = $1 AND enabled AND $3 = ANY(events)
), event AS (
  INSERT INTO webhook_event (firm_id, id, type, occurred_at, body)
  SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM endpoints)
  RETURNING id
), deliveries AS (
  INSERT INTO webhook_delivery (firm_id, id, endpoint_id, event_id, status, next_attempt_at, created_at)
  SELECT $1, gen_random_uuid(), endpoints.id, event.id, 'PENDING', $4, $4 FROM endpoints, event
  RETURNING endpoint_id
)
SELECT (graphile_worker.add_job($6, json_build_object('firmId', $1::text, 'endpointId', endpoint_id),
          queue_name => 'webhook:' || endpoint_id, job_key => 'webhook:' || endpoint_id, job_key_mode => 'preserve_run_at')).id AS job_id
  FROM deliveries`;

/** The JSON body of every event (Standard Webhooks' recommended envelope). */
export interface WebhookEventBody<T = Record<string, unknown>> {
  /** Unique id of the event, also its `webhook-id` header. */
  id: string;
  type: WebhookEventType;
  /** When the change happened (ISO 8601, UTC). */
  timestamp: string;
  data: T;
}

/** The `webhook-id` header of an event: `msg_` and the event id without dashes. */
export function messageId(eventId: string): string {
  return `msg_${eventId.replace(/-/g, '')}`;
}

/**
 * Records an event of the firm in the outbox, within the caller's transaction (`manager`
 * must be the transaction's): the event and its deliveries commit or roll back with the
 * change itself, and the worker is told by a job enqueued in the same transaction.
 * Returns the number of endpoints that will receive it.
 */
export async function recordWebhookEvent(
  manager: EntityManager,
  firmId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<number> {
  const id = randomUUID();
  const occurredAt = new Date();
  const body: WebhookEventBody = { id: messageId(id), type, timestamp: occurredAt.toISOString(), data };
  const rows: unknown[] = await manager.query(RECORD_EVENT, [
    firmId,
    id,
    type,
    occurredAt,
    JSON.stringify(body),
    DELIVER_TASK,
  ]);
  return rows.length;
}

/**
 * Asks the worker to send the endpoint's pending deliveries (after a redelivery or when the
 * endpoint is enabled again), through `queryable` (a transaction's manager or the DataSource).
 * `runAt` schedules it later (a retry's time); a job already waiting for that endpoint is
 * moved to `runAt`, or kept where it is when `runAt` is not given.
 */
export async function enqueueEndpoint(
  queryable: { query: (sql: string, params: unknown[]) => Promise<unknown> },
  firmId: string,
  endpointId: string,
  runAt: Date | null = null,
): Promise<void> {
  await queryable.query(
    `SELECT graphile_worker.add_job($1, json_build_object('firmId', $2::text, 'endpointId', $3::text),
       queue_name => $4, run_at => $5, job_key => $4, job_key_mode => $6)`,
    [DELIVER_TASK, firmId, endpointId, endpointJobKey(endpointId), runAt, runAt ? 'replace' : 'preserve_run_at'],
  );
}
