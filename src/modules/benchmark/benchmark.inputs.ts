import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { IsEnum, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { OptionalSegmentInput } from '../reference/segment.inputs';
import { Locale } from '../reference/reference.types';
import { BenchmarkScope } from './benchmark.types';

@InputType({ description: 'Who to compare with: a scope and optional segment filters (each narrows the cohort).' })
export class BenchmarkCohortInput extends OptionalSegmentInput {
  @Field(() => BenchmarkScope)
  @IsEnum(BenchmarkScope)
  scope: BenchmarkScope;
}

@ArgsType()
class BenchmarkArgsBase {
  @Field(() => BenchmarkCohortInput)
  @ValidateNested()
  @Type(() => BenchmarkCohortInput)
  cohort: BenchmarkCohortInput;

  @Field(() => Locale, { defaultValue: Locale.EN, description: 'Language of dimension titles and the framework name.' })
  @IsEnum(Locale)
  locale: Locale;
}

@ArgsType()
export class AssessmentBenchmarkArgs extends BenchmarkArgsBase {
  @Field(() => ID, { description: 'A CLOSED assessment of the asking firm.' })
  @IsString()
  assessmentId: string;
}

@ArgsType()
export class OrganisationBenchmarkArgs extends BenchmarkArgsBase {
  @Field(() => ID, { description: 'An organisation of the asking firm; its latest closed assessment is benchmarked.' })
  @IsString()
  organisationId: string;
}

@ArgsType()
export class CohortBenchmarkArgs extends BenchmarkArgsBase {
  @Field(() => ID, {
    nullable: true,
    description:
      'A framework version: its key and major version define the cohort. Give this, or frameworkKey and frameworkMajor.',
  })
  @IsOptional()
  @IsString()
  frameworkVersionId?: string | null;

  @Field(() => String, { nullable: true, description: 'Framework key, e.g. service-strategy (with frameworkMajor).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'frameworkKey must be lowercase letters, digits and dashes' })
  frameworkKey?: string | null;

  @Field(() => Int, { nullable: true, description: 'Major version of frameworkKey.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  frameworkMajor?: number | null;
}
