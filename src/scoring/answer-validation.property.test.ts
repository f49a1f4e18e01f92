/**
 * The API's validation and the engine's item scoring must agree on every value: an answer
 * the API accepts always scores, an answer it rejects never does.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { validateAnswer } from './answer-validation';
import { itemScore } from './item-score';
import { answerDomain, frameworkArb } from './testing/arbitraries';
import type { Answer, QuestionDef } from './types';

/** Values around a question's domain: valid ones, near misses, and wrong shapes. */
function candidateValues(q: QuestionDef): fc.Arbitrary<unknown> {
  const domain = answerDomain(q);
  const optionCodes = (q.options ?? []).map((o) => o.code);
  return fc.oneof(
    fc.constantFrom(...domain),
    fc.integer({ min: -5, max: 130 }),
    fc.double({ min: -10, max: 200, noNaN: false }),
    fc.constantFrom(NaN, Infinity, -Infinity, 0.5, true, false, '', 'O0', 'NONE', 'unknown', null, [], {}),
    fc.array(fc.constantFrom(...optionCodes, 'unknown', 'NONE'), { maxLength: 4 }),
    fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 3 }),
    fc.string({ maxLength: 8 }),
  );
}

describe('validation agrees with scoring', () => {
  it('validateAnswer accepts a value exactly when itemScore scores it (TEXT: when it is a string ≤ 5000)', () => {
    fc.assert(
      fc.property(
        frameworkArb(6)
          .chain((fw) => fc.tuple(fc.constant(fw.questions), fc.nat()))
          .chain(([qs, i]) => {
            const q = qs[i % qs.length];
            return fc.tuple(fc.constant(q), candidateValues(q));
          }),
        ([q, value]) => {
          const answer = { value } as Answer;
          const problems = validateAnswer(q, answer);
          if (value === null || value === undefined) {
            expect(problems.map((p) => p.code)).toEqual(['MISSING_VALUE']);
            return;
          }
          if (q.type === 'TEXT') {
            expect(problems.length === 0).toBe(typeof value === 'string');
            return;
          }
          const s = itemScore(q, answer);
          expect({ accepted: problems.length === 0, value }).toEqual({ accepted: s !== null, value });
          if (s !== null) expect(s >= 0 && s <= 100).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
