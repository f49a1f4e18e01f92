import { validateOrReject, type ValidationError, type ValidatorOptions } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';

// type-graphql's own defaults for `buildSchema({ validate: … })`: properties left out of an
// input are not checked (GraphQL already made the required ones present), and an argument of
// a class without rules is not an error.
const OPTIONS: ValidatorOptions = Object.freeze({ skipMissingProperties: true, forbidUnknownValues: false });

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

/**
 * Checks a resolver argument, already converted to its input class, with class-validator:
 * what type-graphql does with `buildSchema({ validate: { forbidUnknownValues: false } })`,
 * item by item for a list. Rejects with type-graphql's `ArgumentValidationError`, which the
 * error formatting turns into BAD_USER_INPUT.
 *
 * Given to `buildSchema` as `validateFn` because type-graphql's own path resolves
 * `require('class-validator')` again for every validated argument (a module-path lookup on
 * each call: 3 % of the API's CPU on a save). With `validateFn` set, type-graphql ignores
 * `validate` options given to a single `@Arg`/`@Args`: none are used, and this function is
 * the one place that decides how arguments are checked.
 */
export async function validateArgument(argValue: unknown): Promise<void> {
  if (!isObject(argValue)) return;
  try {
    if (Array.isArray(argValue))
      await Promise.all(argValue.filter(isObject).map((item) => validateOrReject(item, OPTIONS)));
    else await validateOrReject(argValue, OPTIONS);
  } catch (error) {
    throw new ArgumentValidationError(error as ValidationError[]);
  }
}
