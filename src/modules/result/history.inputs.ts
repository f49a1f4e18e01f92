import { ArgsType, Field, ID } from 'type-graphql';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { Locale } from '../reference/reference.types';

@ArgsType()
export class OrganisationHistoryArgs {
  @Field(() => ID)
  @IsString()
  @MaxLength(100)
  organisationId: string;

  @Field(() => String, {
    nullable: true,
    description: 'Only assessments on this framework key (e.g. service-strategy).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  frameworkKey?: string | null;

  @Field(() => Locale, { nullable: true, defaultValue: Locale.EN, description: 'Language of the texts (default EN).' })
  @IsOptional()
  @IsEnum(Locale)
  locale?: Locale;
}
