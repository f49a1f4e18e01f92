/**
 * One answer → one item score s ∈ [0, 100] (docs/scoring.md §2).
 */
import {
  KIND_BOOLEAN,
  KIND_LIKERT,
  KIND_MULTI,
  KIND_NUMERIC,
  KIND_SINGLE,
  KIND_TEXT,
  MAX_TEXT_LENGTH,
  indexQuestion,
  type IndexedQuestion,
} from './framework-index';
import type { Answer, AnswerValue, QuestionDef } from './types';

/** Returned by `scoreValue` for a value that does not fit the question. */
export const ITEM_INVALID = -1;
/** Returned by `scoreValue` for a valid value that is not scored (TEXT). */
export const ITEM_UNSCORED = -2;

/** Length in Unicode code points, so a Cyrillic or emoji character counts once. */
export function codePointLength(text: string): number {
  // Every code point takes one or two UTF-16 units, so a short string needs no counting.
  if (text.length <= MAX_TEXT_LENGTH) return text.length;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * Scores a raw value against a prepared question, reverse applied.
 *
 * @returns s in [0, 100], `ITEM_UNSCORED` for a valid TEXT answer, or `ITEM_INVALID` when
 *   the value does not fit the question (the engine then treats it as unanswered).
 */
export function scoreValue(q: IndexedQuestion, value: unknown): number {
  switch (q.kind) {
    case KIND_LIKERT: {
      if (typeof value !== 'number' || !Number.isInteger(value)) return ITEM_INVALID;
      const min = q.likertMin;
      const max = q.likertMax;
      if (value < min || value > max || !(max > min)) return ITEM_INVALID;
      const s = ((value - min) / (max - min)) * 100;
      return q.reverse ? 100 - s : s;
    }
    case KIND_BOOLEAN: {
      if (typeof value !== 'boolean') return ITEM_INVALID;
      const s = value ? 100 : 0;
      return q.reverse ? 100 - s : s;
    }
    case KIND_SINGLE: {
      if (typeof value !== 'string') return ITEM_INVALID;
      const s = (q.optionScore as Map<string, number>).get(value);
      return s === undefined ? ITEM_INVALID : s;
    }
    case KIND_MULTI: {
      if (!Array.isArray(value)) return ITEM_INVALID;
      const n = value.length;
      if (n === 0) return ITEM_INVALID;
      const options = q.multiOption as Map<string, number>;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const code: unknown = value[i];
        if (typeof code !== 'string') return ITEM_INVALID;
        const s = options.get(code);
        if (s === undefined) return ITEM_INVALID;
        if (s < 0) {
          if (n > 1) return ITEM_INVALID;
          return -1 - s;
        }
        for (let j = 0; j < i; j++) if (value[j] === code) return ITEM_INVALID;
        sum += s;
      }
      return sum > 100 ? 100 : sum;
    }
    case KIND_NUMERIC: {
      if (typeof value !== 'number' || !Number.isFinite(value)) return ITEM_INVALID;
      if (value < q.numericMin || value > q.numericMax) return ITEM_INVALID;
      const upTo = q.bandUpTo;
      for (let i = 0; i < upTo.length; i++) if (value <= upTo[i]) return q.bandScore[i];
      return ITEM_INVALID;
    }
    case KIND_TEXT:
      if (typeof value !== 'string' || codePointLength(value) > MAX_TEXT_LENGTH) return ITEM_INVALID;
      return ITEM_UNSCORED;
    default:
      return ITEM_INVALID;
  }
}

/**
 * The item score s ∈ [0, 100] of one answer (docs/scoring.md §2), reverse applied.
 *
 * @returns null when the answer is N/A, unanswered, a TEXT answer, or not valid for the
 *   question (use `validateAnswer` to learn why). Visibility is not considered here.
 */
export function itemScore(question: QuestionDef, answer: Answer | AnswerValue | null | undefined): number | null {
  let value: unknown = answer;
  if (answer !== null && typeof answer === 'object' && !Array.isArray(answer)) {
    if (answer.notApplicable === true) return null;
    value = answer.value;
  }
  if (value === null || value === undefined) return null;
  const q = indexQuestion(question, 0, new Map(), new Map());
  const s = scoreValue(q, value);
  return s < 0 ? null : s;
}
