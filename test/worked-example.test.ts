import { documentedWorkedExample, loadWorkedExample, workedExampleSection } from '../scripts/worked-example';
import { missingRequiredQuestions, validateAnswers } from '../src/scoring';

describe('the worked example of docs/framework.md', () => {
  it('has valid, complete answers for every respondent', () => {
    const { input } = loadWorkedExample();
    expect(input.respondents.map((r) => r.role)).toEqual(['EXECUTIVE', 'MANAGER', 'FRONTLINE']);
    for (const r of input.respondents) {
      expect(validateAnswers(input.framework, r.answers)).toEqual([]);
      expect(missingRequiredQuestions(input.framework, r.answers)).toEqual([]);
    }
  });

  it('documents exactly the figures the engine computes (run `npm run docs:worked-example` after a change)', () => {
    expect(documentedWorkedExample()).toBe(workedExampleSection());
  });
});
