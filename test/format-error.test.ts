import { GraphQLError } from 'graphql';
import type { FastifyBaseLogger } from 'fastify';
import { createFormatError } from '../src/graphql/format-error';
import { ArgumentValidationError } from 'type-graphql';
import { NotFoundError } from '../src/graphql/errors';
import { ValidationError } from 'class-validator';

function fakeLogger() {
  const calls: unknown[][] = [];
  const logger = { error: (...args: unknown[]) => calls.push(args) } as unknown as FastifyBaseLogger;
  return { logger, calls };
}

describe('formatError', () => {
  it('masks an unknown error behind an id that is logged with the error', () => {
    const { logger, calls } = fakeLogger();
    const original = new Error('connection string postgres://secret@db leaked');
    const out = createFormatError(logger)(
      { message: original.message, path: ['x'] },
      new GraphQLError(original.message, { originalError: original }),
    );
    expect(out.extensions?.code).toBe('INTERNAL');
    expect(out.message).not.toContain('secret');
    const errorId = out.extensions?.errorId as string;
    expect(errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls).toHaveLength(1);
    expect(calls[0][0]).toMatchObject({ errorId, err: original });
  });

  it('passes application errors through with their code', () => {
    const { logger, calls } = fakeLogger();
    const err = new NotFoundError('Organisation', 'abc');
    const out = createFormatError(logger)({ message: err.message, extensions: err.extensions }, err);
    expect(out).toMatchObject({ message: 'Organisation "abc" was not found.', extensions: { code: 'NOT_FOUND' } });
    expect(calls).toHaveLength(0);
  });

  it('reduces validation errors to paths and messages, without echoing the input', () => {
    const { logger } = fakeLogger();
    const child = Object.assign(new ValidationError(), {
      property: 'name',
      value: 'x'.repeat(500),
      target: { name: 'x'.repeat(500), secret: 'do-not-echo' },
      constraints: { maxLength: 'name must be shorter than or equal to 200 characters' },
      children: [],
    });
    const err = new ArgumentValidationError([child]);
    const out = createFormatError(logger)({ message: err.message, extensions: err.extensions }, err);
    expect(out.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      problems: [{ path: 'input.name', message: 'name must be shorter than or equal to 200 characters' }],
    });
    expect(JSON.stringify(out)).not.toContain('do-not-echo');
  });
});

describe('formatError and text the database cannot store', () => {
  it('answers BAD_USER_INPUT, not INTERNAL, when PostgreSQL refuses a character of the input', () => {
    const { logger, calls } = fakeLogger();
    const refused = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      driverError: { code: '22021' },
    });
    const out = createFormatError(logger)(
      { message: refused.message },
      new GraphQLError(refused.message, { originalError: refused }),
    );
    expect(out.extensions?.code).toBe('BAD_USER_INPUT');
    expect(out.message).toContain('cannot be stored');
    expect(calls).toHaveLength(0);
  });

  it('answers BAD_USER_INPUT for half a surrogate pair in JSON, and masks other input syntax errors', () => {
    const { logger, calls } = fakeLogger();
    const format = createFormatError(logger);
    const fail = (message: string, detail?: string) => {
      const refused = Object.assign(new Error(message), { driverError: { code: '22P02', message, detail } });
      return format({ message }, new GraphQLError(message, { originalError: refused }));
    };
    expect(
      fail('invalid input syntax for type json', 'Unicode low surrogate must follow a high surrogate.').extensions
        ?.code,
    ).toBe('BAD_USER_INPUT');
    expect(calls).toHaveLength(0);
    // Not the input's text: a bug of the server, which stays masked and logged.
    expect(fail('invalid input syntax for type json', 'Token "abc" is invalid.').extensions?.code).toBe('INTERNAL');
    expect(fail('invalid input syntax for type uuid: "x"').extensions?.code).toBe('INTERNAL');
    expect(calls).toHaveLength(2);
  });
});
