/**
 * showIf visibility (docs/scoring.md §1, §2): hidden questions count as N/A and their stored
 * answers are ignored.
 */
import { describe, expect, it } from '@jest/globals';
import { scoreAssessment } from './score-assessment';
import { framework, likert, question, respondent, type AnswerShorthand } from './testing/builders';
import { missingRequiredQuestions, questionnaireStatus, visibleQuestions } from './visibility';
import type { Answer } from './types';

const fw = framework({
  elements: ['A'],
  questions: [
    question('HAS_APP', { type: 'BOOLEAN', links: [{ dimension: 'A', weight: 1 }], allowNotApplicable: true }),
    // child of HAS_APP
    likert('APP_RATING', ['A'], { showIf: { question: 'HAS_APP', anyOf: [true] }, required: true }),
    // grandchild: visible only when APP_RATING is 4 or 5 (and so only when HAS_APP is true)
    likert('APP_REVIEWS', ['A'], { showIf: { question: 'APP_RATING', anyOf: [4, 5] } }),
    question('CHANNELS', {
      type: 'MULTI_CHOICE',
      options: [
        { code: 'EMAIL', score: 40 },
        { code: 'CHAT', score: 60 },
        { code: 'NONE', score: 0, exclusive: true },
      ],
      links: [{ dimension: 'A', weight: 1 }],
    }),
    likert('CHAT_SPEED', ['A'], { showIf: { question: 'CHANNELS', anyOf: ['CHAT'] }, required: true }),
    question('SIZE', {
      type: 'SINGLE_CHOICE',
      options: [
        { code: 'S', score: 0 },
        { code: 'L', score: 100 },
      ],
      links: [{ dimension: 'A', weight: 1 }],
    }),
    likert('BRANCHES', ['A'], { showIf: { question: 'SIZE', anyOf: ['L'] } }),
    question('NOTE', { type: 'TEXT', links: [] }),
    likert('BY_NOTE', ['A'], { showIf: { question: 'NOTE', anyOf: ['yes'] } }),
    likert('BROKEN', ['A'], { showIf: { question: 'LATER', anyOf: [1] } }),
    likert('LATER', ['A']),
  ],
});

function answers(a: Record<string, AnswerShorthand>): Record<string, Answer> {
  return respondent('x', 'MANAGER', a).answers;
}

describe('visibleQuestions', () => {
  it.each<[string, Record<string, AnswerShorthand>, string[]]>([
    ['nothing answered: only unconditional questions', {}, ['HAS_APP', 'CHANNELS', 'SIZE', 'NOTE', 'LATER']],
    ['BOOLEAN parent matches', { HAS_APP: true }, ['HAS_APP', 'APP_RATING', 'CHANNELS', 'SIZE', 'NOTE', 'LATER']],
    [
      'BOOLEAN parent does not match',
      { HAS_APP: false, APP_RATING: 5 },
      ['HAS_APP', 'CHANNELS', 'SIZE', 'NOTE', 'LATER'],
    ],
    [
      'chain: child matches, grandchild visible',
      { HAS_APP: true, APP_RATING: 5 },
      ['HAS_APP', 'APP_RATING', 'APP_REVIEWS', 'CHANNELS', 'SIZE', 'NOTE', 'LATER'],
    ],
    [
      "chain: hidden parent hides the child even when the child's stored answer matches",
      { HAS_APP: false, APP_RATING: 5, APP_REVIEWS: 3 },
      ['HAS_APP', 'CHANNELS', 'SIZE', 'NOTE', 'LATER'],
    ],
    ['N/A parent hides', { HAS_APP: 'NA', APP_RATING: 5 }, ['HAS_APP', 'CHANNELS', 'SIZE', 'NOTE', 'LATER']],
    [
      'invalid parent answer hides',
      { HAS_APP: 'yes', APP_RATING: 5 },
      ['HAS_APP', 'CHANNELS', 'SIZE', 'NOTE', 'LATER'],
    ],
    [
      'MULTI parent: any chosen option matches',
      { CHANNELS: ['EMAIL', 'CHAT'] },
      ['HAS_APP', 'CHANNELS', 'CHAT_SPEED', 'SIZE', 'NOTE', 'LATER'],
    ],
    [
      'MULTI parent: no chosen option matches',
      { CHANNELS: ['NONE'] },
      ['HAS_APP', 'CHANNELS', 'SIZE', 'NOTE', 'LATER'],
    ],
    ['SINGLE parent', { SIZE: 'L' }, ['HAS_APP', 'CHANNELS', 'SIZE', 'BRANCHES', 'NOTE', 'LATER']],
    [
      'TEXT parent compared by exact string',
      { NOTE: 'yes' },
      ['HAS_APP', 'CHANNELS', 'SIZE', 'NOTE', 'BY_NOTE', 'LATER'],
    ],
    ['TEXT parent, no loose matching', { NOTE: 'Yes' }, ['HAS_APP', 'CHANNELS', 'SIZE', 'NOTE', 'LATER']],
    ['a showIf naming a later question never shows', { LATER: 1 }, ['HAS_APP', 'CHANNELS', 'SIZE', 'NOTE', 'LATER']],
  ])('%s', (_name, a, visible) => {
    expect(visibleQuestions(fw, answers(a))).toEqual(visible);
  });

  it('anyOf matches by strict equality: 4 is not "4"', () => {
    const f = framework({
      elements: ['A'],
      questions: [likert('P', ['A']), likert('C', ['A'], { showIf: { question: 'P', anyOf: ['4'] } })],
    });
    expect(visibleQuestions(f, answers({ P: 4 }))).toEqual(['P']);
  });
});

