/**
 * Conversions of the framework interchange format (framework-document.ts):
 * to the scoring engine's FrameworkDef (defaults filled in), localised text lookup, and a
 * content checksum for the seed loader.
 *
 * `toFrameworkDef` expects a document that passed validateFrameworkDocument.
 */
import { createHash } from 'node:crypto';
import {
  DEFAULT_SETTINGS,
  type ChoiceOption,
  type FrameworkDef,
  type QuestionDef,
  type RecommendationTemplateDef,
  type ScoringSettings,
} from '../../scoring/types';
import type { FrameworkDocument, Locale, LocalizedText, QuestionDocument } from './framework-document';

/** The LIKERT scale used when a question does not give one. */
export const DEFAULT_LIKERT_SCALE: Readonly<{ min: number; max: number }> = Object.freeze({ min: 1, max: 5 });

/** The default weight of a dimension. */
export const DEFAULT_DIMENSION_WEIGHT = 1;

/** Maps a (validated) framework document to the scoring engine's view, filling the defaults. */
export function toFrameworkDef(doc: FrameworkDocument): FrameworkDef {
  return {
    groups: doc.groups.map((g) => ({ code: g.code, kind: g.kind, primary: g.primary })),
    dimensions: doc.dimensions.map((d) => ({
      code: d.code,
      group: d.group,
      weight: d.weight ?? DEFAULT_DIMENSION_WEIGHT,
      layer: d.layer ?? null,
    })),
    levels: doc.levels.map((l) => ({ level: l.level, code: l.code, lowerBound: l.lowerBound })),
    settings: toSettings(doc.settings),
    questions: doc.questions.map(toQuestionDef),
    recommendations: doc.recommendations.map((r): RecommendationTemplateDef => ({
      code: r.code,
      dimension: r.dimension,
      question: r.question ?? null,
      threshold: r.threshold ?? null,
      impact: r.impact,
      effort: r.effort,
      horizon: r.horizon,
    })),
  };
}

/** The settings of a document with every omitted (or null) value taken from DEFAULT_SETTINGS. */
export function toSettings(settings: Partial<ScoringSettings> | null | undefined): ScoringSettings {
  const out: ScoringSettings = { ...DEFAULT_SETTINGS };
  if (settings) {
    for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof ScoringSettings>) {
      const value = settings[key];
      if (value !== undefined && value !== null) out[key] = value;
    }
  }
  return out;
}

function toQuestionDef(q: QuestionDocument): QuestionDef {
  const isChoice = q.type === 'SINGLE_CHOICE' || q.type === 'MULTI_CHOICE';
  return {
    code: q.code,
    type: q.type,
    links: q.links.map((l) => ({ dimension: l.dimension, weight: l.weight })),
    required: q.required,
    allowNotApplicable: q.allowNotApplicable,
    reverse: q.reverse ?? false,
    critical: q.critical ? { threshold: q.critical.threshold } : null,
    showIf: q.showIf ? { question: q.showIf.question, anyOf: [...q.showIf.anyOf] } : null,
    scale:
      q.type === 'LIKERT'
        ? { min: q.scale?.min ?? DEFAULT_LIKERT_SCALE.min, max: q.scale?.max ?? DEFAULT_LIKERT_SCALE.max }
        : null,
    options: isChoice
      ? (q.options ?? []).map((o): ChoiceOption => ({ code: o.code, score: o.score, exclusive: o.exclusive ?? false }))
      : null,
    numeric:
      q.type === 'NUMERIC' && q.numeric
        ? {
            min: q.numeric.min,
            max: q.numeric.max,
            bands: q.numeric.bands.map((b) => ({ upTo: b.upTo ?? null, score: b.score })),
          }
        : null,
  };
}

/**
 * The text in `locale`, falling back to the other language when that one is empty;
 * null when there is no text at all.
 */
export function localize(text: LocalizedText | null | undefined, locale: Locale): string | null {
  if (!text) return null;
  const other: Locale = locale === 'ru' ? 'en' : 'ru';
  for (const candidate of [text[locale], text[other]]) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate;
  }
  return null;
}

/**
 * Canonical JSON: object keys sorted recursively (by UTF-16 code unit order), no whitespace,
 * properties whose value is undefined left out (as JSON.stringify does), array order kept.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    return s === undefined ? 'null' : s;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : canonicalJson(v))).join(',')}]`;
  }
  const entries = Object.keys(value)
    .sort()
    .filter((k) => {
      const v = (value as Record<string, unknown>)[k];
      return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
    })
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** SHA-256 (hex) of the document's canonical JSON: stable under key order, changes with any value. */
export function frameworkChecksum(doc: FrameworkDocument): string {
  return createHash('sha256').update(canonicalJson(doc), 'utf8').digest('hex');
}
