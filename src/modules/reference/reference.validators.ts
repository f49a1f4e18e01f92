import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isCountryCode } from './iso-countries';
import { isIsicSection } from './isic-sections';

/** Upper-cases a code given in any case; what the services store and compare. */
export function normalizeCode(value: string): string {
  return value.trim().toUpperCase();
}

/** An ISIC Rev. 4 section letter A..U (any case). */
export function IsIsicSection(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsicSection',
      validator: {
        validate: (value) => typeof value === 'string' && isIsicSection(normalizeCode(value)),
        defaultMessage: (args) =>
          `${args?.property} must be an ISIC Rev. 4 section letter A..U (see the industries query)`,
      },
    },
    options,
  );
}

/** An officially assigned ISO 3166-1 alpha-2 country code (any case). */
export function IsCountryCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCountryCode',
      validator: {
        validate: (value) => typeof value === 'string' && isCountryCode(normalizeCode(value)),
        defaultMessage: (args) => `${args?.property} must be an assigned ISO 3166-1 alpha-2 country code, e.g. DE`,
      },
    },
    options,
  );
}

/** Contains at least one character that is not white space. */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBlank',
      validator: {
        validate: (value) => typeof value === 'string' && value.trim().length > 0,
        defaultMessage: (args) => `${args?.property} must not be empty or only spaces`,
      },
    },
    options,
  );
}

/** True when the text holds a control character (C0, DEL or C1); PostgreSQL refuses NUL outright. */
export function hasControlCharacters(value: string): boolean {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return /[\u0000-\u001f\u007f-\u009f]/.test(value);
}

/** Holds no control characters (no NUL, tab, line break, …): names and search texts are one plain line. */
export function HasNoControlCharacters(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasNoControlCharacters',
      validator: {
        validate: (value) => typeof value === 'string' && !hasControlCharacters(value),
        defaultMessage: (args) =>
          `${args?.property} must not contain control characters (such as NUL, tabs or line breaks)`,
      },
    },
    options,
  );
}

/** At most `max` characters once the spaces around it are dropped (as the services store it). */
export function MaxTrimmedLength(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxTrimmedLength',
      constraints: [max],
      validator: {
        validate: (value) => typeof value === 'string' && value.trim().length <= max,
        defaultMessage: (args) => `${args?.property} must be at most ${max} characters long`,
      },
    },
    options,
  );
}