describe('missingRequiredQuestions', () => {
  it.each<[string, Record<string, AnswerShorthand>, string[]]>([
    ['hidden required questions are not missing', {}, []],
    [
      'a visible required question without an answer is missing',
      { HAS_APP: true, CHANNELS: ['CHAT'] },
      ['APP_RATING', 'CHAT_SPEED'],
    ],
    ['an invalid answer does not count', { HAS_APP: true, APP_RATING: 9 }, ['APP_RATING']],
    ['answered', { HAS_APP: true, APP_RATING: 2 }, []],
  ])('%s', (_name, a, missing) => {
    expect(missingRequiredQuestions(fw, answers(a))).toEqual(missing);
  });
});

describe('scoring with hidden questions', () => {
  it('a hidden question counts as N/A: its stored answer is ignored', () => {
    const result = scoreAssessment({
      framework: fw,
      roleWeights: {},
      respondents: [
        // HAS_APP false hides APP_RATING (stored 1) and, through it, APP_REVIEWS (stored 1)
        respondent('r1', 'MANAGER', { HAS_APP: false, APP_RATING: 1, APP_REVIEWS: 1 }),
        respondent('r2', 'MANAGER', { HAS_APP: true, APP_RATING: 5, APP_REVIEWS: 3 }),
      ],
    });
    const q = (c: string) => result.questions.find((x) => x.question === c)!;
    expect(q('HAS_APP').score).toBe(50); // (0 + 100)/2
    expect(q('APP_RATING').score).toBe(100); // r2 only: (5-1)/4*100
    expect(q('APP_RATING').scoredRespondents).toBe(1);
    expect(q('APP_REVIEWS').score).toBe(50); // r2 only: (3-1)/4*100
    expect(result.ignoredAnswers).toEqual([]);
    // BROKEN is hidden for everybody (its showIf names a later question): left out of coverage
    expect(q('BROKEN').excludedFromCoverage).toBe(true);
  });

  it('a question hidden for everybody is left out of coverage', () => {
    const result = scoreAssessment({
      framework: fw,
      roleWeights: {},
      respondents: [respondent('r1', 'MANAGER', { HAS_APP: false, CHANNELS: ['EMAIL'], SIZE: 'S', LATER: 3 })],
    });
    // A's linked questions: HAS_APP, APP_RATING(hidden), APP_REVIEWS(hidden), CHANNELS, CHAT_SPEED(hidden),
    // SIZE, BRANCHES(hidden), BY_NOTE(hidden: NOTE unanswered), BROKEN(hidden), LATER
    // denominator: HAS_APP + CHANNELS + SIZE + LATER = 4, all scored → 1
    const a = result.dimensions[0];
    expect(a.coverage).toBe(1);
    // D = (0 + 40 + 0 + 50)/4 = 22.5
    expect(a.score).toBe(22.5);
  });
});

describe('questionnaireStatus', () => {
  it('lists visible, required visible, answered and missing questions in one pass', () => {
    // HAS_APP true opens APP_RATING (required); APP_RATING 2 does not open APP_REVIEWS;
    // CHANNELS N/A is not allowed, so it counts as unanswered; NOTE answered
    expect(questionnaireStatus(fw, answers({ HAS_APP: true, APP_RATING: 2, CHANNELS: 'NA', NOTE: 'hi' }))).toEqual({
      visible: ['HAS_APP', 'APP_RATING', 'CHANNELS', 'SIZE', 'NOTE', 'LATER'],
      requiredVisible: ['APP_RATING'],
      answeredVisible: ['HAS_APP', 'APP_RATING', 'NOTE'],
      missingRequired: [],
    });
  });
});
