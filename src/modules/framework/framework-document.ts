/**
 * The framework interchange format (JSON): everything of docs/scoring.md §1 plus localised texts
 * and a `source` citing the seed idea behind every question and recommendation.
 *
 * This is the shape of `seeds/frameworks/*.json`, of the import/export API, and of what is
 * stored for a framework version. `toFrameworkDef` (framework-convert.ts) maps it to the
 * scoring engine's `FrameworkDef`.
 */
import type {
  GroupKind,
  Horizon,
  NumericBand,
  QuestionLink,
  QuestionType,
  ScoringSettings,
  ShowIf,
} from '../../scoring/types';

/** Supported content locales. */
export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in both languages: `{ "ru": "...", "en": "..." }`. Both are required in the default framework. */
export interface LocalizedText {
  ru: string;
  en: string;
}

export interface GroupDocument {
  code: string;
  kind: GroupKind;
  primary: boolean;
  title: LocalizedText;
  description?: LocalizedText;
}

export interface DimensionDocument {
  code: string;
  group: string;
  /** ω > 0; defaults to 1 when omitted. */
  weight?: number;
  /** 1..n bottom to top, only in a LAYERED group. */
  layer?: number | null;
  title: LocalizedText;
  description: LocalizedText;
  /** The seed file and idea, e.g. "003_1a2bb4c73bb626b0: strategic approach led from the top". */
  source: string;
}

export interface LevelDocument {
  level: number;
  code: string;
  lowerBound: number;
  title: LocalizedText;
  description: LocalizedText;
}

export interface OptionDocument {
  code: string;
  score: number;
  exclusive?: boolean;
  label: LocalizedText;
}

export interface QuestionDocument {
  code: string;
  type: QuestionType;
  text: LocalizedText;
  help?: LocalizedText;
  /** The seed file and idea the question comes from. */
  source: string;
  links: QuestionLink[];
  required: boolean;
  allowNotApplicable: boolean;
  reverse?: boolean;
  critical?: { threshold: number } | null;
  showIf?: ShowIf | null;
  /** LIKERT: integer scale (default 1..5) with optional labels of its two ends. */
  scale?: { min: number; max: number; minLabel?: LocalizedText; maxLabel?: LocalizedText } | null;
  options?: OptionDocument[] | null;
  numeric?: { min: number; max: number; unit?: LocalizedText; bands: NumericBand[] } | null;
}

export interface RecommendationDocument {
  code: string;
  dimension: string;
  question?: string | null;
  threshold?: number | null;
  impact: number;
  effort: number;
  horizon: Horizon;
  title: LocalizedText;
  body: LocalizedText;
  /** Concrete first actions, in order. */
  actions: LocalizedText[];
  source: string;
}

/** A whole framework version as exchanged in JSON. */
export interface FrameworkDocument {
  /** Stable key across versions, e.g. "service-strategy". Lowercase, digits and dashes. */
  key: string;
  /** Semantic version "MAJOR.MINOR.PATCH"; benchmarks compare within one major version. */
  version: string;
  name: LocalizedText;
  description: LocalizedText;
  groups: GroupDocument[];
  dimensions: DimensionDocument[];
  levels: LevelDocument[];
  /** Omitted settings take the defaults of docs/scoring.md §1.4. */
  settings?: Partial<ScoringSettings>;
  questions: QuestionDocument[];
  recommendations: RecommendationDocument[];
}
