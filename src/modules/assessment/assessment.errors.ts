import { ConflictError } from '../../graphql/errors';
import type { AssessmentStatus } from './assessment.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for a string of the uuid form. Any other id names nothing, so services answer
 * NOT_FOUND without asking the database (which would reject the cast).
 */
export function isUuidLike(value: string): boolean {
  return UUID.test(value);
}

/** What each action needs, for the CONFLICT message of a transition from the wrong state. */
const NEEDS: Record<string, string> = {
  open: 'only a DRAFT assessment can be opened',
  close: 'only an OPEN assessment can be closed',
  cancel: 'only a DRAFT or OPEN assessment can be cancelled',
  update: 'only a DRAFT or OPEN assessment can be changed',
  invite: 'respondents can be invited only while the assessment is DRAFT or OPEN',
  reissue: 'link tokens can be issued only while the assessment is DRAFT or OPEN',
};

/** An assessment action asked for in a state that does not allow it (CONFLICT, naming the state). */
export class AssessmentStateError extends ConflictError {
  constructor(action: keyof typeof NEEDS, currentStatus: AssessmentStatus) {
    super(`The assessment is ${currentStatus}; ${NEEDS[action]}.`, { currentStatus });
  }
}
