import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../scoring/types';
import type { FrameworkDocument } from './framework-document';
import { canonicalJson, frameworkChecksum, localize, toFrameworkDef } from './framework-convert';
import { FrameworkProblem, MAX_DEPTH, MAX_PROBLEMS, validateFrameworkDocument } from './framework-validation';

const FIXTURE_PATH = join(__dirname, '../../../test/fixtures/frameworks/minimal.json');
const FIXTURE: FrameworkDocument = JSON.parse(readFileSync(FIXTURE_PATH, 'utf8'));

/** A deep copy of the fixture, typed loosely so tests can break it. */
type Doc = any;
function fixture(): Doc {
  return structuredClone(FIXTURE);
}

function problemsOf(input: unknown): FrameworkProblem[] {
  const result = validateFrameworkDocument(input);
  return result.ok ? [] : result.problems;
}

function show(problems: FrameworkProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('\n');
}

const title = (en: string) => ({ ru: `${en} (ru)`, en });

describe('validateFrameworkDocument: the minimal fixture', () => {
  it('validates and returns an equal deep copy', () => {
    const input = fixture();
    const result = validateFrameworkDocument(input);
    if (!result.ok) throw new Error(show(result.problems));
    expect(result.document).toEqual(FIXTURE);
    expect(result.document).not.toBe(input);
  });

  it('has the shape the brief asks for', () => {
    const doc = fixture();
    expect(doc.groups.filter((g: Doc) => g.primary && g.kind === 'WEIGHTED')).toHaveLength(1);
    expect(doc.groups.filter((g: Doc) => g.kind === 'LAYERED')).toHaveLength(1);
    expect(doc.dimensions.filter((d: Doc) => d.group === 'ELEMENTS')).toHaveLength(2);
    expect(doc.dimensions.filter((d: Doc) => d.group === 'PYRAMID')).toHaveLength(2);
    expect(doc.levels).toHaveLength(5);
    expect(new Set(doc.questions.map((q: Doc) => q.type)).size).toBeGreaterThanOrEqual(4);
    expect(doc.questions.some((q: Doc) => q.showIf)).toBe(true);
    expect(doc.recommendations).toHaveLength(2);
  });

  it('accepts required together with showIf, and optional fields left out or null', () => {
    const doc = fixture();
    expect(doc.questions[2].required).toBe(true);
    expect(doc.questions[2].showIf).toBeTruthy();
    delete doc.settings;
    delete doc.dimensions[1].weight;
    doc.questions[0].scale = { min: 0, max: 10, minLabel: title('No'), maxLabel: title('Yes') };
    doc.questions[1].reverse = true;
    doc.questions[1].critical = null;
    doc.questions[1].showIf = { question: 'Q_LEAD', anyOf: [0, 10] };
    doc.questions[2].showIf.anyOf = [true, false];
    doc.recommendations[0].question = null;
    doc.recommendations[0].threshold = null;
    doc.recommendations[0].actions = [];
    expect(show(problemsOf(doc))).toBe('');
  });
});

interface Row {
  rule: string;
  mutate: (doc: Doc) => void;
  path: string;
  message: string;
  /** How many problems the mutation causes in all (default 1: only the expected one). */
  count?: number;
}

