/**
 * Answer validation (docs/scoring.md §2): every way an answer can fail to fit its question,
 * reported all at once so the API can reject bad input with a clear message.
 */
import { MAX_TEXT_LENGTH } from './framework-index';
import { codePointLength } from './item-score';
import type { AnswerProblem, AnswerProblemCode } from './result-types';
import type { Answer, FrameworkDef, QuestionDef } from './types';

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'undefined') return 'undefined';
  return 'an object';
}

/**
 * Lists every problem of one answer to one question; an empty list means the answer is
 * valid. Visibility (`showIf`) and `required` are not checked here: a hidden question may
 * hold a stored answer, and a partial questionnaire may be saved.
 *
 * @param question the question the answer is for
 * @param answer `{ value }` or `{ notApplicable: true }`
 */
export function validateAnswer(question: QuestionDef, answer: Answer): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const code = question.code;
  const add = (problem: AnswerProblemCode, message: string): void => {
    problems.push({ question: code, code: problem, message: `Question ${code}: ${message}` });
  };
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) {
    add('WRONG_TYPE', 'an answer must be an object with a value or with notApplicable: true.');
    return problems;
  }
  const na = answer.notApplicable;
  if (na !== undefined && na !== null && typeof na !== 'boolean') {
    add('WRONG_TYPE', 'notApplicable must be true or false.');
    return problems;
  }
  const value: unknown = answer.value;
  const hasValue = value !== null && value !== undefined;
  if (na === true) {
    if (hasValue) add('CONFLICTING_ANSWER', 'an answer cannot both have a value and be not applicable.');
    if (!question.allowNotApplicable)
      add('NOT_APPLICABLE_NOT_ALLOWED', 'this question does not accept "not applicable".');
    return problems;
  }
  if (!hasValue) {
    add('MISSING_VALUE', 'the answer has no value; send a value, or notApplicable: true, or delete the answer.');
    return problems;
  }
  switch (question.type) {
    case 'LIKERT': {
      const min = question.scale?.min ?? 1;
      const max = question.scale?.max ?? 5;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        add('WRONG_TYPE', `expected a whole number from ${min} to ${max}, got ${describe(value)}.`);
        break;
      }
      if (!Number.isInteger(value)) add('NOT_INTEGER', `expected a whole number, got ${value}.`);
      if (value < min || value > max) add('OUT_OF_RANGE', `${value} is outside the scale ${min}..${max}.`);
      break;
    }
    case 'BOOLEAN':
      if (typeof value !== 'boolean') add('WRONG_TYPE', `expected true or false, got ${describe(value)}.`);
      break;
    case 'SINGLE_CHOICE': {
      if (typeof value !== 'string') {
        add('WRONG_TYPE', `expected one option code, got ${describe(value)}.`);
        break;
      }
      if (!(question.options ?? []).some((o) => o.code === value)) {
        add('UNKNOWN_OPTION', `${describe(value)} is not an option of this question.`);
      }
      break;
    }
    case 'MULTI_CHOICE': {
      if (!Array.isArray(value)) {
        add('WRONG_TYPE', `expected a list of option codes, got ${describe(value)}.`);
        break;
      }
      if (value.length === 0) {
        add('EMPTY_SELECTION', 'choose at least one option (use the "none" option where the question has one).');
        break;
      }
      const options = new Map((question.options ?? []).map((o) => [o.code, o]));
      const seen = new Set<string>();
      const reportedDuplicates = new Set<string>();
      for (const item of value as unknown[]) {
        if (typeof item !== 'string') {
          add('WRONG_TYPE', `option codes must be strings, got ${describe(item)}.`);
          continue;
        }
        if (seen.has(item)) {
          if (!reportedDuplicates.has(item)) add('DUPLICATE_OPTION', `${describe(item)} is chosen more than once.`);
          reportedDuplicates.add(item);
          continue;
        }
        seen.add(item);
        const option = options.get(item);
        if (!option) add('UNKNOWN_OPTION', `${describe(item)} is not an option of this question.`);
        else if (option.exclusive && value.length > 1) {
          add('EXCLUSIVE_OPTION_COMBINED', `${describe(item)} can only be chosen alone.`);
        }
      }
      break;
    }
    case 'NUMERIC': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        add('WRONG_TYPE', `expected a number, got ${describe(value)}.`);
        break;
      }
      const min = question.numeric?.min ?? -Infinity;
      const max = question.numeric?.max ?? Infinity;
      if (value < min || value > max) {
        add('OUT_OF_RANGE', `${value} is outside the accepted range ${min}..${max}.`);
        break;
      }
      const bands = question.numeric?.bands ?? [];
      if (!bands.some((b) => b.upTo === null || b.upTo === undefined || value <= b.upTo)) {
        add('NO_BAND', `${value} falls in no scoring band (the framework's bands do not cover the range).`);
      }
      break;
    }
    case 'TEXT': {
      if (typeof value !== 'string') {
        add('WRONG_TYPE', `expected text, got ${describe(value)}.`);
        break;
      }
      const length = codePointLength(value);
      if (length > MAX_TEXT_LENGTH)
        add('TOO_LONG', `the text has ${length} characters; at most ${MAX_TEXT_LENGTH} are accepted.`);
      break;
    }
    default:
      add('WRONG_TYPE', `the question type ${String(question.type)} is unknown.`);
  }
  return problems;
}

/**
 * Validates a respondent's answers keyed by question code, returning every problem of
 * every answer (an answer to an unknown question is `UNKNOWN_QUESTION`).
 */
export function validateAnswers(framework: FrameworkDef, answers: Record<string, Answer>): AnswerProblem[] {
  const byCode = new Map<string, QuestionDef>();
  for (const q of framework.questions) if (!byCode.has(q.code)) byCode.set(q.code, q);
  const problems: AnswerProblem[] = [];
  for (const code of Object.keys(answers)) {
    const question = byCode.get(code);
    if (!question) {
      problems.push({
        question: code,
        code: 'UNKNOWN_QUESTION',
        message: `Question ${code} is not part of this framework version.`,
      });
      continue;
    }
    problems.push(...validateAnswer(question, answers[code]));
  }
  return problems;
}
