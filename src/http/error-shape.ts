import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

/** Codes of requests refused before GraphQL sees them (besides Apollo's BAD_REQUEST). */
export type HttpErrorCode =
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'METHOD_NOT_ALLOWED'
  | 'NOT_FOUND'
  | 'CORS_ORIGIN_NOT_ALLOWED'
  | 'INTERNAL';

/**
 * Answers with the one error shape of the API: `{ "errors": [{ "message", "extensions": { "code" } }] }`.
 */
export function sendGraphQLError(
  reply: FastifyReply,
  status: number,
  code: HttpErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ errors: [{ message, extensions: { ...extensions, code } }] });
}

/** A refusal of Fastify's (body parsing, limits), as the status, code and message a client sees. */
function describe(
  error: FastifyError,
  bodyLimit: number,
): { status: number; code: HttpErrorCode; message: string; extensions?: Record<string, unknown> } | null {
  switch (error.code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        status: 400,
        code: 'BAD_REQUEST',
        message: 'The request body is empty: send a JSON object such as {"query": "{ serverInfo { version } }"}.',
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: `The request body is larger than ${bodyLimit} bytes.`,
        extensions: { limit: bodyLimit },
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_TYPE':
      return {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'Send the request as "Content-Type: application/json".',
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'BAD_REQUEST', message: 'The Content-Length header does not match the body.' };
    case 'FST_ERR_CTP_INVALID_TYPE':
      return { status: 400, code: 'BAD_REQUEST', message: 'The Content-Type header is not valid.' };
    default:
      break;
  }
  // JSON.parse's own SyntaxError (Fastify sets 400 on it), e.g. a body of invalid JSON.
  if (error instanceof SyntaxError || error.statusCode === 400)
    return {
      status: 400,
      code: 'BAD_REQUEST',
      message: 'The request could not be read: send a JSON object with a "query".',
    };
  if (error.statusCode === 413)
    return {
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: `The request body is larger than ${bodyLimit} bytes.`,
      extensions: { limit: bodyLimit },
    };
  if (error.statusCode === 415)
    return {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Send the request as "Content-Type: application/json".',
    };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
    return { status: error.statusCode, code: 'BAD_REQUEST', message: 'The request could not be read.' };
  return null;
}

/**
 * Gives every error Fastify answers itself (invalid JSON, an empty or oversize body, an
 * unsupported content type, an unknown route or method) the GraphQL error shape, with a
 * status and `extensions.code` and never a stack; anything unexpected is INTERNAL behind a
 * logged id.
 */
export function registerErrorShape(
  app: FastifyInstance,
  options: { bodyLimit: number; graphqlPath: string; graphqlMethods: string[] },
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = describe(error, options.bodyLimit);
    if (known) return sendGraphQLError(reply, known.status, known.code, known.message, known.extensions);
    const errorId = randomUUID();
    request.log.error({ errorId, err: error }, 'unexpected error');
    return sendGraphQLError(reply, 500, 'INTERNAL', `Internal server error. Reference: ${errorId}`, { errorId });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    if (path === options.graphqlPath) {
      reply.header('allow', options.graphqlMethods.join(', '));
      return sendGraphQLError(
        reply,
        405,
        'METHOD_NOT_ALLOWED',
        `${request.method} is not supported on ${options.graphqlPath}: use ${options.graphqlMethods.join(' or ')}.`,
      );
    }
    return sendGraphQLError(
      reply,
      404,
      'NOT_FOUND',
      `There is nothing at ${JSON.stringify(path.slice(0, 200))}. The API is at ${options.graphqlPath}.`,
    );
  });
}
