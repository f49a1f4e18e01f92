import { AppError, ConflictError, UnauthenticatedError } from '../../graphql/errors';
import type { AnswerProblem, QuestionDef } from '../../scoring';
import { MAX_TEXT_LENGTH } from '../../scoring/framework-index';
import { DEFAULT_LIKERT_SCALE } from '../framework/framework-convert';

/** No link token, or an unknown, revoked or malformed one. */
export class InvalidLinkTokenError extends UnauthenticatedError {
  constructor(reason: 'missing' | 'invalid' | 'expired' | 'api-key') {
    super(
      reason === 'api-key'
        ? 'This is an API key (ssm_…), not a respondent link token: the respondent operations (questionnaire, saveAnswers, submitResponse) need the link token (ssr_…) of an invitation.'
        : reason === 'missing'
          ? 'A link token is required: send "Authorization: Bearer <token>" with the token from the invitation.'
          : reason === 'expired'
            ? 'This link has expired. Ask the person who invited you for a new one.'
            : 'This link is not valid (unknown or revoked). Ask the person who invited you for a new one.',
    );
  }
}

/** Answers cannot change: the response is submitted, or the assessment is not OPEN. */
export class ReadOnlyAnswersError extends ConflictError {
  constructor(reason: string) {
    super(reason);
  }
}

/** Submitting with required visible questions unanswered: BAD_USER_INPUT naming each of them. */
export class MissingAnswersError extends AppError {
  constructor(missing: string[]) {
    super(
      'BAD_USER_INPUT',
      `${missing.length} required question${missing.length === 1 ? ' has' : 's have'} no answer: ${missing.join(', ')}.`,
      {
        problems: missing.map((code) => ({
          path: `answers.${code}`,
          message: `question ${code} is required and has no answer`,
        })),
        missingQuestions: missing,
      },
    );
  }
}

/**
 * A message for one problem of an answer that states what the question accepts, without
 * repeating the value sent (the engine's own messages quote it).
 */
export function answerProblemMessage(problem: AnswerProblem, question: QuestionDef | undefined): string {
  const code = problem.question;
  const scale = question?.scale ?? DEFAULT_LIKERT_SCALE;
  const range =
    question?.type === 'NUMERIC' && question.numeric
      ? `${question.numeric.min} to ${question.numeric.max}`
      : `${scale.min} to ${scale.max}`;
  switch (problem.code) {
    case 'UNKNOWN_QUESTION':
      return `${code} is not a question of this questionnaire`;
    case 'WRONG_TYPE':
      switch (question?.type) {
        case 'LIKERT':
          return `question ${code} expects a whole number from ${range}`;
        case 'BOOLEAN':
          return `question ${code} expects true or false`;
        case 'SINGLE_CHOICE':
          return `question ${code} expects one option code`;
        case 'MULTI_CHOICE':
          return `question ${code} expects a list of option codes`;
        case 'NUMERIC':
          return `question ${code} expects a number from ${range}`;
        default:
          return `question ${code} expects text`;
      }
    case 'NOT_INTEGER':
      return `question ${code} expects a whole number`;
    case 'OUT_OF_RANGE':
      return `question ${code} accepts values from ${range}`;
    case 'UNKNOWN_OPTION':
      return `question ${code} has no such option`;
    case 'DUPLICATE_OPTION':
      return `question ${code}: an option is chosen more than once`;
    case 'EXCLUSIVE_OPTION_COMBINED':
      return `question ${code}: an option that can only be chosen alone is combined with others`;
    case 'EMPTY_SELECTION':
      return `question ${code}: choose at least one option`;
    case 'TOO_LONG':
      return `question ${code} accepts at most ${MAX_TEXT_LENGTH} characters`;
    case 'NO_BAND':
      return `question ${code}: the value falls in no scoring band of this question`;
    case 'NOT_APPLICABLE_NOT_ALLOWED':
      return `question ${code} does not accept "not applicable"`;
    case 'CONFLICTING_ANSWER':
      return `question ${code}: send either a value or notApplicable: true, not both`;
    case 'MISSING_VALUE':
      return `question ${code}: the answer has no value`;
    default:
      return `question ${code}: the answer does not fit the question`;
  }
}
