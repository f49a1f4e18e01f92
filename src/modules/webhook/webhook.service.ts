import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { withTransaction } from '../../db/transaction';
import { NotFoundError } from '../../graphql/errors';
import type { Principal } from '../firm/api-key.service';
import { isUuid } from '../firm/tenant-ids';
import { TooManyWebhookEndpointsError, WebhookEndpointDisabledError, WebhookUrlError } from './webhook.errors';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-events';
import type { CreateWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookDeliveriesArgs } from './webhook.inputs';
import { enqueueEndpoint, messageId } from './webhook-outbox';
import { generateWebhookSecret } from './webhook-signing';
import type {
  WebhookAttemptNode,
  WebhookDeliveryNode,
  WebhookDeliveryStatus,
  WebhookEndpointNode,
} from './webhook.types';
import { webhookUrlProblem } from './webhook-url';

/** Endpoints one firm may have. */
export const MAX_WEBHOOK_ENDPOINTS = 20;

const ENDPOINT_COLUMNS = `id, url, description, events, enabled, created_at, updated_at, secret_rotated_at,
  CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END AS previous_secret_expires_at`;

interface EndpointRow {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
  secret_rotated_at: Date | null;
  previous_secret_expires_at: Date | null;
}

function toEndpoint(row: EndpointRow): WebhookEndpointNode {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events as WebhookEventType[],
    enabled: row.enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    secretRotatedAt: row.secret_rotated_at,
    previousSecretExpiresAt: row.previous_secret_expires_at,
  };
}

function checkedUrl(raw: string, allowPrivateNetworks: boolean): string {
  const url = raw.trim();
  const problem = webhookUrlProblem(url, allowPrivateNetworks);
  if (problem) throw new WebhookUrlError('input.url', problem);
  return url;
}

/** The events in the order of WebhookEventType, each once. */
function eventList(events: WebhookEventType[]): string[] {
  return WEBHOOK_EVENT_TYPES.filter((e) => events.includes(e));
}

async function findEndpoint(
  queryable: { query: DataSource['query'] },
  firmId: string,
  id: string,
): Promise<WebhookEndpointNode | null> {
  if (!isUuid(id)) return null;
  const rows: EndpointRow[] = await queryable.query(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoint WHERE firm_id = $1 AND id = $2`,
    [firmId, id],
  );
  return rows[0] ? toEndpoint(rows[0]) : null;
}

/** The firm's endpoints, oldest first. */
export async function listWebhookEndpoints(
  principal: Principal,
  dataSource: DataSource,
): Promise<WebhookEndpointNode[]> {
  const rows: EndpointRow[] = await dataSource.query(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoint WHERE firm_id = $1 ORDER BY created_at, id`,
    [principal.firmId],
  );
  return rows.map(toEndpoint);
}

/** One endpoint of the firm; NOT_FOUND for any other id. */
export async function getWebhookEndpoint(
  principal: Principal,
  dataSource: DataSource,
  id: string,
): Promise<WebhookEndpointNode> {
  const endpoint = await findEndpoint(dataSource, principal.firmId, id);
  if (!endpoint) throw new NotFoundError('WebhookEndpoint', id);
  return endpoint;
}

/**
 * Registers an endpoint (enabled) and returns it with its signing secret, shown only here.
 * BAD_USER_INPUT for a URL that may not receive webhooks; CONFLICT past
 * {@link MAX_WEBHOOK_ENDPOINTS}.
 */
export async function createWebhookEndpoint(
  principal: Principal,
  dataSource: DataSource,
  allowPrivateNetworks: boolean,
  input: CreateWebhookEndpointInput,
): Promise<{ endpoint: WebhookEndpointNode; secret: string }> {
  const url = checkedUrl(input.url, allowPrivateNetworks);
  const secret = generateWebhookSecret();
  return withTransaction(dataSource, async (manager) => {
    // One creation per firm at a time, so that the count below stays true.
    await manager.query('SELECT 1 FROM firm WHERE id = $1 FOR UPDATE', [principal.firmId]);
    const [{ n }]: Array<{ n: number }> = await manager.query(
      'SELECT count(*)::int AS n FROM webhook_endpoint WHERE firm_id = $1',
      [principal.firmId],
    );
    if (n >= MAX_WEBHOOK_ENDPOINTS) throw new TooManyWebhookEndpointsError(MAX_WEBHOOK_ENDPOINTS);
    const id = randomUUID();
    await manager.query(
      `INSERT INTO webhook_endpoint (firm_id, id, url, description, events, enabled, secret) VALUES ($1, $2, $3, $4, $5, true, $6)`,
      [principal.firmId, id, url, input.description?.trim() ?? '', eventList(input.events), secret],
    );
    return { endpoint: (await findEndpoint(manager, principal.firmId, id))!, secret };
  });
}

