import { describe, expect, it } from '@jest/globals';
import { validateAnswer, validateAnswers } from './answer-validation';
import { itemScore } from './item-score';
import { framework, question } from './testing/builders';
import type { Answer, QuestionDef } from './types';

const LIKERT_1_5 = question('L', { type: 'LIKERT', scale: { min: 1, max: 5 }, links: [{ dimension: 'A', weight: 1 }] });
const LIKERT_0_10 = question('L10', {
  type: 'LIKERT',
  scale: { min: 0, max: 10 },
  links: [{ dimension: 'A', weight: 1 }],
});
const LIKERT_DEFAULT = question('LD', { type: 'LIKERT', scale: null, links: [{ dimension: 'A', weight: 1 }] });
const LIKERT_REVERSE = question('LR', {
  type: 'LIKERT',
  scale: { min: 1, max: 5 },
  reverse: true,
  links: [{ dimension: 'A', weight: 1 }],
});
const BOOL = question('B', { type: 'BOOLEAN', links: [{ dimension: 'A', weight: 1 }] });
const BOOL_REVERSE = question('BR', { type: 'BOOLEAN', reverse: true, links: [{ dimension: 'A', weight: 1 }] });
const SINGLE = question('S', {
  type: 'SINGLE_CHOICE',
  options: [
    { code: 'NEVER', score: 0 },
    { code: 'SOMETIMES', score: 40 },
    { code: 'ALWAYS', score: 100 },
  ],
  links: [{ dimension: 'A', weight: 1 }],
});
const MULTI = question('M', {
  type: 'MULTI_CHOICE',
  options: [
    { code: 'EMAIL', score: 30 },
    { code: 'PHONE', score: 40 },
    { code: 'CHAT', score: 50 },
    { code: 'NONE', score: 0, exclusive: true },
  ],
  links: [{ dimension: 'A', weight: 1 }],
});
const NUMERIC = question('N', {
  type: 'NUMERIC',
  numeric: {
    min: 0,
    max: 1000,
    bands: [
      { upTo: 10, score: 100 },
      { upTo: 50, score: 60 },
      { upTo: null, score: 0 },
    ],
  },
  links: [{ dimension: 'A', weight: 1 }],
});
const TEXT = question('T', { type: 'TEXT', links: [] });
const NA_ALLOWED = question('NA', {
  type: 'LIKERT',
  scale: { min: 1, max: 5 },
  allowNotApplicable: true,
  links: [{ dimension: 'A', weight: 1 }],
});

describe('item score s (docs/scoring.md §2)', () => {
  it.each<[string, QuestionDef, unknown, number | null]>([
    ['LIKERT min', LIKERT_1_5, 1, 0], // (1-1)/(5-1)*100 = 0
    ['LIKERT 4 of 1..5', LIKERT_1_5, 4, 75], // (4-1)/(5-1)*100 = 75
    ['LIKERT max', LIKERT_1_5, 5, 100], // (5-1)/(5-1)*100 = 100
    ['LIKERT 3 of 0..10', LIKERT_0_10, 3, 30], // (3-0)/(10-0)*100 = 30
    ['LIKERT default scale 1..5', LIKERT_DEFAULT, 2, 25], // (2-1)/(5-1)*100 = 25
    ['LIKERT reverse 4', LIKERT_REVERSE, 4, 25], // 100 - 75 = 25
    ['LIKERT reverse 1', LIKERT_REVERSE, 1, 100], // 100 - 0 = 100
    ['BOOLEAN true', BOOL, true, 100],
    ['BOOLEAN false', BOOL, false, 0],
    ['BOOLEAN reverse true', BOOL_REVERSE, true, 0], // 100 - 100 = 0
    ['BOOLEAN reverse false', BOOL_REVERSE, false, 100], // 100 - 0 = 100
    ['SINGLE option score', SINGLE, 'SOMETIMES', 40],
    ['MULTI sum', MULTI, ['EMAIL', 'PHONE'], 70], // 30 + 40 = 70
    ['MULTI sum capped at 100', MULTI, ['EMAIL', 'PHONE', 'CHAT'], 100], // min(100, 30+40+50 = 120) = 100
    ['MULTI exclusive alone', MULTI, ['NONE'], 0],
    ['NUMERIC lower than first bound', NUMERIC, 3, 100], // 3 <= 10
    ['NUMERIC exactly on the first bound', NUMERIC, 10, 100], // 10 <= 10: first band
    ['NUMERIC just above the first bound', NUMERIC, 10.0001, 60], // 10.0001 <= 50
    ['NUMERIC exactly on the second bound', NUMERIC, 50, 60], // 50 <= 50
    ['NUMERIC above every finite bound', NUMERIC, 51, 0], // upTo null = +inf
    ['NUMERIC min of the range', NUMERIC, 0, 100],
    ['NUMERIC max of the range', NUMERIC, 1000, 0],
    ['TEXT is not scored', TEXT, 'hello', null],
    ['invalid LIKERT is not scored', LIKERT_1_5, 6, null],
  ])('%s', (_name, q, value, expected) => {
    expect(itemScore(q, value as never)).toBe(expected);
  });

  it('N/A has no item score', () => {
    expect(itemScore(NA_ALLOWED, { notApplicable: true })).toBeNull();
    expect(itemScore(NA_ALLOWED, { value: 3 })).toBe(50); // (3-1)/4*100 = 50
  });
});

