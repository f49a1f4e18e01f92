/**
 * class-validator classes mirroring the framework interchange format (framework-document.ts).
 *
 * They check the shape and the per-field rules of a FrameworkDocument (codes, lengths, ranges,
 * enums, size limits). Cross-reference rules (unknown dimension, duplicate codes, showIf order,
 * …) live in framework-validation.ts. Every message is written to follow a JSON path, e.g.
 * `questions[3].code` + `must be a code …`, and never repeats the offending value.
 *
 * Reused by the import API: `plainToInstance(FrameworkDocumentDto, input)` then `validate`
 * with `{ whitelist: true, forbidNonWhitelisted: true }` (see validateFrameworkDocument).
 */
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import type { GroupKind, Horizon, QuestionType, ScoringSettings } from '../../scoring/types';
import type {
  DimensionDocument,
  FrameworkDocument,
  GroupDocument,
  LevelDocument,
  LocalizedText,
  OptionDocument,
  QuestionDocument,
  RecommendationDocument,
} from './framework-document';

// ---------------------------------------------------------------------------------------------
// Limits and patterns

/** Group, dimension, level, question, option and template codes. */
export const CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Framework key, e.g. "service-strategy". */
export const KEY_PATTERN = /^[a-z][a-z0-9-]{1,63}$/;
/** Semantic version MAJOR.MINOR.PATCH (no pre-release or build suffix). */
export const VERSION_PATTERN = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

export const GROUP_KINDS: readonly GroupKind[] = ['WEIGHTED', 'LAYERED'];
export const QUESTION_TYPES: readonly QuestionType[] = [
  'LIKERT',
  'BOOLEAN',
  'SINGLE_CHOICE',
  'MULTI_CHOICE',
  'NUMERIC',
  'TEXT',
];
export const HORIZONS: readonly Horizon[] = ['QUICK_WIN', 'DAYS_90', 'YEAR_1'];

/** Size limits of one framework document, so that an import cannot exhaust the server. */
export const FRAMEWORK_LIMITS = Object.freeze({
  titleLength: 300,
  textLength: 5000,
  sourceLength: 1000,
  groups: 20,
  dimensions: 100,
  levels: 20,
  questions: 500,
  linksPerQuestion: 100,
  options: 50,
  bands: 50,
  anyOf: 50,
  anyOfValueLength: 64,
  recommendations: 1000,
  actions: 20,
});

// Compile-time exhaustiveness of the enum lists above.
type Missing<T, L extends readonly T[]> = Exclude<T, L[number]>;
const _kindsComplete: [Missing<GroupKind, typeof GROUP_KINDS>] extends [never] ? true : never = true;
const _typesComplete: [Missing<QuestionType, typeof QUESTION_TYPES>] extends [never] ? true : never = true;
const _horizonsComplete: [Missing<Horizon, typeof HORIZONS>] extends [never] ? true : never = true;
void _kindsComplete;
void _typesComplete;
void _horizonsComplete;

// ---------------------------------------------------------------------------------------------
// Decorator helpers (all messages are relative to the property's JSON path)

type Decorator = (target: object, propertyKey: string) => void;

function all(...decorators: PropertyDecorator[]): Decorator {
  return (target, key) => {
    for (const d of decorators) d(target, key);
  };
}

const REQUIRED = IsDefined({ message: 'is required' });

/** The constraint name of "may be left out but not null" (see flattenValidationErrors). */
export const NOT_NULL = 'notNull';

/**
 * How a property may be absent: `required`; `optional` (may be left out, but not null, as in
 * `weight?: number`); `nullable` (may be left out or null, as in `layer?: number | null`);
 * `requiredOrNull` (must be present, may be null, as in `upTo: number | null`).
 */
export type Presence = 'required' | 'optional' | 'nullable' | 'requiredOrNull';

function presence(p: Presence): PropertyDecorator[] {
  switch (p) {
    case 'required':
      return [REQUIRED];
    case 'nullable':
      return [IsOptional()];
    case 'optional':
      return [
        ValidateIf((_o, v) => v !== undefined),
        ValidateBy(
          { name: NOT_NULL, validator: { validate: (v) => v !== null } },
          { message: 'must not be null: leave the property out instead' },
        ),
      ];
    case 'requiredOrNull':
      return [ValidateIf((_o, v) => v !== null), REQUIRED];
  }
}