/**
 * Changes an endpoint. Disabling it stops sending: its waiting deliveries wait, and no new
 * events are recorded for it. Enabling it again sends what waited, in order.
 */
export async function updateWebhookEndpoint(
  principal: Principal,
  dataSource: DataSource,
  allowPrivateNetworks: boolean,
  input: UpdateWebhookEndpointInput,
): Promise<WebhookEndpointNode> {
  const url = input.url == null ? null : checkedUrl(input.url, allowPrivateNetworks);
  return withTransaction(dataSource, async (manager) => {
    const id = input.id;
    const current = isUuid(id)
      ? (
          await manager.query<Array<{ enabled: boolean }>>(
            'SELECT enabled FROM webhook_endpoint WHERE firm_id = $1 AND id = $2 FOR UPDATE',
            [principal.firmId, id],
          )
        )[0]
      : undefined;
    if (!current) throw new NotFoundError('WebhookEndpoint', id);
    await manager.query(
      `UPDATE webhook_endpoint SET url = coalesce($3, url), description = coalesce($4, description), events = coalesce($5, events),
         enabled = coalesce($6, enabled), updated_at = now()
        WHERE firm_id = $1 AND id = $2`,
      [
        principal.firmId,
        id,
        url,
        input.description?.trim() ?? null,
        input.events ? eventList(input.events) : null,
        input.enabled ?? null,
      ],
    );
    if (input.enabled === true && !current.enabled) await enqueueEndpoint(manager, principal.firmId, id);
    return (await findEndpoint(manager, principal.firmId, id))!;
  });
}

/** Deletes an endpoint with its deliveries and their attempts; returns its id. */
export async function deleteWebhookEndpoint(principal: Principal, dataSource: DataSource, id: string): Promise<string> {
  const rows: Array<{ id: string }> = isUuid(id)
    ? // A DELETE … RETURNING answers [rows, affected count].
      (
        await dataSource.query<[Array<{ id: string }>, number]>(
          'DELETE FROM webhook_endpoint WHERE firm_id = $1 AND id = $2 RETURNING id',
          [principal.firmId, id],
        )
      )[0]
    : [];
  if (!rows[0]) throw new NotFoundError('WebhookEndpoint', id);
  return rows[0].id;
}

/**
 * Gives an endpoint a new secret and returns it (shown only here). For `graceSeconds` the
 * old secret signs too: each delivery carries both signatures, so the receiver can switch
 * to the new secret at any time in that window. A second rotation within the window drops
 * the first old secret.
 */
export async function rotateWebhookSecret(
  principal: Principal,
  dataSource: DataSource,
  id: string,
  graceSeconds: number,
): Promise<{ endpoint: WebhookEndpointNode; secret: string }> {
  const secret = generateWebhookSecret();
  return withTransaction(dataSource, async (manager) => {
    const [, affected]: [unknown, number] = isUuid(id)
      ? await manager.query(
          `UPDATE webhook_endpoint SET
             previous_secret = CASE WHEN $4 > 0 THEN secret END,
             previous_secret_expires_at = CASE WHEN $4 > 0 THEN now() + make_interval(secs => $4) END,
             secret = $3, secret_rotated_at = now(), updated_at = now()
            WHERE firm_id = $1 AND id = $2`,
          [principal.firmId, id, secret, graceSeconds],
        )
      : [null, 0];
    if (affected !== 1) throw new NotFoundError('WebhookEndpoint', id);
    return { endpoint: (await findEndpoint(manager, principal.firmId, id))!, secret };
  });
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  type: string;
  occurred_at: Date;
  body: string;
  status: string;
  attempt_count: number;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  redelivery_of: string | null;
  created_at: Date;
}

const DELIVERY_SELECT = `SELECT d.id, d.endpoint_id, d.event_id, e.type, e.occurred_at, e.body, d.status, d.attempt_count,
    d.next_attempt_at, d.delivered_at, d.redelivery_of, d.created_at
  FROM webhook_delivery d JOIN webhook_event e ON e.firm_id = d.firm_id AND e.id = d.event_id`;

