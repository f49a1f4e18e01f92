import { ForbiddenError } from '../../graphql/errors';

/** A firm that does not share its own results asked for the shared pool. */
export class SharedPoolNotJoinedError extends ForbiddenError {
  constructor() {
    super(
      'Your firm does not take part in the shared benchmark pool, so it cannot query it. ' +
        'An ADMIN key can opt in with `mutation { updateFirmSettings(input: { sharesBenchmarks: true }) { id } }` ' +
        "(the firm's clients then count, anonymously, in other firms' SHARED_POOL cohorts); OWN_FIRM cohorts need no opt-in.",
    );
  }
}