describe('validateAnswer (docs/scoring.md §2)', () => {
  it.each<[string, QuestionDef, Answer]>([
    ['LIKERT integer in scale', LIKERT_1_5, { value: 3 }],
    ['BOOLEAN', BOOL, { value: false }],
    ['SINGLE known', SINGLE, { value: 'NEVER' }],
    ['MULTI distinct known', MULTI, { value: ['CHAT', 'EMAIL'] }],
    ['MULTI exclusive alone', MULTI, { value: ['NONE'] }],
    ['NUMERIC on a bound', NUMERIC, { value: 50 }],
    ['NUMERIC fraction', NUMERIC, { value: 12.5 }],
    ['TEXT empty', TEXT, { value: '' }],
    ['TEXT 5000 chars', TEXT, { value: 'я'.repeat(5000) }],
    ['TEXT 5000 emoji (code points, not UTF-16 units)', TEXT, { value: '😀'.repeat(5000) }],
    ['N/A where allowed', NA_ALLOWED, { notApplicable: true }],
    ['N/A false with a value', NA_ALLOWED, { value: 2, notApplicable: false }],
  ])('accepts %s', (_name, q, answer) => {
    expect(validateAnswer(q, answer)).toEqual([]);
  });

  it.each<[string, QuestionDef, unknown, string[]]>([
    ['LIKERT above scale', LIKERT_1_5, { value: 6 }, ['OUT_OF_RANGE']],
    ['LIKERT below scale', LIKERT_1_5, { value: 0 }, ['OUT_OF_RANGE']],
    ['LIKERT fraction', LIKERT_1_5, { value: 2.5 }, ['NOT_INTEGER']],
    ['LIKERT fraction and out of range (every problem)', LIKERT_1_5, { value: 7.5 }, ['NOT_INTEGER', 'OUT_OF_RANGE']],
    ['LIKERT string', LIKERT_1_5, { value: '3' }, ['WRONG_TYPE']],
    ['LIKERT NaN', LIKERT_1_5, { value: NaN }, ['WRONG_TYPE']],
    ['BOOLEAN as string', BOOL, { value: 'true' }, ['WRONG_TYPE']],
    ['SINGLE unknown', SINGLE, { value: 'OFTEN' }, ['UNKNOWN_OPTION']],
    ['SINGLE as list', SINGLE, { value: ['NEVER'] }, ['WRONG_TYPE']],
    ['MULTI empty set', MULTI, { value: [] }, ['EMPTY_SELECTION']],
    ['MULTI duplicate', MULTI, { value: ['EMAIL', 'EMAIL'] }, ['DUPLICATE_OPTION']],
    ['MULTI unknown and duplicate', MULTI, { value: ['FAX', 'CHAT', 'CHAT'] }, ['UNKNOWN_OPTION', 'DUPLICATE_OPTION']],
    ['MULTI exclusive combined', MULTI, { value: ['NONE', 'EMAIL'] }, ['EXCLUSIVE_OPTION_COMBINED']],
    ['MULTI not a list', MULTI, { value: 'EMAIL' }, ['WRONG_TYPE']],
    ['MULTI non-string item', MULTI, { value: [1] }, ['WRONG_TYPE']],
    ['NUMERIC below min', NUMERIC, { value: -1 }, ['OUT_OF_RANGE']],
    ['NUMERIC above max', NUMERIC, { value: 1000.5 }, ['OUT_OF_RANGE']],
    ['NUMERIC infinite', NUMERIC, { value: Infinity }, ['WRONG_TYPE']],
    ['TEXT too long', TEXT, { value: 'x'.repeat(5001) }, ['TOO_LONG']],
    ['TEXT number', TEXT, { value: 5 }, ['WRONG_TYPE']],
    ['N/A not allowed', LIKERT_1_5, { notApplicable: true }, ['NOT_APPLICABLE_NOT_ALLOWED']],
    ['N/A with a value', NA_ALLOWED, { notApplicable: true, value: 3 }, ['CONFLICTING_ANSWER']],
    ['neither value nor N/A', LIKERT_1_5, {}, ['MISSING_VALUE']],
    ['not an object', LIKERT_1_5, 3, ['WRONG_TYPE']],
  ])('rejects %s', (_name, q, answer, codes) => {
    const problems = validateAnswer(q, answer as Answer);
    expect(problems.map((p) => p.code)).toEqual(codes);
    for (const p of problems) {
      expect(p.question).toBe(q.code);
      expect(p.message).toContain(q.code);
    }
  });

  it('a framework whose bands leave a gap reports NO_BAND', () => {
    const q = question('G', {
      type: 'NUMERIC',
      numeric: { min: 0, max: 100, bands: [{ upTo: 10, score: 0 }] },
      links: [{ dimension: 'A', weight: 1 }],
    });
    expect(validateAnswer(q, { value: 20 }).map((p) => p.code)).toEqual(['NO_BAND']);
  });
});

describe('validateAnswers', () => {
  it('returns every problem of every answer, and UNKNOWN_QUESTION', () => {
    const fw = framework({ elements: ['A'], questions: [LIKERT_1_5, MULTI, TEXT] });
    const problems = validateAnswers(fw, {
      L: { value: 9 },
      M: { value: ['NONE', 'FAX'] },
      T: { value: 'fine' },
      ZZ: { value: 1 },
    });
    expect(problems.map((p) => [p.question, p.code])).toEqual([
      ['L', 'OUT_OF_RANGE'],
      ['M', 'EXCLUSIVE_OPTION_COMBINED'],
      ['M', 'UNKNOWN_OPTION'],
      ['ZZ', 'UNKNOWN_QUESTION'],
    ]);
  });

  it('accepts a valid set', () => {
    const fw = framework({ elements: ['A'], questions: [LIKERT_1_5, MULTI, TEXT] });
    expect(validateAnswers(fw, { L: { value: 1 }, M: { value: ['PHONE'] }, T: { value: 'ok' } })).toEqual([]);
  });
});