async function withAttempts(
  dataSource: DataSource,
  firmId: string,
  rows: DeliveryRow[],
): Promise<WebhookDeliveryNode[]> {
  const attempts: Array<WebhookAttemptNode & { deliveryId: string }> = rows.length
    ? await dataSource.query(
        `SELECT delivery_id AS "deliveryId", number, started_at AS "startedAt", duration_ms AS "durationMs", status_code AS "statusCode",
                succeeded, error, response_excerpt AS "responseBodyExcerpt"
           FROM webhook_attempt WHERE firm_id = $1 AND delivery_id = ANY($2::uuid[]) ORDER BY delivery_id, number`,
        [firmId, rows.map((r) => r.id)],
      )
    : [];
  return rows.map((r) => ({
    id: r.id,
    endpointId: r.endpoint_id,
    messageId: messageId(r.event_id),
    eventType: r.type as WebhookEventType,
    occurredAt: r.occurred_at,
    status: r.status as WebhookDeliveryStatus,
    attemptCount: r.attempt_count,
    nextAttemptAt: r.status === 'PENDING' ? r.next_attempt_at : null,
    deliveredAt: r.delivered_at,
    redeliveryOf: r.redelivery_of,
    createdAt: r.created_at,
    payload: JSON.parse(r.body) as Record<string, unknown>,
    attempts: attempts.filter((a) => a.deliveryId === r.id).map(({ deliveryId: _d, ...a }) => a),
  }));
}

/** An endpoint's deliveries, newest first, with their attempts. NOT_FOUND for another firm's endpoint. */
export async function listWebhookDeliveries(
  principal: Principal,
  dataSource: DataSource,
  args: WebhookDeliveriesArgs,
): Promise<WebhookDeliveryNode[]> {
  await getWebhookEndpoint(principal, dataSource, args.endpointId);
  const rows: DeliveryRow[] = await dataSource.query(
    `${DELIVERY_SELECT} WHERE d.firm_id = $1 AND d.endpoint_id = $2 AND ($3::varchar IS NULL OR d.status = $3)
      ORDER BY d.seq DESC LIMIT $4`,
    [principal.firmId, args.endpointId, args.status ?? null, args.first],
  );
  return withAttempts(dataSource, principal.firmId, rows);
}

/**
 * Sends a delivery's event to its endpoint once more, as a new delivery (with new attempts
 * and the full retry window) queued after the endpoint's other waiting deliveries; the
 * `webhook-id` stays the event's. Any status may be redelivered. CONFLICT when the endpoint is
 * disabled.
 */
export async function redeliverWebhook(
  principal: Principal,
  dataSource: DataSource,
  deliveryId: string,
): Promise<WebhookDeliveryNode> {
  if (!isUuid(deliveryId)) throw new NotFoundError('WebhookDelivery', deliveryId);
  const firmId = principal.firmId;
  const newId = await withTransaction(dataSource, async (manager) => {
    const rows: Array<{ endpoint_id: string; event_id: string; enabled: boolean }> = await manager.query(
      `SELECT d.endpoint_id, d.event_id, w.enabled FROM webhook_delivery d
         JOIN webhook_endpoint w ON w.firm_id = d.firm_id AND w.id = d.endpoint_id
        WHERE d.firm_id = $1 AND d.id = $2 FOR SHARE OF w`,
      [firmId, deliveryId],
    );
    const original = rows[0];
    if (!original) throw new NotFoundError('WebhookDelivery', deliveryId);
    if (!original.enabled) throw new WebhookEndpointDisabledError(original.endpoint_id);
    const id = randomUUID();
    await manager.query(
      `INSERT INTO webhook_delivery (firm_id, id, endpoint_id, event_id, status, next_attempt_at, redelivery_of)
       VALUES ($1, $2, $3, $4, 'PENDING', now(), $5)`,
      [firmId, id, original.endpoint_id, original.event_id, deliveryId],
    );
    await enqueueEndpoint(manager, firmId, original.endpoint_id);
    return id;
  });
  const rows: DeliveryRow[] = await dataSource.query(`${DELIVERY_SELECT} WHERE d.firm_id = $1 AND d.id = $2`, [
    firmId,
    newId,
  ]);
  return (await withAttempts(dataSource, firmId, rows))[0];
}
