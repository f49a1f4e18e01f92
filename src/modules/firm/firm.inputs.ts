import { Field, InputType } from 'type-graphql';
import { IsBoolean, IsEnum, IsOptional, IsString } from 'class-validator';
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
}
