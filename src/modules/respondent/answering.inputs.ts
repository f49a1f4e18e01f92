import { ArgsType, Field, InputType } from 'type-graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { GraphQLJSON, GraphQLSafeInt } from 'graphql-scalars';
import { Locale } from '../reference/reference.types';

/** At most this many answers per saveAnswers call. */
export const MAX_ANSWERS_PER_CALL = 200;

@InputType({
  description:
    'One answer. Send a value, or notApplicable: true (where the question allows it), or value: null without notApplicable to clear the answer.',
})
export class AnswerInput {
  @Field({ description: 'The question code.' })
  @IsString()
  @MaxLength(64)
  question: string;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      'LIKERT/NUMERIC: a number; BOOLEAN: true/false; SINGLE_CHOICE: an option code; MULTI_CHOICE: a list of option codes; TEXT: a string.',
  })
  value?: unknown;

  @Field(() => Boolean, {
    nullable: true,
    description: '"Not applicable" (only where the question allows it; then no value).',
  })
  @IsOptional()
  @IsBoolean()
  notApplicable?: boolean | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description:
      'The client’s sequence number of this edit, a whole number ≥ 0 that grows with every edit and differs between edits: Date.now() when several tabs or devices may edit at once. An answer is never overwritten by one with a lower clientSeq.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  clientSeq?: number | null;
}

@InputType({ description: `1..${MAX_ANSWERS_PER_CALL} answers, in any order.` })
export class SaveAnswersInput {
  @Field(() => [AnswerInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ANSWERS_PER_CALL)
  @ValidateNested()
  answers: AnswerInput[];
}

@ArgsType()
export class QuestionnaireArgs {
  @Field(() => Locale, {
    nullable: true,
    defaultValue: Locale.RU,
    description: 'Language of the texts (default RU; an empty text falls back to the other language).',
  })
  @IsOptional()
  @IsEnum(Locale)
  locale?: Locale | null;
}
