import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ConnectionType } from '../../graphql/pagination';
import type { FrameworkDocument } from './framework-document';
import { Locale } from '../reference/reference.types';

// One Locale enum for the whole API (EN/RU, values 'en'/'ru' as in framework documents).
export { Locale };

/** Life cycle of a framework version (values equal the stored `status`). */
export enum FrameworkStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  RETIRED = 'RETIRED',
}
registerEnumType(FrameworkStatus, {
  name: 'FrameworkStatus',
  description:
    'DRAFT (the firm may replace or delete it; not usable) → PUBLISHED (immutable, usable) → RETIRED (no new assessments).',
});

export enum GroupKind {
  WEIGHTED = 'WEIGHTED',
  LAYERED = 'LAYERED',
}
registerEnumType(GroupKind, {
  name: 'GroupKind',
  description: 'WEIGHTED: a weighted set of dimensions; LAYERED: ordered pyramid layers.',
});

export enum QuestionType {
  LIKERT = 'LIKERT',
  BOOLEAN = 'BOOLEAN',
  SINGLE_CHOICE = 'SINGLE_CHOICE',
  MULTI_CHOICE = 'MULTI_CHOICE',
  NUMERIC = 'NUMERIC',
  TEXT = 'TEXT',
}
registerEnumType(QuestionType, {
  name: 'QuestionType',
  description: 'How a question is answered and scored (docs/scoring.md §2).',
});

export enum Horizon {
  QUICK_WIN = 'QUICK_WIN',
  DAYS_90 = 'DAYS_90',
  YEAR_1 = 'YEAR_1',
}
registerEnumType(Horizon, { name: 'Horizon', description: 'When a recommendation is expected to pay off.' });

@ObjectType({
  description: 'A group of dimensions, e.g. the six service-strategy elements or the service-thinking pyramid.',
})
export class FrameworkGroup {
  @Field()
  code: string;

  @Field(() => GroupKind)
  kind: GroupKind;

  @Field({ description: 'The overall score is computed over the primary group.' })
  primary: boolean;

  @Field()
  title: string;

  @Field(() => String, { nullable: true })
  description: string | null;
}

@ObjectType({ description: 'A scored dimension of a group.' })
export class FrameworkDimension {
  @Field()
  code: string;

  @Field({ description: 'Code of the group.' })
  group: string;

  @Field(() => Float, { description: 'ω > 0 (1 when the document leaves it out).' })
  weight: number;

  @Field(() => Int, { nullable: true, description: 'Pyramid layer, 1 = bottom; only in a LAYERED group.' })
  layer: number | null;

  @Field()
  title: string;

  @Field()
  description: string;

  @Field({ description: 'The seed idea this dimension comes from.' })
  source: string;
}

@ObjectType({ description: 'A maturity level: scores from lowerBound up to the next level’s bound.' })
export class FrameworkLevel {
  @Field(() => Int)
  level: number;

  @Field()
  code: string;

  @Field(() => Float)
  lowerBound: number;

  @Field()
  title: string;

  @Field()
  description: string;
}

@ObjectType({ description: 'Scoring settings, with the defaults of docs/scoring.md §1.4 filled in.' })
export class FrameworkSettings {
  @Field(() => Int)
  knockoutCapLevel: number;

  @Field(() => Float)
  solidThreshold: number;

  @Field(() => Float)
  gateTolerance: number;

  @Field(() => Float)
  perceptionGapThreshold: number;

  @Field(() => Int)
  benchmarkMinCohort: number;

  @Field(() => Float)
  recommendationThreshold: number;
}

@ObjectType({ description: 'A question feeds a dimension with a weight.' })
export class FrameworkQuestionLink {
  @Field()
  dimension: string;

  @Field(() => Float)
  weight: number;
}

@ObjectType({ description: 'A knockout: a score below the threshold caps the levels of the linked dimensions.' })
export class FrameworkCritical {
  @Field(() => Float)
  threshold: number;
}

@ObjectType({ description: 'The question is shown only when the answer to `question` is one of `anyOf`.' })
export class FrameworkShowIf {
  @Field({ description: 'Code of an earlier question.' })
  question: string;

  @Field(() => [GraphQLJSON], { description: 'Option codes (strings), booleans or numbers.' })
  anyOf: Array<string | number | boolean>;
}

@ObjectType({ description: 'The integer scale of a LIKERT question.' })
export class FrameworkScale {
  @Field(() => Int)
  min: number;

  @Field(() => Int)
  max: number;

  @Field(() => String, { nullable: true })
  minLabel: string | null;

  @Field(() => String, { nullable: true })
  maxLabel: string | null;
}

@ObjectType({ description: 'An option of a choice question.' })
export class FrameworkOption {
  @Field()
  code: string;

  @Field(() => Float, { description: '0..100' })
  score: number;

  @Field({ description: 'MULTI_CHOICE: may only be chosen alone.' })
  exclusive: boolean;

  @Field()
  label: string;
}

