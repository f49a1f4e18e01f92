import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON, GraphQLSafeInt } from 'graphql-scalars';
import { Locale } from '../reference/reference.types';
// A respondent sees the scale and the show-if rule as the framework states them, but no scores.
import { FrameworkScale, FrameworkShowIf, QuestionType } from '../framework/framework.types';
import { AssessmentStatusValue } from '../assessment/assessment.types';
import { RespondentStatusValue } from './respondent.types';

@ObjectType('QuestionnaireOption', { description: 'An option of a choice question.' })
export class QuestionnaireOptionNode {
  @Field({ description: 'What to send as the value (SINGLE_CHOICE) or in the list (MULTI_CHOICE).' })
  code: string;

  @Field()
  label: string;

  @Field({ description: 'MULTI_CHOICE: may only be chosen alone (e.g. "none of these").' })
  exclusive: boolean;
}

@ObjectType('QuestionnaireNumeric', { description: 'The accepted range of a NUMERIC question.' })
export class QuestionnaireNumericNode {
  @Field()
  min: number;

  @Field()
  max: number;

  @Field(() => String, { nullable: true })
  unit: string | null;
}

@ObjectType('QuestionnaireQuestion', { description: 'A question as the respondent sees it, in questionnaire order.' })
export class QuestionnaireQuestionNode {
  @Field()
  code: string;

  @Field(() => QuestionType)
  type: QuestionType;

  @Field(() => String, {
    nullable: true,
    description: 'Title of the first dimension the question feeds, to group questions into sections.',
  })
  section: string | null;

  @Field()
  text: string;

  @Field(() => String, { nullable: true })
  help: string | null;

  @Field({ description: 'Submitting needs an answer to every required question that is visible.' })
  required: boolean;

  @Field({ description: 'The question accepts "not applicable".' })
  allowNotApplicable: boolean;

  @Field({ description: 'Visible with the answers saved so far (see showIf).' })
  visible: boolean;

  @Field(() => FrameworkShowIf, { nullable: true })
  showIf: FrameworkShowIf | null;

  @Field(() => FrameworkScale, { nullable: true, description: 'LIKERT only.' })
  scale: FrameworkScale | null;

  @Field(() => [QuestionnaireOptionNode], { nullable: true, description: 'SINGLE_CHOICE and MULTI_CHOICE only.' })
  options: QuestionnaireOptionNode[] | null;

  @Field(() => QuestionnaireNumericNode, { nullable: true, description: 'NUMERIC only.' })
  numeric: QuestionnaireNumericNode | null;
}

@ObjectType('SavedAnswer', { description: 'An answer stored for the respondent.' })
export class SavedAnswerNode {
  @Field()
  question: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'null when notApplicable.' })
  value: unknown;

  @Field()
  notApplicable: boolean;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'The highest clientSeq of the saves applied to it (null when none carried one).',
  })
  clientSeq: number | null;

  @Field({
    description: 'When its value or notApplicable last changed (a save that repeats the stored answer leaves it).',
  })
  updatedAt: Date;
}

@ObjectType('QuestionnaireProgress', { description: 'Progress over the questions visible with the saved answers.' })
export class QuestionnaireProgressNode {
  @Field(() => Int)
  visible: number;

  @Field(() => Int)
  answered: number;

  @Field(() => Int)
  required: number;

  @Field(() => Int)
  requiredAnswered: number;

  @Field(() => [String], {
    description: 'Visible required questions without an answer, in questionnaire order: what blocks submitting.',
  })
  missingRequired: string[];
}

@ObjectType('Questionnaire', {
  description: 'What a respondent’s link token opens: the questionnaire, their answers and progress.',
})
export class QuestionnaireNode {
  @Field(() => Locale, { description: 'The language of the texts.' })
  locale: Locale;

  @Field()
  assessmentTitle: string;

  @Field()
  organisationName: string;

  @Field()
  frameworkName: string;

  @Field()
  respondentName: string;

  @Field()
  respondentRole: string;

  @Field(() => RespondentStatusValue)
  status: RespondentStatusValue;

  @Field(() => AssessmentStatusValue)
  assessmentStatus: AssessmentStatusValue;

  @Field({ description: 'True while answers can be saved: the assessment is OPEN and the response is not submitted.' })
  editable: boolean;

  @Field(() => String, { nullable: true, description: 'Why the answers are read-only, when they are.' })
  readOnlyReason: string | null;

  @Field(() => Date, { nullable: true })
  dueAt: Date | null;

  @Field(() => Date, { nullable: true })
  submittedAt: Date | null;

  @Field({ description: 'When this link stops working.' })
  tokenExpiresAt: Date;

  @Field(() => [QuestionnaireQuestionNode])
  questions: QuestionnaireQuestionNode[];

  @Field(() => [SavedAnswerNode], {
    description: 'The saved answers (hidden questions included), in questionnaire order.',
  })
  answers: SavedAnswerNode[];

  @Field(() => [String], {
    description: 'Codes of the questions visible with the saved answers, in questionnaire order.',
  })
  visibleQuestions: string[];

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description:
      'The highest clientSeq stored for this respondent (cleared answers included): a client resuming elsewhere continues above it.',
  })
  maxClientSeq: number | null;

  @Field(() => QuestionnaireProgressNode)
  progress: QuestionnaireProgressNode;
}

/** Whether a saved answer was stored. */
export enum AnswerOutcome {
  APPLIED = 'APPLIED',
  STALE = 'STALE',
}
registerEnumType(AnswerOutcome, {
  name: 'AnswerOutcome',
  description:
    'APPLIED: stored. STALE: ignored because an answer with a higher clientSeq is already stored (or comes later in the same call).',
});

@ObjectType('AnswerSaveResult', { description: 'What happened to one answer of a saveAnswers call.' })
export class AnswerSaveResultNode {
  @Field(() => Int, { description: 'Position of the answer in the call.' })
  index: number;

  @Field()
  question: string;

  @Field(() => AnswerOutcome)
  outcome: AnswerOutcome;
}

@ObjectType('SaveAnswersPayload', { description: 'The outcome of each answer, and the progress after the call.' })
export class SaveAnswersPayloadNode {
  @Field(() => [AnswerSaveResultNode], { description: 'One per answer sent, in the order sent.' })
  results: AnswerSaveResultNode[];

  @Field(() => RespondentStatusValue)
  status: RespondentStatusValue;

  @Field()
  lastActivityAt: Date;

  // `visibleQuestions` and `progress` are resolved by SaveAnswersPayloadResolver from this,
  // so that a save whose client does not ask for them does not read all the answers back.
  /** The visible questions and progress with the answers stored after the save. */
  progressDetail: () => Promise<{ visibleQuestions: string[] } & QuestionnaireProgressNode>;
}

@ObjectType('SubmitResponsePayload', { description: 'A submitted response: the answers are read-only from now on.' })
export class SubmitResponsePayloadNode {
  @Field(() => RespondentStatusValue)
  status: RespondentStatusValue;

  @Field()
  submittedAt: Date;

  @Field(() => QuestionnaireProgressNode)
  progress: QuestionnaireProgressNode;
}
