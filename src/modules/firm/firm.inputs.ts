import { Field, InputType } from 'type-graphql';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsOptional, IsString, ValidateBy, type ValidationOptions } from 'class-validator';
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
    description: 'Replaces the web origins allowed to call the API from a browser with this firm\'s keys: up to 50 origins such as "https://portal.example.com" (scheme, host and optional port; no path or wildcard). [] allows none.',
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
