/**
 * Benchmark of the scoring engine: a deterministic assessment of 120 questions (mixed
 * types, some showIf, some critical) and 500 respondents, scored many times. Prints the
 * median time of `scoreAssessment`, the median of a plain loop that only sums the same
 * answers (the floor), and their ratio.
 *
 * Run: npm run bench:scoring [-- --runs 300 --respondents 500 --questions 120]
 */
import { performance } from 'node:perf_hooks';
import { scoreAssessment } from '../src/scoring';
import {
  DEFAULT_SETTINGS,
  type Answer,
  type DimensionDef,
  type FrameworkDef,
  type QuestionDef,
  type RecommendationTemplateDef,
  type RespondentInput,
  type ScoringInput,
} from '../src/scoring/types';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** mulberry32: a small seeded PRNG, so every run scores the same assessment. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds the benchmark assessment: the default framework's shape at 120 questions. */
export function benchmarkInput(questionCount = 120, respondentCount = 500, seed = 42): ScoringInput {
  const rnd = prng(seed);
  const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
  const elements = ['STRATEGY', 'RULES', 'PEOPLE', 'EMPOWERMENT', 'TRAINING', 'RECOVERY'];
  const layers = ['BASE', 'RISKS', 'KNOW_CUSTOMER', 'AUTOMATION', 'TEAM', 'SEAMLESS', 'RESILIENCE'];
  const dimensions: DimensionDef[] = [
    ...elements.map((code, i) => ({ code, group: 'ELEMENTS', weight: i === 0 ? 2 : 1, layer: null })),
    ...layers.map((code, i) => ({ code, group: 'PYRAMID', weight: 1, layer: i + 1 })),
  ];
  const types = ['LIKERT', 'LIKERT', 'LIKERT', 'BOOLEAN', 'SINGLE_CHOICE', 'MULTI_CHOICE', 'NUMERIC', 'TEXT'] as const;
  const questions: QuestionDef[] = [];
  for (let i = 0; i < questionCount; i++) {
    const type = types[i % types.length];
    const code = `Q${String(i + 1).padStart(3, '0')}`;
    const q: QuestionDef = {
      code,
      type,
      links:
        type === 'TEXT'
          ? []
          : [
              { dimension: elements[i % elements.length], weight: int(1, 3) },
              ...(i % 2 === 0 ? [{ dimension: layers[i % layers.length], weight: 1 }] : []),
            ],
      required: i % 3 === 0,
      allowNotApplicable: i % 4 === 0,
      reverse: (type === 'LIKERT' || type === 'BOOLEAN') && i % 11 === 0,
      critical: i % 15 === 1 ? { threshold: 40 } : null,
    };
    if (type === 'LIKERT') q.scale = { min: 1, max: i % 5 === 0 ? 7 : 5 };
    if (type === 'SINGLE_CHOICE' || type === 'MULTI_CHOICE') {
      q.options = [
        { code: 'A', score: 0 },
        { code: 'B', score: 35 },
        { code: 'C', score: 70 },
        { code: 'D', score: 100 },
      ];
      if (type === 'MULTI_CHOICE') q.options.push({ code: 'NONE', score: 0, exclusive: true });
    }
    if (type === 'NUMERIC') {
      q.numeric = {
        min: 0,
        max: 365,
        bands: [
          { upTo: 7, score: 100 },
          { upTo: 30, score: 70 },
          { upTo: 90, score: 40 },
          { upTo: null, score: 0 },
        ],
      };
    }
    // Follow-ups make the benchmark pay for visibility like a real questionnaire does.
    const prev = questions[i - 1];
    if (i % 10 === 4 && prev && prev.type === 'BOOLEAN') q.showIf = { question: prev.code, anyOf: [true] };
    if (i % 10 === 1 && prev && prev.type === 'LIKERT') q.showIf = { question: prev.code, anyOf: [3, 4, 5] };
    questions.push(q);
  }
  const recommendations: RecommendationTemplateDef[] = dimensions.flatMap((d, i) => [
    {
      code: `R_${d.code}`,
      dimension: d.code,
      impact: 1 + (i % 5),
      effort: 1 + ((i * 3) % 5),
      horizon: 'DAYS_90' as const,
    },
    {
      code: `R_${d.code}_Q`,
      dimension: d.code,
      question: questions.find((q) => q.links.some((l) => l.dimension === d.code))?.code ?? null,
      threshold: 70,
      impact: 3,
      effort: 2,
      horizon: 'QUICK_WIN' as const,
    },
  ]);
  const framework: FrameworkDef = {
    groups: [
      { code: 'ELEMENTS', kind: 'WEIGHTED', primary: true },
      { code: 'PYRAMID', kind: 'LAYERED', primary: false },
    ],
    dimensions,
    levels: [
      { level: 1, code: 'UNCERTAINTY', lowerBound: 0 },
      { level: 2, code: 'ALIGNMENT', lowerBound: 20 },
      { level: 3, code: 'EXPERIENCE', lowerBound: 40 },
      { level: 4, code: 'OWNERSHIP', lowerBound: 60 },
      { level: 5, code: 'AMAZEMENT', lowerBound: 80 },
    ],
    settings: { ...DEFAULT_SETTINGS },
    questions,
    recommendations,
  };
  const roles = ['EXECUTIVE', 'MANAGER', 'MANAGER', 'FRONTLINE', 'FRONTLINE', 'FRONTLINE'];
  const respondents: RespondentInput[] = [];
  for (let r = 0; r < respondentCount; r++) {
    const answers: Record<string, Answer> = {};
    for (const q of questions) {
      const roll = rnd();
      if (roll < 0.05) continue;
      if (q.allowNotApplicable && roll < 0.1) {
        answers[q.code] = { notApplicable: true };
        continue;
      }
      switch (q.type) {
        case 'LIKERT':
          answers[q.code] = { value: int(q.scale!.min, q.scale!.max) };
          break;
        case 'BOOLEAN':
          answers[q.code] = { value: rnd() < 0.6 };
          break;
        case 'SINGLE_CHOICE':
          answers[q.code] = { value: ['A', 'B', 'C', 'D'][int(0, 3)] };
          break;
        case 'MULTI_CHOICE':
          answers[q.code] = {
            value:
              rnd() < 0.1
                ? ['NONE']
                : ['A', 'B', 'C', 'D']
                    .filter(() => rnd() < 0.5)
                    .concat('C')
                    .filter((c, k, all) => all.indexOf(c) === k),
          };
          break;
        case 'NUMERIC':
          answers[q.code] = { value: int(0, 365) };
          break;
        case 'TEXT':
          answers[q.code] = { value: 'We review complaints every week.' };
          break;
      }
    }
    respondents.push({ id: `r${r}`, role: roles[r % roles.length], answers });
  }
  return { framework, respondents, roleWeights: { EXECUTIVE: 2, MANAGER: 1.5, FRONTLINE: 1 } };
}

