import { BadInputError, ConflictError } from '../../graphql/errors';

/** A URL that cannot receive webhooks; the message says why. */
export class WebhookUrlError extends BadInputError {
  constructor(path: string, problem: string) {
    super([{ path, message: problem }]);
  }
}

/** The firm already has as many endpoints as it may. */
export class TooManyWebhookEndpointsError extends ConflictError {
  constructor(max: number) {
    super(`The firm already has ${max} webhook endpoints, the most it may have: delete one first.`);
  }
}

/** A redelivery to a disabled endpoint would never be sent. */
export class WebhookEndpointDisabledError extends ConflictError {
  constructor(id: string) {
    super(`Webhook endpoint "${id}" is disabled: enable it first (its waiting deliveries are then sent in order).`);
  }
}
