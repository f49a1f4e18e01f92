import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { WebhookEventType } from './webhook-events';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description:
    'PENDING (not yet answered with 2xx; retried with backoff), DELIVERED (a 2xx answer), FAILED (given up after the retry window).',
});

@ObjectType('WebhookEndpoint', { description: 'A URL of the firm that receives signed events (docs/webhooks.md).' })
export class WebhookEndpointNode {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Where events are POSTed.' })
  url: string;

  @Field()
  description: string;

  @Field(() => [WebhookEventType], { description: 'The events it receives.' })
  events: WebhookEventType[];

  @Field({
    description:
      'False: nothing is sent and new events are not recorded for it; deliveries already waiting go out, in order, once it is enabled again.',
  })
  enabled: boolean;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the secret was last rotated.' })
  secretRotatedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Until when the secret before the last rotation also signs deliveries (null: it no longer does).',
  })
  previousSecretExpiresAt: Date | null;
}

@ObjectType('WebhookEndpointSecret', { description: 'An endpoint and its new signing secret.' })
export class WebhookEndpointSecretNode {
  @Field(() => WebhookEndpointNode)
  endpoint: WebhookEndpointNode;

  @Field({
    description:
      'The signing secret (`whsec_` + base64, as Standard Webhooks libraries take it). Shown only this once: store it now.',
  })
  secret: string;
}

@ObjectType('WebhookAttempt', { description: 'One HTTP attempt of a delivery.' })
export class WebhookAttemptNode {
  @Field(() => Int, { description: '1 for the first attempt.' })
  number: number;

  @Field()
  startedAt: Date;

  @Field(() => Int)
  durationMs: number;

  @Field(() => Int, {
    nullable: true,
    description: 'The HTTP status answered; null when there was no answer (refused, timed out, address not allowed).',
  })
  statusCode: number | null;

  @Field({ description: 'True for a 2xx answer.' })
  succeeded: boolean;

  @Field(() => String, { nullable: true, description: 'Why it failed, e.g. "HTTP 500" or "timed out after 10000 ms".' })
  error: string | null;

  @Field(() => String, { nullable: true, description: 'The first KiB of the response body.' })
  responseBodyExcerpt: string | null;
}

@ObjectType('WebhookDelivery', { description: 'One event sent to one endpoint, with its attempts.' })
export class WebhookDeliveryNode {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  endpointId: string;

  @Field({
    description:
      "The `webhook-id` header and the payload's `id` (the same for every attempt and redelivery of the event).",
  })
  messageId: string;

  @Field(() => WebhookEventType)
  eventType: WebhookEventType;

  @Field()
  occurredAt: Date;

  @Field(() => WebhookDeliveryStatus)
  status: WebhookDeliveryStatus;

  @Field(() => Int)
  attemptCount: number;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (PENDING only).' })
  nextAttemptAt: Date | null;

  @Field(() => Date, { nullable: true })
  deliveredAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'The delivery this one repeats, for a redelivery.' })
  redeliveryOf: string | null;

  @Field()
  createdAt: Date;

  @Field(() => GraphQLJSONObject, { description: 'The JSON body sent.' })
  payload: Record<string, unknown>;

  @Field(() => [WebhookAttemptNode], { description: 'Oldest first.' })
  attempts: WebhookAttemptNode[];
}