function lengthMessage(max: number) {
  return (args: ValidationArguments): string => {
    const len = typeof args.value === 'string' ? args.value.length : undefined;
    return `is too long: at most ${max} characters${len !== undefined ? ` (got ${len})` : ''}`;
  };
}

/** A string that matches a pattern. */
function patterned(pattern: RegExp, what: string, p: Presence = 'required'): Decorator {
  return all(
    ...presence(p),
    IsString({ message: 'must be a string' }),
    Matches(pattern, { message: `must be ${what}` }),
  );
}

/** A code: an uppercase letter, then uppercase letters, digits or underscores; at most 64. */
function Code(p: Presence = 'required'): Decorator {
  return patterned(
    CODE_PATTERN,
    'a code: an uppercase letter followed by up to 63 uppercase letters, digits or underscores',
    p,
  );
}

function NonEmptyText(max: number): Decorator {
  return all(
    REQUIRED,
    IsString({ message: 'must be a string' }),
    Matches(/\S/, { message: 'must not be empty' }),
    MaxLength(max, { message: lengthMessage(max) }),
  );
}

function num(options: {
  presence?: Presence;
  int?: boolean;
  min?: number;
  max?: number;
  exclusiveMin?: number;
}): Decorator {
  const decorators: PropertyDecorator[] = presence(options.presence ?? 'required');
  decorators.push(
    options.int
      ? IsInt({ message: 'must be an integer' })
      : IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a finite number' }),
  );
  if (options.min !== undefined) decorators.push(Min(options.min, { message: `must be at least ${options.min}` }));
  if (options.max !== undefined) decorators.push(Max(options.max, { message: `must be at most ${options.max}` }));
  if (options.exclusiveMin !== undefined) {
    const bound = options.exclusiveMin;
    decorators.push(
      ValidateBy(
        {
          name: 'greaterThan',
          constraints: [bound],
          validator: { validate: (v) => typeof v === 'number' && v > bound },
        },
        { message: `must be greater than ${bound}` },
      ),
    );
  }
  return all(...decorators);
}

function bool(p: Presence = 'required'): Decorator {
  return all(...presence(p), IsBoolean({ message: 'must be true or false' }));
}

function oneOf(values: readonly string[]): Decorator {
  return all(REQUIRED, IsIn([...values], { message: `must be one of ${values.join(', ')}` }));
}

/** The class of a nested document part. */
type ClassConstructor = new () => object;

/** A nested object of class `cls`. */
function nested(cls: () => ClassConstructor, p: Presence = 'required'): Decorator {
  return all(...presence(p), IsObject({ message: 'must be an object' }), ValidateNested(), Type(cls));
}

/** The constraint name of "every item of this array is an object" (see flattenValidationErrors). */
export const OBJECT_ITEMS = 'isObjectItems';

/** An array of nested objects of class `cls`. */
function nestedArray(
  cls: () => ClassConstructor,
  limits: { min?: number; max: number; presence?: Presence },
): Decorator {
  const decorators: PropertyDecorator[] = [
    ...presence(limits.presence ?? 'required'),
    IsArray({ message: 'must be an array' }),
    ArrayMaxSize(limits.max, { message: `has too many items: at most ${limits.max}` }),
  ];
  if (limits.min) {
    decorators.push(
      ArrayMinSize(limits.min, {
        message: limits.min === 1 ? 'must not be empty' : `must have at least ${limits.min} items`,
      }),
    );
  }
  decorators.push(
    ValidateBy(
      { name: OBJECT_ITEMS, validator: { validate: (v) => typeof v === 'object' && v !== null && !Array.isArray(v) } },
      { each: true, message: 'must contain only objects' },
    ),
    ValidateNested({ each: true }),
    Type(cls),
  );
  return all(...decorators);
}

function isScalarAnswer(value: unknown): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string') return value.length > 0 && value.length <= FRAMEWORK_LIMITS.anyOfValueLength;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Texts

/** A short localised text (a name, title or label): both languages, at most 300 characters. */
export class LocalizedTitleDto implements LocalizedText {
  @NonEmptyText(FRAMEWORK_LIMITS.titleLength)
  ru: string;

  @NonEmptyText(FRAMEWORK_LIMITS.titleLength)
  en: string;
}

/** A long localised text (a description, question text, body or action): at most 5000 characters. */
export class LocalizedTextDto implements LocalizedText {
  @NonEmptyText(FRAMEWORK_LIMITS.textLength)
  ru: string;

  @NonEmptyText(FRAMEWORK_LIMITS.textLength)
  en: string;
}

