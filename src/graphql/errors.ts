import { GraphQLError } from 'graphql';

/** The error codes a client can see in `extensions.code`. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'CORS_ORIGIN_NOT_ALLOWED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Apollo's own codes for requests that are malformed before any resolver runs. */
export const REQUEST_ERROR_CODES = [
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_ROOT_FIELDS',
  'QUERY_TOO_COSTLY',
] as const;

/** One problem with an input, located by its field path (e.g. `input.links[0].weight`). */
export interface InputProblem {
  path: string;
  message: string;
}

/** Base of every error the application means a client to see. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extra, code } });
  }
}

/** No key, or a malformed, unknown or revoked one. */
export class UnauthenticatedError extends AppError {
  constructor(message = 'A valid API key is required: send "Authorization: Bearer <key>".') {
    super('UNAUTHENTICATED', message);
  }
}

/** The caller is known but its role does not allow this operation. */
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

/** The object does not exist for this caller (another firm's object looks exactly the same). */
export class NotFoundError extends AppError {
  constructor(kind: string, id: string) {
    super('NOT_FOUND', `${kind} ${JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id)} was not found.`);
  }
}

/** The input is wrong; `problems` names every problem with its path. */
export class BadInputError extends AppError {
  constructor(problems: InputProblem[], message?: string) {
    super(
      'BAD_USER_INPUT',
      message ??
        (problems.length === 1
          ? `${problems[0].path}: ${problems[0].message}`
          : `${problems.length} problems with the input.`),
      { problems },
    );
  }
}

/** The request conflicts with the object's current state (wrong state, stale version, duplicate). */
export class ConflictError extends AppError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super('CONFLICT', message, extra);
  }
}
