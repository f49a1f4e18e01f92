/**
 * A generated framework document (any number of weighted dimensions of LIKERT questions),
 * for tests and benchmarks that need a framework other than the default one.
 */
import type { FrameworkDocument } from '../src/modules/framework/framework-document';

/** A small framework of `dimensions` weighted dimensions with `perDimension` LIKERT questions each. */
export function generatedFramework(key: string, dimensions: number, perDimension: number): FrameworkDocument {
  const text = (en: string) => ({ en, ru: `${en} (ru)` });
  const dims = Array.from({ length: dimensions }, (_, i) => `DIM_${i + 1}`);
  return {
    key,
    version: '1.0.0',
    name: text('Generated framework'),
    description: text('A generated framework for tests and benchmarks.'),
    groups: [{ code: 'MAIN', kind: 'WEIGHTED', primary: true, title: text('Main') }],
    dimensions: dims.map((code, i) => ({
      code,
      group: 'MAIN',
      weight: 1 + (i % 3),
      title: text(`Dimension ${i + 1}`),
      description: text('d'),
      source: 'test',
    })),
    levels: [
      { level: 1, code: 'UNCERTAINTY', lowerBound: 0, title: text('Uncertainty'), description: text('l1') },
      { level: 2, code: 'ALIGNMENT', lowerBound: 20, title: text('Alignment'), description: text('l2') },
      { level: 3, code: 'EXPERIENCE', lowerBound: 40, title: text('Experience'), description: text('l3') },
      { level: 4, code: 'OWNERSHIP', lowerBound: 60, title: text('Ownership'), description: text('l4') },
      { level: 5, code: 'AMAZEMENT', lowerBound: 80, title: text('Amazement'), description: text('l5') },
    ],
    questions: dims.flatMap((dim, d) =>
      Array.from({ length: perDimension }, (_, q) => ({
        code: `Q_${d + 1}_${q + 1}`,
        type: 'LIKERT' as const,
        text: text(`Question ${d + 1}.${q + 1}`),
        source: 'test',
        links: [{ dimension: dim, weight: 1 }],
        required: false,
        allowNotApplicable: true,
      })),
    ),
    recommendations: dims.map((dim, i) => ({
      code: `REC_${i + 1}`,
      dimension: dim,
      impact: 3,
      effort: 2,
      horizon: 'DAYS_90' as const,
      title: text(`Improve dimension ${i + 1}`),
      body: text('Do better.'),
      actions: [text('First step'), text('Second step')],
      source: 'test',
    })),
  };
}
