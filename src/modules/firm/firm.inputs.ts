import { Field, InputType } from 'type-graphql';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  MaxLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { MAX_ORIGINS, normaliseOrigin } from '../../http/origin';
import { HasNoControlCharacters, IsNotBlank, MaxTrimmedLength } from '../reference/reference.validators';
import { ApiKeyRoleValue } from './firm.types';

@InputType({ description: 'A new API key.' })
export class CreateApiKeyInput {
  @Field(() => String, { description: 'What the key is for, e.g. "Client portal (production)"; 1..100 characters.' })
  @IsString()
  @IsNotBlank()
  @MaxTrimmedLength(100)
  @HasNoControlCharacters()
  name: string;

  @Field(() => ApiKeyRoleValue)
  @IsEnum(ApiKeyRoleValue)
  role: ApiKeyRoleValue;
}

@InputType({ description: 'Changes to the firm; fields left out (or null) stay as they are.' })
export class UpdateFirmSettingsInput {
  @Field(() => String, { nullable: true, description: '1..200 characters.' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxTrimmedLength(200)
  @HasNoControlCharacters()
  name?: string | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  sharesBenchmarks?: boolean | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'The whole list of origins that may show the respondent page in an iframe, each https://host[:port] (no path or wildcard; stored normalised, duplicates dropped); at most 20. [] allows none.',
  })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  embedOrigins?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The brand colour of the respondent page, "#rrggbb" or "#rgb"; its text colour is chosen for WCAG AA contrast. "" removes it.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  brandColor?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The logo shown on the respondent page: a PNG, JPEG or WebP image of at most 256 KiB, as base64 or a data URL ("data:image/png;base64,…"); the type is read from the bytes. This server stores and serves it. "" removes it.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(400_000)
  logo?: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Replaces the web origins allowed to call the API from a browser with this firm\'s keys: up to 50 origins such as "https://portal.example.com" (scheme, host and optional port; no path or wildcard). [] allows none.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ORIGINS)
  @IsString({ each: true })
  @IsWebOrigin({ each: true })
  corsOrigins?: string[] | null;
}

/** A web origin as {@link normaliseOrigin} accepts it; the message says what is wrong. */
function IsWebOrigin(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWebOrigin',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && 'origin' in normaliseOrigin(value),
        defaultMessage: (args) => {
          // With `each`, class-validator hands the whole list: name the first origin that fails.
          const values: unknown[] = Array.isArray(args?.value) ? args.value : [args?.value];
          for (const [index, value] of values.entries()) {
            const result = typeof value === 'string' ? normaliseOrigin(value) : { problem: 'is not a string' };
            // The position, not the value: messages never echo the input.
            if ('problem' in result) return `origin [${index}] ${result.problem}`;
          }
          return 'each origin must be of the form https://portal.example.com';
        },
      },
    },
    options,
  );
}
