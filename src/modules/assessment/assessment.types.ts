import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../graphql/pagination';

/** The life cycle of an assessment (values equal the stored `status`). */
export enum AssessmentStatusValue {
  DRAFT = 'DRAFT',
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(AssessmentStatusValue, {
  name: 'AssessmentStatus',
  description:
    'DRAFT → OPEN (respondents can answer) → CLOSED (result computed and stored); CANCELLED from DRAFT or OPEN.',
});

@ObjectType('RoleWeight', { description: 'The weight ρ ≥ 0 of a respondent role in the result.' })
export class RoleWeightNode {
  @Field({ description: 'EXECUTIVE, MANAGER, FRONTLINE or another UPPER_SNAKE code the assessment declares.' })
  role: string;

  @Field(() => Float)
  weight: number;
}

@ObjectType('RespondentCounts', { description: 'How many respondents are in each state.' })
export class RespondentCountsNode {
  @Field(() => Int, { description: 'Invited and not started.' })
  invited: number;

  @Field(() => Int, { description: 'Saved at least one answer, not submitted.' })
  inProgress: number;

  @Field(() => Int)
  submitted: number;

  @Field(() => Int)
  total: number;
}

/** What the assessment service returns for one assessment. */
export interface AssessmentView {
  firmId: string;
  id: string;
  organisationId: string;
  frameworkVersionId: string;
  frameworkKey: string;
  frameworkVersion: string;
  title: string;
  status: AssessmentStatusValue;
  roleWeights: RoleWeightNode[];
  dueAt: Date | null;
  openedAt: Date | null;
  closedAt: Date | null;
  cancelledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  /** The exact created_at as PostgreSQL text, for cursors (microseconds). */
  createdAtText: string;
}

@ObjectType('Assessment', { description: 'An assessment of one organisation on one published framework version.' })
export class AssessmentNode implements Omit<AssessmentView, 'firmId' | 'createdAtText'> {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  organisationId: string;

  // `organisation` and `respondentCounts` are field resolvers of AssessmentResolver.

  @Field(() => ID, { description: 'The framework version the questionnaire and scoring come from.' })
  frameworkVersionId: string;

  @Field({ description: 'Key of that framework, e.g. "service-strategy".' })
  frameworkKey: string;

  @Field({ description: 'Version of that framework, e.g. "1.0.0".' })
  frameworkVersion: string;

  @Field()
  title: string;

  @Field(() => AssessmentStatusValue)
  status: AssessmentStatusValue;

  @Field(() => [RoleWeightNode], {
    description:
      'Every declared role with its weight: EXECUTIVE, MANAGER and FRONTLINE always, then the custom roles by code.',
  })
  roleWeights: RoleWeightNode[];

  @Field(() => Date, { nullable: true })
  dueAt: Date | null;

  @Field(() => Date, { nullable: true })
  openedAt: Date | null;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;

  @Field(() => Date, { nullable: true })
  cancelledAt: Date | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  @Field(() => Int, {
    description:
      'Grows with every change; pass it as `expectedVersion` to updateAssessment to detect concurrent edits.',
  })
  version: number;
}

/** `AssessmentEdge` / `AssessmentConnection`. */
export const AssessmentConnection = ConnectionType(AssessmentNode, 'Assessment');
