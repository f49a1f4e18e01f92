import { Field, Float, ID, ObjectType } from 'type-graphql';
import { ResultLevelType } from './result.types';

@ObjectType('HistoryDimension', { description: "One dimension of a closed assessment in an organisation's history." })
export class HistoryDimensionType {
  @Field()
  code: string;

  @Field(() => String, { nullable: true })
  title: string | null;

  @Field()
  group: string;

  @Field(() => Float, { nullable: true, description: 'D_d, full precision; null when not scored.' })
  score: number | null;

  @Field(() => Float, { nullable: true, description: '`score` rounded to one decimal, half away from zero.' })
  scoreRounded: number | null;

  @Field(() => ResultLevelType, { nullable: true })
  level: ResultLevelType | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "score − the same dimension's score in the previous CLOSED assessment on the same framework key; null when there is none or either score is null.",
  })
  change: number | null;

  @Field(() => Float, { nullable: true, description: '`change` rounded to one decimal.' })
  changeRounded: number | null;
}

@ObjectType('AssessmentHistoryEntry', {
  description: 'One assessment of an organisation, with its stored scores when CLOSED.',
})
export class AssessmentHistoryEntryType {
  @Field(() => ID)
  assessmentId: string;

  @Field()
  title: string;

  @Field({ description: 'DRAFT, OPEN, CLOSED or CANCELLED.' })
  status: string;

  @Field({ description: 'The framework key, e.g. service-strategy.' })
  frameworkKey: string;

  @Field({ description: 'The framework version, e.g. 1.0.0.' })
  frameworkVersion: string;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The previous CLOSED assessment on the same framework key (by closedAt) the changes are measured from.',
  })
  previousAssessmentId: string | null;

  @Field(() => Float, { nullable: true, description: 'Overall score (CLOSED only).' })
  overallScore: number | null;

  @Field(() => Float, { nullable: true })
  overallScoreRounded: number | null;

  @Field(() => ResultLevelType, { nullable: true, description: 'Overall level (CLOSED only).' })
  overallLevel: ResultLevelType | null;

  @Field(() => Float, {
    nullable: true,
    description: "Overall score − the previous closed assessment's overall score.",
  })
  overallChange: number | null;

  @Field(() => Float, { nullable: true })
  overallChangeRounded: number | null;

  @Field(() => [HistoryDimensionType], { description: 'Every dimension of the stored result (empty unless CLOSED).' })
  dimensions: HistoryDimensionType[];
}
