import { ConflictError } from '../../graphql/errors';

/** A DRAFT or CANCELLED assessment has no result, live or stored (CONFLICT, naming the state). */
export class NoResultError extends ConflictError {
  constructor(assessmentId: string, status: 'DRAFT' | 'CANCELLED') {
    super(
      status === 'DRAFT'
        ? `Assessment ${JSON.stringify(assessmentId)} is DRAFT: it has a result once it is opened.`
        : `Assessment ${JSON.stringify(assessmentId)} is CANCELLED: it has no result.`,
      { status },
    );
  }
}
