/**
 * Reading one respondent's answers in questionnaire order: visibility (`showIf`),
 * not-applicable, and item scores (docs/scoring.md §1, §2).
 */
import { PARENT_INVALID, PARENT_NONE, indexFramework, type FrameworkIndex } from './framework-index';
import { ITEM_UNSCORED, scoreValue } from './item-score';
import type { Answer, FrameworkDef } from './types';

/** Hidden by showIf: counts as not applicable, the stored answer is ignored. */
export const STATE_HIDDEN = 0;
/** Visible, no valid answer. */
export const STATE_UNANSWERED = 1;
/** Visible, answered "not applicable". */
export const STATE_NOT_APPLICABLE = 2;
/** Visible, answered with a scored value. */
export const STATE_SCORED = 3;
/** Visible, answered with a valid value that is not scored (TEXT). */
export const STATE_ANSWERED = 4;

/** Called for a visible stored answer that does not fit its question. */
export type InvalidAnswerHandler = (questionIndex: number, answer: Answer) => void;

function matchesAnyOf(anyOf: Set<unknown>, value: unknown): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (anyOf.has(value[i])) return true;
    return false;
  }
  return anyOf.has(value);
}

/**
 * Fills `state`, `score` and `values` (indexed like `index.questions`) from one
 * respondent's answers. A question is visible only when its showIf question is visible,
 * validly answered, not N/A, and the answer is one of anyOf (MULTI_CHOICE: any chosen
 * option is). An invalid answer counts as unanswered and is reported to `onInvalid`.
 */
export function readRespondent(
  index: FrameworkIndex,
  answers: Record<string, Answer>,
  state: Uint8Array,
  score: Float64Array,
  values: unknown[],
  onInvalid?: InvalidAnswerHandler,
): void {
  const qs = index.questions;
  for (let i = 0; i < qs.length; i++) {
    const q = qs[i];
    const p = q.parent;
    if (p !== PARENT_NONE) {
      if (p === PARENT_INVALID) {
        state[i] = STATE_HIDDEN;
        continue;
      }
      const ps = state[p];
      if ((ps !== STATE_SCORED && ps !== STATE_ANSWERED) || !matchesAnyOf(q.anyOf as Set<unknown>, values[p])) {
        state[i] = STATE_HIDDEN;
        continue;
      }
    }
    const a = answers[q.code];
    // typeof also screens out inherited members such as answers['constructor'].
    if (a === undefined || a === null || typeof a !== 'object') {
      state[i] = STATE_UNANSWERED;
      continue;
    }
    const v = a.value;
    const hasValue = v !== undefined && v !== null;
    if (a.notApplicable === true) {
      if (q.allowNotApplicable && !hasValue) state[i] = STATE_NOT_APPLICABLE;
      else {
        state[i] = STATE_UNANSWERED;
        if (onInvalid) onInvalid(i, a);
      }
      continue;
    }
    if (!hasValue) {
      state[i] = STATE_UNANSWERED;
      continue;
    }
    const s = scoreValue(q, v);
    if (s >= 0) {
      state[i] = STATE_SCORED;
      score[i] = s;
      values[i] = v;
    } else if (s === ITEM_UNSCORED) {
      state[i] = STATE_ANSWERED;
      values[i] = v;
    } else {
      state[i] = STATE_UNANSWERED;
      if (onInvalid) onInvalid(i, a);
    }
  }
}

function statesOf(
  framework: FrameworkDef,
  answers: Record<string, Answer>,
): { index: FrameworkIndex; state: Uint8Array } {
  const index = indexFramework(framework);
  const n = index.questions.length;
  const state = new Uint8Array(n);
  readRespondent(index, answers, state, new Float64Array(n), new Array<unknown>(n));
  return { index, state };
}

/**
 * The codes of the questions visible to a respondent with these answers, in
 * questionnaire order. Answers that do not fit their question count as unanswered, so
 * they open no follow-up question.
 */
export function visibleQuestions(framework: FrameworkDef, answers: Record<string, Answer>): string[] {
  const { index, state } = statesOf(framework, answers);
  return index.questions.filter((q) => state[q.index] !== STATE_HIDDEN).map((q) => q.code);
}

/**
 * The codes of the required questions that are visible but have no valid answer
 * (a value or an allowed N/A), in questionnaire order: what blocks a submission.
 */
export function missingRequiredQuestions(framework: FrameworkDef, answers: Record<string, Answer>): string[] {
  const { index, state } = statesOf(framework, answers);
  return index.questions.filter((q) => q.def.required && state[q.index] === STATE_UNANSWERED).map((q) => q.code);
}

/** Where a respondent stands in the questionnaire. */
export interface QuestionnaireStatus {
  /** Visible question codes, in questionnaire order. */
  visible: string[];
  /** Visible questions that are required. */
  requiredVisible: string[];
  /** Visible questions with a valid answer (a value or an allowed N/A). */
  answeredVisible: string[];
  /** Visible required questions without a valid answer: what blocks a submission. */
  missingRequired: string[];
}

/**
 * Visibility and progress of one respondent's questionnaire in one pass: the API uses it
 * to show the questionnaire, count required visible questions, and gate submission.
 */
export function questionnaireStatus(framework: FrameworkDef, answers: Record<string, Answer>): QuestionnaireStatus {
  const { index, state } = statesOf(framework, answers);
  const status: QuestionnaireStatus = { visible: [], requiredVisible: [], answeredVisible: [], missingRequired: [] };
  for (const q of index.questions) {
    const st = state[q.index];
    if (st === STATE_HIDDEN) continue;
    status.visible.push(q.code);
    if (st !== STATE_UNANSWERED) status.answeredVisible.push(q.code);
    if (q.def.required) {
      status.requiredVisible.push(q.code);
      if (st === STATE_UNANSWERED) status.missingRequired.push(q.code);
    }
  }
  return status;
}
