/**
 * The worked example of docs/scoring.md, as engine input. `worked-example.test.ts`
 * asserts that the engine reproduces every figure the document works out by hand.
 */
import { DEFAULT_SETTINGS, type ScoringInput } from '../types';
import { DEFAULT_LEVELS } from './builders';

export const WORKED_EXAMPLE: ScoringInput = {
  framework: {
    groups: [
      { code: 'ELEMENTS', kind: 'WEIGHTED', primary: true },
      { code: 'PYRAMID', kind: 'LAYERED', primary: false },
    ],
    dimensions: [
      { code: 'LEAD', group: 'ELEMENTS', weight: 2, layer: null },
      { code: 'RULES', group: 'ELEMENTS', weight: 1, layer: null },
      { code: 'BASE', group: 'PYRAMID', weight: 1, layer: 1 },
      { code: 'RISKS', group: 'PYRAMID', weight: 1, layer: 2 },
    ],
    levels: DEFAULT_LEVELS,
    settings: { ...DEFAULT_SETTINGS },
    questions: [
      {
        code: 'Q1',
        type: 'LIKERT',
        scale: { min: 1, max: 5 },
        links: [
          { dimension: 'LEAD', weight: 1 },
          { dimension: 'BASE', weight: 1 },
        ],
        required: true,
        allowNotApplicable: false,
        reverse: false,
      },
      {
        code: 'Q2',
        type: 'BOOLEAN',
        links: [{ dimension: 'LEAD', weight: 2 }],
        required: true,
        allowNotApplicable: false,
        reverse: false,
      },
      {
        code: 'Q3',
        type: 'SINGLE_CHOICE',
        options: [
          { code: 'NEVER', score: 0 },
          { code: 'SOMETIMES', score: 50 },
          { code: 'ALWAYS', score: 100 },
        ],
        links: [
          { dimension: 'RULES', weight: 1 },
          { dimension: 'RISKS', weight: 1 },
        ],
        required: true,
        allowNotApplicable: false,
        reverse: false,
        critical: { threshold: 65 },
      },
      {
        code: 'Q4',
        type: 'LIKERT',
        scale: { min: 1, max: 5 },
        links: [
          { dimension: 'RULES', weight: 1 },
          { dimension: 'RISKS', weight: 2 },
        ],
        required: false,
        allowNotApplicable: true,
        reverse: true,
        showIf: { question: 'Q2', anyOf: [true] },
      },
    ],
    recommendations: [
      { code: 'T_LEAD', dimension: 'LEAD', threshold: 70, impact: 4, effort: 2, horizon: 'DAYS_90' },
      { code: 'T_Q3', dimension: 'RULES', question: 'Q3', threshold: 80, impact: 5, effort: 2, horizon: 'QUICK_WIN' },
      { code: 'T_BASE', dimension: 'BASE', impact: 3, effort: 1, horizon: 'DAYS_90' },
      { code: 'T_RISKS', dimension: 'RISKS', threshold: 75, impact: 2, effort: 2, horizon: 'YEAR_1' },
      { code: 'T_Q4', dimension: 'RISKS', question: 'Q4', threshold: 80, impact: 1, effort: 1, horizon: 'YEAR_1' },
    ],
  },
  respondents: [
    {
      id: 'ann',
      role: 'EXECUTIVE',
      answers: { Q1: { value: 4 }, Q2: { value: true }, Q3: { value: 'ALWAYS' }, Q4: { value: 2 } },
    },
    {
      id: 'boris',
      role: 'MANAGER',
      answers: { Q1: { value: 2 }, Q2: { value: false }, Q3: { value: 'SOMETIMES' }, Q4: { value: 1 } },
    },
    {
      id: 'chen',
      role: 'FRONTLINE',
      answers: { Q1: { value: 1 }, Q2: { value: true }, Q3: { value: 'NEVER' }, Q4: { notApplicable: true } },
    },
  ],
  roleWeights: { EXECUTIVE: 2, MANAGER: 1 },
};