const ROWS: Row[] = [
  // -- field checks (DTO)
  { rule: 'key pattern', mutate: (d) => (d.key = 'Minimal Test'), path: 'key', message: 'must be a key' },
  { rule: 'version is semver', mutate: (d) => (d.version = '1.0'), path: 'version', message: 'semantic version' },
  {
    rule: 'code pattern',
    mutate: (d) => (d.questions[0].code = 'q_lead'),
    path: 'questions[0].code',
    message: 'must be a code',
  },
  {
    rule: 'localized text en non-empty',
    mutate: (d) => (d.name.en = '  '),
    path: 'name.en',
    message: 'must not be empty',
  },
  {
    rule: 'localized text ru required',
    mutate: (d) => delete d.description.ru,
    path: 'description.ru',
    message: 'is required',
  },
  {
    rule: 'nested value must be an object',
    mutate: (d) => (d.name = 'Minimal'),
    path: 'name',
    message: 'must be an object',
  },
  {
    rule: 'nested value must not be an array',
    mutate: (d) => (d.groups[0].title = [{ ru: 'a', en: 'b' }]),
    path: 'groups[0].title',
    message: 'must be an object',
  },
  {
    rule: 'required boolean',
    mutate: (d) => delete d.questions[0].required,
    path: 'questions[0].required',
    message: 'is required',
  },
  {
    rule: 'boolean type',
    mutate: (d) => (d.questions[0].allowNotApplicable = 'no'),
    path: 'questions[0].allowNotApplicable',
    message: 'must be true or false',
  },
  {
    rule: 'unknown property',
    mutate: (d) => (d.groups[0].colour = 'red'),
    path: 'groups[0].colour',
    message: 'is not a known property',
  },
  {
    rule: 'GroupKind enum',
    mutate: (d) => (d.groups[1].kind = 'TREE'),
    path: 'groups[1].kind',
    message: 'must be one of WEIGHTED, LAYERED',
  },
  {
    rule: 'QuestionType enum',
    mutate: (d) => (d.questions[0].type = 'SCALE'),
    path: 'questions[0].type',
    message: 'must be one of LIKERT',
  },
  {
    rule: 'Horizon enum',
    mutate: (d) => (d.recommendations[0].horizon = 'SOON'),
    path: 'recommendations[0].horizon',
    message: 'must be one of QUICK_WIN',
  },
  {
    rule: 'dimension weight > 0',
    mutate: (d) => (d.dimensions[0].weight = 0),
    path: 'dimensions[0].weight',
    message: 'must be greater than 0',
  },
  {
    rule: 'optional, not nullable',
    mutate: (d) => (d.dimensions[1].weight = null),
    path: 'dimensions[1].weight',
    message: 'must not be null',
  },
  { rule: 'settings not null', mutate: (d) => (d.settings = null), path: 'settings', message: 'must not be null' },
  {
    rule: 'link weight > 0',
    mutate: (d) => (d.questions[0].links[0].weight = -1),
    path: 'questions[0].links[0].weight',
    message: 'must be greater than 0',
  },
  {
    rule: 'link weight required',
    mutate: (d) => delete d.questions[1].links[0].weight,
    path: 'questions[1].links[0].weight',
    message: 'is required',
  },
  {
    rule: 'impact ≤ 5',
    mutate: (d) => (d.recommendations[0].impact = 6),
    path: 'recommendations[0].impact',
    message: 'must be at most 5',
  },
  {
    rule: 'effort integer',
    mutate: (d) => (d.recommendations[0].effort = 2.5),
    path: 'recommendations[0].effort',
    message: 'must be an integer',
  },
  {
    rule: 'effort ≥ 1',
    mutate: (d) => (d.recommendations[1].effort = 0),
    path: 'recommendations[1].effort',
    message: 'must be at least 1',
  },
  {
    rule: 'template threshold 0..100',
    mutate: (d) => (d.recommendations[1].threshold = -5),
    path: 'recommendations[1].threshold',
    message: 'must be at least 0',
  },
  {
    rule: 'lowerBound ≤ 100',
    mutate: (d) => (d.levels[4].lowerBound = 101),
    path: 'levels[4].lowerBound',
    message: 'must be at most 100',
  },
  {
    rule: 'critical threshold ≤ 100',
    mutate: (d) => (d.questions[0].critical.threshold = 150),
    path: 'questions[0].critical.threshold',
    message: 'must be at most 100',
  },
  {
    rule: 'option score 0..100',
    mutate: (d) => (d.questions[2].options[0].score = 101),
    path: 'questions[2].options[0].score',
    message: 'must be at most 100',
  },
  {
    rule: 'band score 0..100',
    mutate: (d) => (d.questions[4].numeric.bands[0].score = -1),
    path: 'questions[4].numeric.bands[0].score',
    message: 'must be at least 0',
  },
  {
    rule: 'band upTo required (null allowed)',
    mutate: (d) => delete d.questions[4].numeric.bands[2].upTo,
    path: 'questions[4].numeric.bands[2].upTo',
    message: 'is required',
  },
  {
    rule: 'knockoutCapLevel integer ≥ 1',
    mutate: (d) => (d.settings.knockoutCapLevel = 0),
    path: 'settings.knockoutCapLevel',
    message: 'must be at least 1',
  },
  {
    rule: 'gateTolerance ≤ 100',
    mutate: (d) => (d.settings.gateTolerance = 101),
    path: 'settings.gateTolerance',
    message: 'must be at most 100',
  },
  {
    rule: 'solidThreshold ≥ 0',
    mutate: (d) => (d.settings.solidThreshold = -1),
    path: 'settings.solidThreshold',
    message: 'must be at least 0',
  },
  {
    rule: 'benchmarkMinCohort integer',
    mutate: (d) => (d.settings.benchmarkMinCohort = 2.5),
    path: 'settings.benchmarkMinCohort',
    message: 'must be an integer',
  },
  {
    rule: 'unknown setting',
    mutate: (d) => (d.settings.tau = 60),
    path: 'settings.tau',
    message: 'is not a known property',
  },
  {
    rule: 'layer integer ≥ 1',
    mutate: (d) => (d.dimensions[2].layer = 0),
    path: 'dimensions[2].layer',
    message: 'must be at least 1',
  },
  {
    rule: 'LIKERT scale integers',
    mutate: (d) => (d.questions[0].scale = { min: 1, max: 4.5 }),
    path: 'questions[0].scale.max',
    message: 'must be an integer',
  },
  { rule: 'levels non-empty', mutate: (d) => (d.levels = []), path: 'levels', message: 'must not be empty' },
  {
    rule: 'dimensions must be an array',
    mutate: (d) => (d.dimensions = {}),
    path: 'dimensions',
    message: 'must be an array',
  },
  {
    rule: 'groups must be an array',
    mutate: (d) => (d.groups = 'ELEMENTS'),
    path: 'groups',
    message: 'must be an array',
  },
  {
    rule: 'array items must be objects',
    mutate: (d) => (d.recommendations[0].actions = ['do it']),
    path: 'recommendations[0].actions[0]',
    message: 'must be an object',
  },
  {
    rule: 'non-object items do not hide the others',
    mutate: (d) => (d.questions[4].numeric.bands = [{ upTo: 'x', score: 5 }, null, { upTo: null, score: 0 }]),
    path: 'questions[4].numeric.bands[0].upTo',
    message: 'must be a finite number',
    count: 2, // and bands[1]: must be an object
  },
  {
    rule: 'showIf.anyOf non-empty',
    mutate: (d) => (d.questions[2].showIf.anyOf = []),
    path: 'questions[2].showIf.anyOf',
    message: 'must not be empty',
  },
  {
    rule: 'showIf.anyOf scalars only',
    mutate: (d) => (d.questions[2].showIf.anyOf = [{ x: 1 }]),
    path: 'questions[2].showIf.anyOf',
    message: 'must contain only option codes',
  },
  {
    rule: 'max 50 options',
    mutate: (d) => {
      d.questions[3].options = Array.from({ length: 51 }, (_, i) => ({
        code: `O${i}`,
        score: 1,
        label: title(`Option ${i}`),
      }));
    },
    path: 'questions[3].options',
    message: 'has too many items: at most 50',
  },
  {
    rule: 'max 500 questions',
    mutate: (d) => {
      for (let i = d.questions.length; i < 501; i++) {
        d.questions.push({ ...structuredClone(FIXTURE.questions[5]), code: `Q_EXTRA_${i}` });
      }
    },
    path: 'questions',
    message: 'has too many items: at most 500',
  },
  {
    rule: 'max 100 dimensions',
    mutate: (d) => {
      for (let i = d.dimensions.length; i < 101; i++)
        d.dimensions.push({ ...structuredClone(FIXTURE.dimensions[1]), code: `D${i}` });
    },
    path: 'dimensions',
    message: 'has too many items: at most 100',
  },
  {
    rule: 'max 1000 templates',
    mutate: (d) => {
      for (let i = d.recommendations.length; i < 1001; i++) {
        d.recommendations.push({ ...structuredClone(FIXTURE.recommendations[0]), code: `R${i}` });
      }
    },
    path: 'recommendations',
    message: 'has too many items: at most 1000',
  },

  // -- groups
  {
    rule: 'no primary group',
    mutate: (d) => (d.groups[0].primary = false),
    path: 'groups',
    message: 'no primary group',
  },
  {
    rule: 'two primary groups',
    mutate: (d) => {
      d.groups.push({ code: 'EXTRA', kind: 'WEIGHTED', primary: true, title: title('Extra') });
      d.dimensions[1].group = 'EXTRA';
    },
    path: 'groups[2].primary',
    message: 'only one group may be primary (groups[0] is already)',
  },
  {
    rule: 'primary group not LAYERED',
    mutate: (d) => {
      d.groups[0].primary = false;
      d.groups[1].primary = true;
    },
    path: 'groups[1].primary',
    message: 'a LAYERED group cannot be primary',
  },
  {
    rule: 'at most one LAYERED group',
    mutate: (d) => {
      d.groups.push({ code: 'PYRAMID2', kind: 'LAYERED', primary: false, title: title('Second pyramid') });
      d.dimensions[3].group = 'PYRAMID2';
      d.dimensions[3].layer = 1;
    },
    path: 'groups[2].kind',
    message: 'at most one group may be LAYERED',
  },
  {
    rule: 'duplicate group code',
    mutate: (d) => d.groups.push({ ...structuredClone(FIXTURE.groups[0]), primary: false }),
    path: 'groups[2].code',
    message: 'duplicate group code "ELEMENTS" (first at groups[0])',
  },
  {
    rule: 'group without dimensions',
    mutate: (d) => d.groups.push({ code: 'EMPTY', kind: 'WEIGHTED', primary: false, title: title('Empty') }),
    path: 'groups[2]',
    message: 'group "EMPTY" has no dimensions',
  },

  // -- dimensions and layers
  {
    rule: 'unknown group',
    mutate: (d) => (d.dimensions[1].group = 'ELEMENTZ'),
    path: 'dimensions[1].group',
    message: 'unknown group "ELEMENTZ"',
  },
  {
    rule: 'duplicate dimension code',
    mutate: (d) => d.dimensions.push(structuredClone(FIXTURE.dimensions[0])),
    path: 'dimensions[4].code',
    message: 'duplicate dimension code "LEADERSHIP"',
  },
  {
    rule: 'layer only in a LAYERED group',
    mutate: (d) => (d.dimensions[0].layer = 1),
    path: 'dimensions[0].layer',
    message: 'is only allowed in a LAYERED group',
  },
  {
    rule: 'layer required in a LAYERED group',
    mutate: (d) => delete d.dimensions[3].layer,
    path: 'dimensions[3].layer',
    message: 'is required for a dimension of the LAYERED group "PYRAMID"',
  },
  {
    rule: 'each layer once',
    mutate: (d) => (d.dimensions[3].layer = 1),
    path: 'dimensions[3].layer',
    message: 'duplicate layer 1 in group "PYRAMID" (also dimensions[2])',
  },
  {
    rule: 'layers are 1..n',
    mutate: (d) => (d.dimensions[3].layer = 3),
    path: 'dimensions[3].layer',
    message: 'layer 3 is out of range',
  },

  // -- levels and settings
  {
    rule: 'levels numbered 1..m in order',
    mutate: (d) => (d.levels[2].level = 4),
    path: 'levels[2].level',
    message: 'must be 3',
  },
  {
    rule: 'first lowerBound 0',
    mutate: (d) => (d.levels[0].lowerBound = 5),
    path: 'levels[0].lowerBound',
    message: 'must be 0',
  },
  {
    rule: 'bounds strictly increase',
    mutate: (d) => (d.levels[3].lowerBound = 40),
    path: 'levels[3].lowerBound',
    message: "must be greater than the previous level's lowerBound (40)",
  },
  {
    rule: 'duplicate level code',
    mutate: (d) => (d.levels[2].code = 'ALIGNMENT'),
    path: 'levels[2].code',
    message: 'duplicate level code "ALIGNMENT"',
  },
  {
    rule: 'knockoutCapLevel ≤ m',
    mutate: (d) => (d.settings.knockoutCapLevel = 6),
    path: 'settings.knockoutCapLevel',
    message: 'must not exceed the highest level (5)',
  },

  // -- questions: codes and types
  {
    rule: 'duplicate question code',
    mutate: (d) => (d.questions[5].code = 'Q_LEAD'),
    path: 'questions[5].code',
    message: 'duplicate question code "Q_LEAD" (first at questions[0])',
  },
  {
    rule: 'LIKERT scale min < max',
    mutate: (d) => (d.questions[0].scale = { min: 5, max: 5 }),
    path: 'questions[0].scale.max',
    message: 'must be greater than scale.min (5)',
  },
  {
    rule: 'scale only on LIKERT',
    mutate: (d) => (d.questions[1].scale = { min: 1, max: 5 }),
    path: 'questions[1].scale',
    message: 'is only allowed on LIKERT questions',
  },
  {
    rule: 'options only on choice types',
    mutate: (d) => (d.questions[0].options = structuredClone(FIXTURE.questions[2].options)),
    path: 'questions[0].options',
    message: 'are only allowed on SINGLE_CHOICE and MULTI_CHOICE questions',
  },
  {
    rule: 'SINGLE_CHOICE needs options',
    mutate: (d) => {
      delete d.questions[2].options;
      delete d.questions[3].showIf;
    },
    path: 'questions[2].options',
    message: 'a SINGLE_CHOICE question needs at least 2 options',
  },
  {
    rule: 'MULTI_CHOICE needs ≥ 2 options',
    mutate: (d) => d.questions[3].options.splice(1),
    path: 'questions[3].options',
    message: 'a MULTI_CHOICE question needs at least 2 options',
  },
  {
    rule: 'duplicate option code',
    mutate: (d) => (d.questions[3].options[1].code = 'SURVEYS'),
    path: 'questions[3].options[1].code',
    message: 'duplicate option code "SURVEYS" (first at questions[3].options[0])',
  },
  {
    rule: 'exclusive only on MULTI_CHOICE',
    mutate: (d) => (d.questions[2].options[0].exclusive = true),
    path: 'questions[2].options[0].exclusive',
    message: 'is only allowed on MULTI_CHOICE options',
  },
  {
    rule: 'NUMERIC needs numeric',
    mutate: (d) => delete d.questions[4].numeric,
    path: 'questions[4].numeric',
    message: 'is required for a NUMERIC question',
  },
  {
    rule: 'NUMERIC min < max',
    mutate: (d) => (d.questions[4].numeric.min = 720),
    path: 'questions[4].numeric.max',
    message: 'must be greater than numeric.min (720)',
  },
  {
    rule: 'NUMERIC bands required',
    mutate: (d) => (d.questions[4].numeric.bands = []),
    path: 'questions[4].numeric.bands',
    message: 'must not be empty',
  },
  {
    rule: 'bands strictly ascending',
    mutate: (d) => (d.questions[4].numeric.bands[1].upTo = 4),
    path: 'questions[4].numeric.bands[1].upTo',
    message: "must be greater than the previous band's upTo (4)",
  },
  {
    rule: 'only the last upTo null',
    mutate: (d) => (d.questions[4].numeric.bands[1].upTo = null),
    path: 'questions[4].numeric.bands[1].upTo',
    message: 'only the last band may have upTo null',
  },
  {
    rule: 'last band covers max',
    mutate: (d) => (d.questions[4].numeric.bands[2].upTo = 100),
    path: 'questions[4].numeric.bands[2].upTo',
    message: 'the last band must have upTo null or at least max (720)',
  },
  {
    rule: 'numeric only on NUMERIC',
    mutate: (d) => (d.questions[0].numeric = structuredClone(FIXTURE.questions[4].numeric)),
    path: 'questions[0].numeric',
    message: 'is only allowed on NUMERIC questions',
  },
  {
    rule: 'reverse only on LIKERT/BOOLEAN',
    mutate: (d) => (d.questions[2].reverse = true),
    path: 'questions[2].reverse',
    message: 'is only allowed on LIKERT and BOOLEAN questions',
  },

  // -- questions: links and critical
  {
    rule: 'TEXT has no links',
    mutate: (d) => (d.questions[5].links = [{ dimension: 'CULTURE', weight: 1 }]),
    path: 'questions[5].links',
    message: 'a TEXT question cannot have links',
  },
  {
    rule: 'scored question needs a link',
    mutate: (d) => (d.questions[0].links = []),
    path: 'questions[0].links',
    message: 'a LIKERT question needs at least one link',
  },
  {
    rule: 'link to unknown dimension',
    mutate: (d) => (d.questions[1].links[0].dimension = 'EMPOWER'),
    path: 'questions[1].links[0].dimension',
    message: 'unknown dimension "EMPOWER"',
  },
  {
    rule: 'duplicate link',
    mutate: (d) => (d.questions[0].links[1].dimension = 'LEADERSHIP'),
    path: 'questions[0].links[1].dimension',
    message: 'duplicate link to dimension "LEADERSHIP" (also links[0])',
  },
  {
    rule: 'critical not on TEXT',
    mutate: (d) => (d.questions[5].critical = { threshold: 50 }),
    path: 'questions[5].critical',
    message: 'a TEXT question cannot be critical',
  },

  // -- showIf
  {
    rule: 'showIf unknown question',
    mutate: (d) => (d.questions[2].showIf.question = 'Q_NOPE'),
    path: 'questions[2].showIf.question',
    message: 'unknown question "Q_NOPE"',
  },
  {
    rule: 'showIf itself',
    mutate: (d) => (d.questions[2].showIf = { question: 'Q_CHARTER_USE', anyOf: ['NEVER'] }),
    path: 'questions[2].showIf.question',
    message: 'cannot depend on itself',
  },
  {
    rule: 'showIf later question',
    mutate: (d) => (d.questions[1].showIf = { question: 'Q_RESPONSE_HOURS', anyOf: [4] }),
    path: 'questions[1].showIf.question',
    message: 'must name an earlier question: "Q_RESPONSE_HOURS" comes later (questions[4])',
  },
  {
    rule: 'showIf cycle',
    mutate: (d) => (d.questions[1].showIf = { question: 'Q_CHANNELS', anyOf: ['SURVEYS'] }),
    path: 'questions[1].showIf.question',
    message: 'showIf cycle: Q_CHARTER → Q_CHANNELS → Q_CHARTER_USE → Q_CHARTER',
    count: 2, // and "must name an earlier question"
  },
  {
    rule: 'showIf on a TEXT question',
    mutate: (d) => {
      d.questions.unshift(d.questions.pop()); // Q_COMMENT first; Q_RESPONSE_HOURS is now questions[5]
      d.questions[5].showIf = { question: 'Q_COMMENT', anyOf: ['yes'] };
    },
    path: 'questions[5].showIf.question',
    message: 'cannot depend on the TEXT question "Q_COMMENT"',
  },
  {
    rule: 'anyOf unknown option',
    mutate: (d) => (d.questions[3].showIf.anyOf[1] = 'WEEKLY'),
    path: 'questions[3].showIf.anyOf[1]',
    message: 'unknown option "WEEKLY" of question "Q_CHARTER_USE"',
  },
  {
    rule: 'anyOf wrong type for BOOLEAN',
    mutate: (d) => (d.questions[2].showIf.anyOf = ['yes']),
    path: 'questions[2].showIf.anyOf[0]',
    message: 'is not an answer of the BOOLEAN question "Q_CHARTER"',
  },
  {
    rule: 'anyOf wrong type for a choice',
    mutate: (d) => (d.questions[3].showIf.anyOf = [true]),
    path: 'questions[3].showIf.anyOf[0]',
    message: 'is not an answer of the SINGLE_CHOICE question',
  },
  {
    rule: 'anyOf outside the LIKERT scale',
    mutate: (d) => (d.questions[1].showIf = { question: 'Q_LEAD', anyOf: [3, 6] }),
    path: 'questions[1].showIf.anyOf[1]',
    message: '6 is not an answer of the LIKERT question "Q_LEAD" (an integer 1..5)',
  },
  {
    rule: 'anyOf outside the NUMERIC range',
    mutate: (d) => (d.questions[5].showIf = { question: 'Q_RESPONSE_HOURS', anyOf: [1000] }),
    path: 'questions[5].showIf.anyOf[0]',
    message: 'is not an answer of the NUMERIC question "Q_RESPONSE_HOURS"',
  },

  // -- recommendation templates
  {
    rule: 'duplicate template code',
    mutate: (d) => (d.recommendations[1].code = 'R_LEAD_FROM_TOP'),
    path: 'recommendations[1].code',
    message: 'duplicate recommendation code "R_LEAD_FROM_TOP"',
  },
  {
    rule: 'template unknown dimension',
    mutate: (d) => (d.recommendations[0].dimension = 'EMPOWER'),
    path: 'recommendations[0].dimension',
    message: 'unknown dimension "EMPOWER"',
  },
  {
    rule: 'template unknown question',
    mutate: (d) => (d.recommendations[1].question = 'Q_NOPE'),
    path: 'recommendations[1].question',
    message: 'unknown question "Q_NOPE"',
  },
  {
    rule: 'template question must link to its dimension',
    mutate: (d) => (d.recommendations[1].dimension = 'LEADERSHIP'),
    path: 'recommendations[1].question',
    message: 'question "Q_CHARTER_USE" does not link to dimension "LEADERSHIP"',
  },
];

