import { Field, ID, InputType } from 'type-graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsDate,
  IsEmail,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  NotContains,
  ValidateNested,
} from 'class-validator';
import { ROLE_CODE } from '../assessment/assessment.inputs';

/** At most this many invitations per call. */
export const MAX_INVITATIONS_PER_CALL = 500;

@InputType({ description: 'A person to invite.' })
export class RespondentInput {
  @Field({ description: '1..200 characters.' })
  @IsString()
  @Matches(/\S/, { message: 'must not be blank' })
  @NotContains('\u0000', { message: 'must not contain a NUL character' })
  @MaxLength(200)
  name: string;

  @Field({ description: 'An e-mail address (up to 320 characters).' })
  @IsString()
  @MaxLength(320)
  @IsEmail({}, { message: 'must be an e-mail address' })
  email: string;

  @Field({ description: 'EXECUTIVE, MANAGER, FRONTLINE, or another role listed in the assessment’s roleWeights.' })
  @IsString()
  @Matches(ROLE_CODE, { message: 'must be an UPPER_SNAKE role code, e.g. EXECUTIVE' })
  role: string;
}

@InputType({ description: 'Invitations to a DRAFT or OPEN assessment.' })
export class InviteRespondentsInput {
  @Field(() => ID)
  @IsString()
  assessmentId: string;

  @Field(() => [RespondentInput], { description: `1..${MAX_INVITATIONS_PER_CALL} people.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INVITATIONS_PER_CALL)
  @ValidateNested()
  respondents: RespondentInput[];

  @Field(() => Date, {
    nullable: true,
    description:
      'When the link tokens stop working (in the future). Default: 7 days after the assessment’s due date, or 90 days from now without one.',
  })
  @IsOptional()
  @IsDate()
  expiresAt?: Date | null;
}