const Title = (p: Presence = 'required'): Decorator => nested(() => LocalizedTitleDto, p);
const Text = (p: Presence = 'required'): Decorator => nested(() => LocalizedTextDto, p);
const Source = (): Decorator => NonEmptyText(FRAMEWORK_LIMITS.sourceLength);

// ---------------------------------------------------------------------------------------------
// Groups, dimensions, levels, settings

export class GroupDocumentDto implements GroupDocument {
  @Code()
  code: string;

  @oneOf(GROUP_KINDS)
  kind: GroupKind;

  @bool()
  primary: boolean;

  @Title()
  title: LocalizedTitleDto;

  @Text('optional')
  description?: LocalizedTextDto;
}

export class DimensionDocumentDto implements DimensionDocument {
  @Code()
  code: string;

  @Code()
  group: string;

  @num({ presence: 'optional', exclusiveMin: 0 })
  weight?: number;

  @num({ presence: 'nullable', int: true, min: 1 })
  layer?: number | null;

  @Title()
  title: LocalizedTitleDto;

  @Text()
  description: LocalizedTextDto;

  @Source()
  source: string;
}

export class LevelDocumentDto implements LevelDocument {
  @num({ int: true, min: 1 })
  level: number;

  @Code()
  code: string;

  @num({ min: 0, max: 100 })
  lowerBound: number;

  @Title()
  title: LocalizedTitleDto;

  @Text()
  description: LocalizedTextDto;
}

export class ScoringSettingsDto implements Partial<ScoringSettings> {
  @num({ presence: 'optional', int: true, min: 1 })
  knockoutCapLevel?: number;

  @num({ presence: 'optional', min: 0, max: 100 })
  solidThreshold?: number;

  @num({ presence: 'optional', min: 0, max: 100 })
  gateTolerance?: number;

  @num({ presence: 'optional', min: 0, max: 100 })
  perceptionGapThreshold?: number;

  @num({ presence: 'optional', int: true, min: 1 })
  benchmarkMinCohort?: number;

  @num({ presence: 'optional', min: 0, max: 100 })
  recommendationThreshold?: number;
}

// ---------------------------------------------------------------------------------------------
// Questions

export class QuestionLinkDto {
  @Code()
  dimension: string;

  @num({ exclusiveMin: 0 })
  weight: number;
}

export class CriticalDto {
  @num({ min: 0, max: 100 })
  threshold: number;
}

export class ShowIfDto {
  @Code()
  question: string;

  @REQUIRED
  @IsArray({ message: 'must be an array' })
  @ArrayMinSize(1, { message: 'must not be empty' })
  @ArrayMaxSize(FRAMEWORK_LIMITS.anyOf, { message: `has too many items: at most ${FRAMEWORK_LIMITS.anyOf}` })
  @ValidateBy(
    { name: 'isScalarAnswer', validator: { validate: isScalarAnswer } },
    {
      each: true,
      message: `must contain only option codes (at most ${FRAMEWORK_LIMITS.anyOfValueLength} characters), numbers or booleans`,
    },
  )
  anyOf: Array<string | number | boolean>;
}

export class ScaleDto {
  @num({ int: true })
  min: number;

  @num({ int: true })
  max: number;

  @Title('optional')
  minLabel?: LocalizedTitleDto;

  @Title('optional')
  maxLabel?: LocalizedTitleDto;
}

export class OptionDocumentDto implements OptionDocument {
  @Code()
  code: string;

  @num({ min: 0, max: 100 })
  score: number;

  @bool('optional')
  exclusive?: boolean;

  @Title()
  label: LocalizedTitleDto;
}

export class NumericBandDto {
  @num({ presence: 'requiredOrNull' })
  upTo: number | null;

  @num({ min: 0, max: 100 })
  score: number;
}

export class NumericDto {
  @num({})
  min: number;

  @num({})
  max: number;

  @Title('optional')
  unit?: LocalizedTitleDto;

  @nestedArray(() => NumericBandDto, { min: 1, max: FRAMEWORK_LIMITS.bands })
  bands: NumericBandDto[];
}

export class QuestionDocumentDto implements QuestionDocument {
  @Code()
  code: string;

  @oneOf(QUESTION_TYPES)
  type: QuestionType;

  @Text()
  text: LocalizedTextDto;

  @Text('optional')
  help?: LocalizedTextDto;

  @Source()
  source: string;