/** The floor: a plain loop that reads and sums the same answers, nothing else. */
export function sumAnswers(input: ScoringInput): number {
  const questions = input.framework.questions;
  let sum = 0;
  for (const r of input.respondents) {
    const answers = r.answers;
    for (let i = 0; i < questions.length; i++) {
      const a = answers[questions[i].code];
      if (a === undefined || a.notApplicable === true) continue;
      const v = a.value;
      if (typeof v === 'number') sum += v;
      else if (typeof v === 'boolean') sum += v ? 1 : 0;
      else if (Array.isArray(v)) sum += v.length;
      else if (typeof v === 'string') sum += v.length;
    }
  }
  return sum;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times `a` and `b` alternately, one run each per round, so that both see the same load
 * when other processes share the machine.
 */
function timeAlternating(a: () => unknown, b: () => unknown, warmup: number, runs: number): [number[], number[]] {
  let sink = 0;
  for (let i = 0; i < warmup; i++) sink += (a() ? 1 : 0) + (b() ? 1 : 0);
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    sink += a() ? 1 : 0;
    ta.push(performance.now() - t0);
    t0 = performance.now();
    sink += b() ? 1 : 0;
    tb.push(performance.now() - t0);
  }
  if (sink < 0) console.log(sink); // keeps the calls observable to the optimiser
  return [ta, tb];
}

function main(): void {
  const questions = arg('questions', 120);
  const respondentCount = arg('respondents', 500);
  const runs = arg('runs', 300);
  const warmup = arg('warmup', 50);
  const input = benchmarkInput(questions, respondentCount);
  const answers = input.respondents.reduce((n, r) => n + Object.keys(r.answers).length, 0);
  const result = scoreAssessment(input);
  if (result.ignoredAnswers.length > 0)
    throw new Error(`benchmark input has invalid answers: ${JSON.stringify(result.ignoredAnswers[0])}`);
  const [engine, floor] = timeAlternating(
    () => scoreAssessment(input),
    () => sumAnswers(input),
    warmup,
    runs,
  );
  const e = median(engine);
  const f = median(floor);
  console.log(
    `node ${process.version}, ${questions} questions × ${respondentCount} respondents (${answers} stored answers), ${engine.length} runs`,
  );
  console.log(
    `scoreAssessment median: ${e.toFixed(3)} ms (p90 ${[...engine].sort((a, b) => a - b)[Math.floor(engine.length * 0.9)].toFixed(3)} ms)`,
  );
  console.log(`floor (sum the answers) median: ${f.toFixed(3)} ms`);
  console.log(`ratio: ${(e / f).toFixed(2)}x`);
  console.log(
    `result: overall ${result.overall.score?.toFixed(2)}, ${result.recommendations.length} recommendations, pyramid height ${result.pyramid?.height}`,
  );
}

if (require.main === module) main();
