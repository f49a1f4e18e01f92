import { registerEnumType } from 'type-graphql';

/** The events an endpoint can subscribe to (the GraphQL enum's values are the wire names). */
export enum WebhookEventType {
  RESPONDENT_SUBMITTED = 'respondent.submitted',
  ASSESSMENT_OPENED = 'assessment.opened',
  ASSESSMENT_CLOSED = 'assessment.closed',
  ASSESSMENT_CANCELLED = 'assessment.cancelled',
  FRAMEWORK_PUBLISHED = 'framework.published',
}
registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description:
    'An event a webhook endpoint can receive; its `type` in the payload is the lower-case dotted form (RESPONDENT_SUBMITTED is "respondent.submitted").',
});

export const WEBHOOK_EVENT_TYPES = Object.values(WebhookEventType);

/** The graphile-worker task that sends one endpoint's pending deliveries in order. */
export const DELIVER_TASK = 'webhook-endpoint';

/** The job queue's name and job key for one endpoint: its jobs run one at a time. */
export function endpointJobKey(endpointId: string): string {
  return `webhook:${endpointId}`;
}