  /** May be empty only for TEXT (checked in framework-validation.ts). */
  @nestedArray(() => QuestionLinkDto, { max: FRAMEWORK_LIMITS.linksPerQuestion })
  links: QuestionLinkDto[];

  @bool()
  required: boolean;

  @bool()
  allowNotApplicable: boolean;

  @bool('optional')
  reverse?: boolean;

  @nested(() => CriticalDto, 'nullable')
  critical?: CriticalDto | null;

  @nested(() => ShowIfDto, 'nullable')
  showIf?: ShowIfDto | null;

  @nested(() => ScaleDto, 'nullable')
  scale?: ScaleDto | null;

  @nestedArray(() => OptionDocumentDto, { presence: 'nullable', max: FRAMEWORK_LIMITS.options })
  options?: OptionDocumentDto[] | null;

  @nested(() => NumericDto, 'nullable')
  numeric?: NumericDto | null;
}

// ---------------------------------------------------------------------------------------------
// Recommendations and the whole document

export class RecommendationDocumentDto implements RecommendationDocument {
  @Code()
  code: string;

  @Code()
  dimension: string;

  @Code('nullable')
  question?: string | null;

  @num({ presence: 'nullable', min: 0, max: 100 })
  threshold?: number | null;

  @num({ int: true, min: 1, max: 5 })
  impact: number;

  @num({ int: true, min: 1, max: 5 })
  effort: number;

  @oneOf(HORIZONS)
  horizon: Horizon;

  @Title()
  title: LocalizedTitleDto;

  @Text()
  body: LocalizedTextDto;

  @nestedArray(() => LocalizedTextDto, { max: FRAMEWORK_LIMITS.actions })
  actions: LocalizedTextDto[];

  @Source()
  source: string;
}

export class FrameworkDocumentDto implements FrameworkDocument {
  @patterned(KEY_PATTERN, 'a key: a lowercase letter followed by 1 to 63 lowercase letters, digits or dashes')
  key: string;

  @patterned(VERSION_PATTERN, 'a semantic version MAJOR.MINOR.PATCH, e.g. 1.0.0')
  version: string;

  @Title()
  name: LocalizedTitleDto;

  @Text()
  description: LocalizedTextDto;

  @nestedArray(() => GroupDocumentDto, { min: 1, max: FRAMEWORK_LIMITS.groups })
  groups: GroupDocumentDto[];

  @nestedArray(() => DimensionDocumentDto, { min: 1, max: FRAMEWORK_LIMITS.dimensions })
  dimensions: DimensionDocumentDto[];

  @nestedArray(() => LevelDocumentDto, { min: 1, max: FRAMEWORK_LIMITS.levels })
  levels: LevelDocumentDto[];

  @nested(() => ScoringSettingsDto, 'optional')
  settings?: ScoringSettingsDto;

  @nestedArray(() => QuestionDocumentDto, { min: 1, max: FRAMEWORK_LIMITS.questions })
  questions: QuestionDocumentDto[];

  @nestedArray(() => RecommendationDocumentDto, { max: FRAMEWORK_LIMITS.recommendations })
  recommendations: RecommendationDocumentDto[];
}

// ---------------------------------------------------------------------------------------------
// Compile-time check: every DTO has exactly the fields of its interface (no more, no fewer).

type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
type _SameKeyChecks = [
  SameKeys<FrameworkDocument, FrameworkDocumentDto>,
  SameKeys<GroupDocument, GroupDocumentDto>,
  SameKeys<DimensionDocument, DimensionDocumentDto>,
  SameKeys<LevelDocument, LevelDocumentDto>,
  SameKeys<ScoringSettings, ScoringSettingsDto>,
  SameKeys<QuestionDocument, QuestionDocumentDto>,
  SameKeys<NonNullable<QuestionDocument['scale']>, ScaleDto>,
  SameKeys<NonNullable<QuestionDocument['numeric']>, NumericDto>,
  SameKeys<NonNullable<QuestionDocument['numeric']>['bands'][number], NumericBandDto>,
  SameKeys<QuestionDocument['links'][number], QuestionLinkDto>,
  SameKeys<NonNullable<QuestionDocument['showIf']>, ShowIfDto>,
  SameKeys<NonNullable<QuestionDocument['critical']>, CriticalDto>,
  SameKeys<OptionDocument, OptionDocumentDto>,
  SameKeys<RecommendationDocument, RecommendationDocumentDto>,
];
const _sameKeys: _SameKeyChecks = [true, true, true, true, true, true, true, true, true, true, true, true, true, true];
void _sameKeys;
