import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { FastifyBaseLogger } from 'fastify';
import type { ValidationError } from 'class-validator';
import { getMetadataStorage } from 'type-graphql';
import { ERROR_CODES, REQUEST_ERROR_CODES, type InputProblem } from './errors';
import { QueryLimitError } from './query-limits';

const PASS_THROUGH = new Set<string>([...ERROR_CODES, ...REQUEST_ERROR_CODES]);

/** Flattens class-validator errors into paths and messages, without the input's values. */
export function validationProblems(errors: ValidationError[], prefix = ''): InputProblem[] {
  const out: InputProblem[] = [];
  for (const error of errors) {
    const key = /^\d+$/.test(error.property) ? `[${error.property}]` : prefix ? `.${error.property}` : error.property;
    const path = `${prefix}${key}`;
    for (const message of Object.values(error.constraints ?? {})) {
      // class-validator messages start with the property name; keep them short and value-free.
      out.push({ path, message });
    }
    if (error.children?.length) out.push(...validationProblems(error.children, path));
  }
  return out;
}

// PostgreSQL refuses some text (a NUL character, an invalid escape): that is the client's input.
const UNSTORABLE_TEXT_CODES = new Set(['22021', '22P05']);

/** The fields of a PostgreSQL error (TypeORM's `driverError`) that are read here. */
interface DriverError {
  code?: string;
  message?: string;
  detail?: string;
}

/**
 * Whether a database error is PostgreSQL refusing a text of the input: a NUL character, or
 * in JSON half of a UTF-16 surrogate pair, which JSON.stringify writes as an escape that
 * PostgreSQL refuses. Other invalid JSON would be the server's own bug: not matched.
 */
function isUnstorableText(driverError: DriverError | undefined): boolean {
  if (!driverError?.code) return false;
  if (UNSTORABLE_TEXT_CODES.has(driverError.code)) return true;
  return (
    driverError.code === '22P02' &&
    /type json\b/.test(driverError.message ?? '') &&
    /surrogate/.test(driverError.detail ?? '')
  );
}

/**
 * The name of the GraphQL argument a validated object came from: '' for an @ArgsType class
 * (its properties are the arguments), else the @Arg name whose type is the object's class.
 */
function argumentPrefix(errors: ValidationError[]): string {
  const ctor = errors[0]?.target?.constructor;
  if (!ctor) return 'input';
  const storage = getMetadataStorage();
  if (storage.argumentTypes.some((t) => t.target === ctor)) return '';
  const names = new Set<string>();
  for (const param of storage.params) {
    if (param.kind === 'arg' && param.getType() === ctor) names.add(param.name);
  }
  return names.size === 1 ? [...names][0] : 'input';
}

/**
 * Builds Apollo's `formatError`: application and request errors pass through with their
 * `extensions.code`; validation errors are reduced to paths and messages (never echoing the
 * input back); anything else is masked as INTERNAL behind an id that is logged with the stack.
 */
export function createFormatError(logger: FastifyBaseLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code as string | undefined;

    if (original instanceof GraphQLError && Array.isArray(original.extensions?.validationErrors)) {
      const errors = original.extensions.validationErrors as ValidationError[];
      const problems = validationProblems(errors, argumentPrefix(errors));
      return {
        message:
          problems.length === 1
            ? `${problems[0].path}: ${problems[0].message}`
            : `${problems.length} problems with the input.`,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'BAD_USER_INPUT', problems },
      };
    }
    const cause = original instanceof GraphQLError && original.originalError ? original.originalError : original;
    if (isUnstorableText((cause as { driverError?: DriverError } | null)?.driverError)) {
      return {
        message:
          'A text in the input contains a character that cannot be stored (such as a NUL character, or half of an emoji).',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'BAD_USER_INPUT', problems: [] },
      };
    }
    if (original instanceof GraphQLError && original.originalError instanceof QueryLimitError) {
      const limit = original.originalError;
      return {
        message: limit.message,
        locations: formatted.locations,
        extensions: { code: limit.code, limit: limit.limit, actual: limit.actual },
      };
    }
    if (code === 'UNAUTHORIZED') {
      return { ...formatted, extensions: { code: 'FORBIDDEN' } };
    }
    if (code && PASS_THROUGH.has(code) && code !== 'INTERNAL') {
      // Apollo's variable-coercion errors carry BAD_USER_INPUT too; keep only safe fields.
      const { stacktrace: _s, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { ...formatted, extensions };
    }
    // Apollo refuses some requests with a GraphQLError that has an HTTP 4xx but no code
    // (an unsupported persisted-query version, a hash that does not match the query).
    const http =
      original instanceof GraphQLError ? (original.extensions?.http as { status?: number } | undefined) : undefined;
    if (
      (code === undefined || code === 'INTERNAL_SERVER_ERROR') &&
      !formatted.path &&
      http?.status !== undefined &&
      http.status >= 400 &&
      http.status < 500
    ) {
      return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
    }
    const errorId = randomUUID();
    logger.error({ errorId, err: original, path: formatted.path }, 'unexpected error');
    return {
      message: `Internal server error. Reference: ${errorId}`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL', errorId },
    };
  };
}
