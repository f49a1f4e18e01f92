import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';
import {
  ArrayMaxSize,
  IsDate,
  IsEnum,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  NotContains,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageArgs } from '../../graphql/pagination';
import { AssessmentStatusValue } from './assessment.types';

/** A role code: UPPER_SNAKE, 2..40 characters (the respondent.role column holds 40). */
export const ROLE_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

/** At most this many roles per assessment. */
export const MAX_ROLES = 20;

@InputType({ description: 'The weight of one respondent role.' })
export class RoleWeightInput {
  @Field({
    description:
      'EXECUTIVE, MANAGER, FRONTLINE, or another UPPER_SNAKE code (2..40 characters) the assessment declares.',
  })
  @IsString()
  @Matches(ROLE_CODE, { message: 'must be an UPPER_SNAKE code of 2 to 40 characters, e.g. EXECUTIVE or BOARD_MEMBER' })
  role: string;

  @Field(() => Float, { description: 'ρ from 0 to 1000; 0 leaves the role out of the result.' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  weight: number;
}

@InputType({ description: 'A new assessment (created as DRAFT).' })
export class CreateAssessmentInput {
  @Field(() => ID, { description: 'A non-archived organisation of the firm.' })
  @IsString()
  organisationId: string;

  @Field(() => ID, { description: 'A PUBLISHED framework version the firm can use (see the `frameworks` query).' })
  @IsString()
  frameworkVersionId: string;

  @Field({ description: '1..200 characters.' })
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @NotContains('\u0000', { message: 'must not contain a NUL character' })
  @MaxLength(200)
  title: string;

  @Field(() => [RoleWeightInput], {
    nullable: true,
    description:
      'Role weights; EXECUTIVE, MANAGER and FRONTLINE weigh 1 unless listed. Other listed codes become roles of this assessment.',
  })
  @IsOptional()
  @ArrayMaxSize(MAX_ROLES)
  @ValidateNested()
  roleWeights?: RoleWeightInput[] | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When answers are due (in the future). Link tokens expire 7 days after it by default.',
  })
  @IsOptional()
  @IsDate()
  dueAt?: Date | null;
}

@InputType({ description: 'Changes to a DRAFT or OPEN assessment; fields left out stay as they are.' })
export class UpdateAssessmentInput {
  @Field(() => ID)
  @IsString()
  id: string;

  @Field(() => Int, {
    nullable: true,
    description: 'When given, the change applies only if the assessment still has this version (else CONFLICT).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true, description: '1..200 characters.' })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @NotContains('\u0000', { message: 'must not contain a NUL character' })
  @MaxLength(200)
  title?: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'A new due date (in the future); null removes it. Tokens already issued keep their expiry.',
  })
  @IsOptional()
  @IsDate()
  dueAt?: Date | null;

  @Field(() => [RoleWeightInput], {
    nullable: true,
    description:
      'Replaces the role weights (allowed while OPEN: the live result changes). A custom role that respondents hold must stay listed.',
  })
  @IsOptional()
  @ArrayMaxSize(MAX_ROLES)
  @ValidateNested()
  roleWeights?: RoleWeightInput[] | null;
}

@InputType({ description: 'Narrows the list of assessments.' })
export class AssessmentFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  organisationId?: string | null;

  @Field(() => AssessmentStatusValue, { nullable: true })
  @IsOptional()
  @IsEnum(AssessmentStatusValue)
  status?: AssessmentStatusValue | null;
}

@ArgsType()
export class AssessmentsArgs extends PageArgs {
  @Field(() => AssessmentFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: AssessmentFilter | null;
}