@ObjectType({ description: 'Values up to and including `upTo` (null = no upper end) score `score`.' })
export class FrameworkNumericBand {
  @Field(() => Float, { nullable: true })
  upTo: number | null;

  @Field(() => Float)
  score: number;
}

@ObjectType({ description: 'The accepted range and score bands of a NUMERIC question.' })
export class FrameworkNumeric {
  @Field(() => Float)
  min: number;

  @Field(() => Float)
  max: number;

  @Field(() => String, { nullable: true })
  unit: string | null;

  @Field(() => [FrameworkNumericBand])
  bands: FrameworkNumericBand[];
}

@ObjectType({ description: 'A question of the questionnaire, in questionnaire order.' })
export class FrameworkQuestion {
  @Field()
  code: string;

  @Field(() => QuestionType)
  type: QuestionType;

  @Field()
  text: string;

  @Field(() => String, { nullable: true })
  help: string | null;

  @Field({ description: 'The seed idea this question comes from.' })
  source: string;

  @Field(() => [FrameworkQuestionLink])
  links: FrameworkQuestionLink[];

  @Field()
  required: boolean;

  @Field()
  allowNotApplicable: boolean;

  @Field({ description: 'LIKERT and BOOLEAN: the score is 100 − s.' })
  reverse: boolean;

  @Field(() => FrameworkCritical, { nullable: true })
  critical: FrameworkCritical | null;

  @Field(() => FrameworkShowIf, { nullable: true })
  showIf: FrameworkShowIf | null;

  @Field(() => FrameworkScale, { nullable: true, description: 'LIKERT only (1..5 when the document leaves it out).' })
  scale: FrameworkScale | null;

  @Field(() => [FrameworkOption], { nullable: true, description: 'SINGLE_CHOICE and MULTI_CHOICE only.' })
  options: FrameworkOption[] | null;

  @Field(() => FrameworkNumeric, { nullable: true, description: 'NUMERIC only.' })
  numeric: FrameworkNumeric | null;
}

@ObjectType({ description: 'A recommendation template: fires when its target score is below its threshold.' })
export class FrameworkRecommendation {
  @Field()
  code: string;

  @Field()
  dimension: string;

  @Field(() => String, {
    nullable: true,
    description: 'When set, the target is this question’s score instead of the dimension’s.',
  })
  question: string | null;

  @Field(() => Float, {
    nullable: true,
    description: 'The template’s own threshold; null = settings.recommendationThreshold.',
  })
  threshold: number | null;

  @Field(() => Int, { description: '1..5' })
  impact: number;

  @Field(() => Int, { description: '1..5' })
  effort: number;

  @Field(() => Horizon)
  horizon: Horizon;

  @Field()
  title: string;

  @Field()
  body: string;

  @Field(() => [String], { description: 'Concrete first actions, in order.' })
  actions: string[];

  @Field({ description: 'The seed idea this recommendation comes from.' })
  source: string;
}

/**
 * What the framework service returns for one version: the header fields, with the name and
 * description in the requested locale. The content fields (groups, questions, ...) are
 * resolved from the stored document only when a query asks for them.
 */
export interface FrameworkView {
  id: string;
  key: string;
  version: string;
  major: number;
  status: FrameworkStatus;
  builtIn: boolean;
  locale: Locale;
  name: string;
  description: string;
  checksum: string;
  questionCount: number;
  createdAt: Date;
  publishedAt: Date | null;
  retiredAt: Date | null;
  /** The firm this view was made for (the document is loaded with its visibility). */
  viewerFirmId: string;
  /** The stored document, when it was already read. */
  document?: FrameworkDocument;
}

@ObjectType('Framework', {
  description:
    'One version of a framework (a questionnaire with its scoring rules). Built-in versions are offered to every firm; a firm’s own versions only to that firm.',
})
export class FrameworkType implements Omit<FrameworkView, 'viewerFirmId' | 'document'> {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Stable key across versions, e.g. "service-strategy".' })
  key: string;

  @Field({ description: 'Semantic version MAJOR.MINOR.PATCH.' })
  version: string;

  @Field(() => Int, { description: 'MAJOR of the version: benchmarks compare within one key and major version.' })
  major: number;

  @Field(() => FrameworkStatus)
  status: FrameworkStatus;

  @Field({ description: 'True for a framework offered by the platform to every firm (read-only for firms).' })
  builtIn: boolean;

  @Field(() => Locale, { description: 'The language the texts of this object are in.' })
  locale: Locale;

  @Field()
  name: string;

  @Field()
  description: string;

  @Field({ description: 'SHA-256 of the canonical document.' })
  checksum: string;

  @Field(() => Int)
  questionCount: number;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  publishedAt: Date | null;

  @Field(() => Date, { nullable: true })
  retiredAt: Date | null;

  // The content fields below are declared by FrameworkResolver's field resolvers.
}

/** `FrameworkEdge` / `FrameworkConnection`. */
export const FrameworkConnection = ConnectionType(FrameworkType, 'Framework');
