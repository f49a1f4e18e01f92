import { ArgsType, Field, ID } from 'type-graphql';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { Locale } from '../reference/reference.types';

@ArgsType()
export class AssessmentResultArgs {
  @Field(() => ID)
  @IsString()
  @MaxLength(100)
  assessmentId: string;

  @Field(() => Locale, { nullable: true, defaultValue: Locale.EN, description: 'Language of the texts (default EN).' })
  @IsOptional()
  @IsEnum(Locale)
  locale?: Locale;
}