describe('validateFrameworkDocument: malformed documents', () => {
  it('has a row for every rule (at least 30)', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ROWS.map((r) => r.rule)).size).toBe(ROWS.length);
  });

  it.each(ROWS.map((r) => [r.rule, r] as const))('%s', (_rule, row) => {
    const doc = fixture();
    row.mutate(doc);
    const problems = problemsOf(doc);
    const match = problems.find((p) => p.path === row.path && p.message.includes(row.message));
    if (!match) throw new Error(`expected ${row.path}: …${row.message}…, got:\n${show(problems)}`);
    if (problems.length !== (row.count ?? 1)) {
      throw new Error(`expected ${row.count ?? 1} problem(s), got:\n${show(problems)}`);
    }
  });

  it('reports all problems at once, in path order', () => {
    const doc = fixture();
    doc.recommendations[0].dimension = 'EMPOWER';
    doc.questions[1].links[0].dimension = 'EMPOWER';
    doc.key = 'BAD';
    doc.levels[0].lowerBound = 5;
    const problems = problemsOf(doc);
    expect(problems.map((p) => p.path)).toEqual([
      'key',
      'levels[0].lowerBound',
      'questions[1].links[0].dimension',
      'recommendations[0].dimension',
    ]);
  });
});

describe('validateFrameworkDocument: messages and hostile input', () => {
  it('says a long text is too long without echoing it', () => {
    const doc = fixture();
    doc.name.en = 'A'.repeat(6000);
    doc.questions[0].text.ru = 'Б'.repeat(6000);
    doc.questions[1].links[0].dimension = 'EMPOWER'.repeat(1000);
    const problems = problemsOf(doc);
    expect(problems).toContainEqual({
      path: 'name.en',
      message: expect.stringContaining('too long: at most 300 characters'),
    });
    expect(problems).toContainEqual({ path: 'questions[0].text.ru', message: expect.stringContaining('at most 5000') });
    for (const p of problems) {
      expect(p.message).not.toMatch(/AAAAAAAAAA|ББББББББББ|(EMPOWER){10}/);
      expect(p.message.length).toBeLessThan(200);
    }
  });

  it.each([
    ['null', null, 'got null'],
    ['undefined', undefined, 'got undefined'],
    ['an array', [FIXTURE], 'got an array'],
    ['a string', JSON.stringify(FIXTURE), 'got a string'],
    ['a number', 42, 'got a number'],
  ])('gives a clear root problem for %s', (_name, input, fragment) => {
    const problems = problemsOf(input);
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('');
    expect(problems[0].message).toContain('must be a JSON object');
    expect(problems[0].message).toContain(fragment);
  });

  it('reports every missing top-level field of an empty object', () => {
    const paths = problemsOf({}).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'key',
        'version',
        'name',
        'description',
        'groups',
        'dimensions',
        'levels',
        'questions',
        'recommendations',
      ]),
    );
  });

  it('accepts null-prototype objects (as GraphQL input values are) and returns plain ones', () => {
    const nullProto = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(nullProto);
      if (v && typeof v === 'object') {
        const o = Object.create(null);
        for (const [k, x] of Object.entries(v)) o[k] = nullProto(x);
        return o;
      }
      return v;
    };
    const result = validateFrameworkDocument(nullProto(fixture()));
    if (!result.ok) throw new Error(show(result.problems));
    expect(result.document).toEqual(FIXTURE);
    const broken = nullProto(fixture()) as Doc;
    broken.questions[1].links[0].dimension = 'EMPOWER';
    expect(problemsOf(broken)).toEqual([
      { path: 'questions[1].links[0].dimension', message: 'unknown dimension "EMPOWER"' },
    ]);
  });

  it(`reports at most ${MAX_PROBLEMS} problems and says how many were left out`, () => {
    const doc = fixture();
    doc.questions = Array.from({ length: 500 }, () => ({
      ...structuredClone(FIXTURE.questions[5]),
      code: 'Q_SAME',
      links: [
        { dimension: 'NOPE_1', weight: 1 },
        { dimension: 'NOPE_2', weight: 1 },
      ],
    }));
    const problems = problemsOf(doc);
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems[MAX_PROBLEMS]).toEqual({
      path: '',
      message: expect.stringMatching(/^\d+ more problems were left out$/),
    });
  });

  it('rejects __proto__ keys and deep nesting before reading the input', () => {
    const doc = fixture();
    doc.groups[0] = JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(doc.groups[0]).slice(1)}`);
    expect(problemsOf(doc)).toContainEqual({ path: 'groups[0].__proto__', message: 'is not an allowed property name' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const deep = fixture();
    let node: Doc = {};
    deep.groups[0].extra = node;
    for (let i = 0; i < MAX_DEPTH + 5; i++) node = node.x = {};
    const problems = problemsOf(deep);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain('nested too deeply');
  });
});

describe('toFrameworkDef', () => {
  it('maps the fixture and fills the defaults', () => {
    const def = toFrameworkDef(FIXTURE);
    expect(def.groups).toEqual([
      { code: 'ELEMENTS', kind: 'WEIGHTED', primary: true },
      { code: 'PYRAMID', kind: 'LAYERED', primary: false },
    ]);
    expect(def.dimensions).toEqual([
      { code: 'LEADERSHIP', group: 'ELEMENTS', weight: 2, layer: null },
      { code: 'CULTURE', group: 'ELEMENTS', weight: 1, layer: null },
      { code: 'BASICS', group: 'PYRAMID', weight: 1, layer: 1 },
      { code: 'DELIGHT', group: 'PYRAMID', weight: 1, layer: 2 },
    ]);
    expect(def.levels.map((l) => [l.level, l.code, l.lowerBound])).toEqual([
      [1, 'UNCERTAINTY', 0],
      [2, 'ALIGNMENT', 20],
      [3, 'EXPERIENCE', 40],
      [4, 'OWNERSHIP', 60],
      [5, 'AMAZEMENT', 80],
    ]);
    expect(def.settings).toEqual({ ...DEFAULT_SETTINGS, solidThreshold: 65, knockoutCapLevel: 2 });

    const [lead, charter, use, channels, hours, comment] = def.questions;
    expect(lead).toEqual({
      code: 'Q_LEAD',
      type: 'LIKERT',
      links: [
        { dimension: 'LEADERSHIP', weight: 2 },
        { dimension: 'BASICS', weight: 1 },
      ],
      required: true,
      allowNotApplicable: false,
      reverse: false,
      critical: { threshold: 40 },
      showIf: null,
      scale: { min: 1, max: 5 },
      options: null,
      numeric: null,
    });
    expect(charter.reverse).toBe(false);
    expect(charter.scale).toBeNull();
    expect(use.showIf).toEqual({ question: 'Q_CHARTER', anyOf: [true] });
    expect(use.options).toEqual([
      { code: 'NEVER', score: 0, exclusive: false },
      { code: 'SOMETIMES', score: 50, exclusive: false },
      { code: 'DAILY', score: 100, exclusive: false },
    ]);
    expect(channels.options?.[2]).toEqual({ code: 'NONE', score: 0, exclusive: true });
    expect(hours.numeric).toEqual({
      min: 0,
      max: 720,
      bands: [
        { upTo: 4, score: 100 },
        { upTo: 24, score: 60 },
        { upTo: null, score: 0 },
      ],
    });
    expect(comment.links).toEqual([]);
    expect(comment.critical).toBeNull();
    // No texts in the engine's view.
    expect(JSON.stringify(def)).not.toContain('Leadership personally');

    expect(def.recommendations).toEqual([
      {
        code: 'R_LEAD_FROM_TOP',
        dimension: 'LEADERSHIP',
        question: null,
        threshold: null,
        impact: 5,
        effort: 3,
        horizon: 'DAYS_90',
      },
      {
        code: 'R_CHARTER_DAILY',
        dimension: 'CULTURE',
        question: 'Q_CHARTER_USE',
        threshold: 70,
        impact: 3,
        effort: 1,
        horizon: 'QUICK_WIN',
      },
    ]);
  });

  it('takes every setting from DEFAULT_SETTINGS when settings are omitted', () => {
    const doc = fixture();
    delete doc.settings;
    expect(toFrameworkDef(doc).settings).toEqual(DEFAULT_SETTINGS);
    doc.settings = { gateTolerance: 10 };
    expect(toFrameworkDef(doc).settings).toEqual({ ...DEFAULT_SETTINGS, gateTolerance: 10 });
  });

  it('does not share arrays with the document', () => {
    const doc = fixture();
    const def = toFrameworkDef(doc);
    def.questions[2].showIf!.anyOf.push(false);
    def.questions[0].links.push({ dimension: 'X', weight: 1 });
    expect(doc).toEqual(FIXTURE);
  });
});

describe('localize', () => {
  it('picks the locale and falls back to the other language when one is empty', () => {
    expect(localize({ ru: 'Привет', en: 'Hello' }, 'ru')).toBe('Привет');
    expect(localize({ ru: 'Привет', en: 'Hello' }, 'en')).toBe('Hello');
    expect(localize({ ru: '', en: 'Hello' }, 'ru')).toBe('Hello');
    expect(localize({ ru: 'Привет', en: '  ' }, 'en')).toBe('Привет');
    expect(localize({ ru: '', en: '' }, 'en')).toBeNull();
    expect(localize(undefined, 'ru')).toBeNull();
  });
});

describe('frameworkChecksum', () => {
  function reorder(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(reorder);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([k, v]) => [k, reorder(v)]),
      );
    }
    return value;
  }

  it('is a SHA-256 hex digest, stable under key reordering', () => {
    const sum = frameworkChecksum(FIXTURE);
    expect(sum).toMatch(/^[0-9a-f]{64}$/);
    const reordered = reorder(FIXTURE) as FrameworkDocument;
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(FIXTURE)[0]);
    expect(frameworkChecksum(reordered)).toBe(sum);
    expect(frameworkChecksum(fixture())).toBe(sum);
  });

  it('changes when any value changes', () => {
    const sum = frameworkChecksum(FIXTURE);
    const changes: Array<(d: Doc) => void> = [
      (d) => (d.version = '1.0.1'),
      (d) => (d.name.ru = 'Другая'),
      (d) => (d.dimensions[0].weight = 3),
      (d) => (d.questions[4].numeric.bands[2].upTo = 1000),
      (d) => (d.questions[3].showIf.anyOf = ['DAILY', 'SOMETIMES']),
      (d) => (d.recommendations[1].actions[0].en = 'Start each huddle with two charter points.'),
      (d) => (d.settings.solidThreshold = 66),
      (d) => delete d.settings,
    ];
    const seen = new Set([sum]);
    for (const change of changes) {
      const doc = fixture();
      change(doc);
      const changed = frameworkChecksum(doc);
      expect(seen.has(changed)).toBe(false);
      seen.add(changed);
    }
  });

  it('canonicalJson sorts keys recursively and keeps array order', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }, 3], a: 'x', u: undefined })).toBe('{"a":"x","b":[{"c":2,"d":1},3]}');
  });
});
