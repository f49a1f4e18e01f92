/**
 * Validation of a framework document (docs/scoring.md §1–§2): shape and field rules through the
 * class-validator DTOs of framework-document.dto.ts, then the cross-reference rules
 * (primary group, layers, level bounds, question types, links, showIf, templates).
 *
 * Every problem is reported (not only the first) as `{ path, message }` where `path` is a JSON
 * path such as `questions[12].links[0].dimension`. Messages never echo long input values: a
 * code is quoted (truncated to 64 characters), texts are only described by their length.
 */
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import type { FrameworkDocument } from './framework-document';
import {
  FRAMEWORK_LIMITS,
  FrameworkDocumentDto,
  NOT_NULL,
  OBJECT_ITEMS,
  QUESTION_TYPES,
} from './framework-document.dto';
import type { QuestionType } from '../../scoring/types';

export interface FrameworkProblem {
  /** JSON path of the offending value, e.g. `questions[12].links[0].dimension`; '' for the root. */
  path: string;
  message: string;
}

export type FrameworkValidationResult =
  { ok: true; document: FrameworkDocument } | { ok: false; problems: FrameworkProblem[] };

/** At most this many problems are reported; a last root problem says how many were left out. */
export const MAX_PROBLEMS = 1000;
/** Guards applied before anything else reads the input. */
export const MAX_DEPTH = 32;
export const MAX_NODES = 500_000;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks a framework document. On success `document` is a deep copy of the input (which then
 * has exactly the shape of FrameworkDocument, with no unknown properties).
 */
export function validateFrameworkDocument(input: unknown): FrameworkValidationResult {
  if (input === null || input === undefined) {
    return fail([{ path: '', message: `the framework document must be a JSON object, got ${input}` }]);
  }
  if (Array.isArray(input)) {
    return fail([{ path: '', message: 'the framework document must be a JSON object, got an array' }]);
  }
  if (typeof input !== 'object') {
    return fail([{ path: '', message: `the framework document must be a JSON object, got a ${typeof input}` }]);
  }

  const guard = checkStructureLimits(input);
  if (guard.length > 0) return fail(guard);
  const oversized = checkCollectionSizes(input as Raw);
  if (oversized.length > 0) return fail(oversized);

  const problems: FrameworkProblem[] = [];
  try {
    const instance = plainToInstance(FrameworkDocumentDto, input);
    const errors = validateSync(instance as object, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: true },
    });
    problems.push(...flattenValidationErrors(errors));
  } catch {
    return fail([{ path: '', message: 'the framework document could not be read as JSON data' }]);
  }
  problems.push(...checkCrossReferences(input as Raw));

  if (problems.length > 0) return fail(problems);
  return { ok: true, document: structuredClone(input) as FrameworkDocument };
}

function fail(problems: FrameworkProblem[]): { ok: false; problems: FrameworkProblem[] } {
  const sorted = sortProblems(dedupe(problems));
  if (sorted.length > MAX_PROBLEMS) {
    const left = sorted.length - MAX_PROBLEMS;
    return {
      ok: false,
      problems: [...sorted.slice(0, MAX_PROBLEMS), { path: '', message: `${left} more problems were left out` }],
    };
  }
  return { ok: false, problems: sorted };
}

function dedupe(problems: FrameworkProblem[]): FrameworkProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Paths

function keySegment(key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/.test(key)) return `.${key}`;
  return `[${quote(key)}]`;
}

function join(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  const seg = keySegment(key);
  return base === '' && seg.startsWith('.') ? seg.slice(1) : `${base}${seg}`;
}

/** A short, safe rendering of an input string for a message: JSON-quoted, at most 64 characters. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 61)}…` : value);
}

/** Renders a short scalar of the input for a message. */
function show(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

// Field order of the interchange format, for sorting problems in order of appearance.
const FIELD_ORDER = [
  'key',
  'version',
  'name',
  'description',
  'groups',
  'dimensions',
  'levels',
  'settings',
  'questions',
  'recommendations',
  'level',
  'code',
  'kind',
  'type',
  'group',
  'primary',
  'dimension',
  'question',
  'weight',
  'layer',
  'lowerBound',
  'knockoutCapLevel',
  'solidThreshold',
  'gateTolerance',
  'perceptionGapThreshold',
  'benchmarkMinCohort',
  'recommendationThreshold',
  'threshold',
  'impact',
  'effort',
  'horizon',
  'title',
  'text',
  'help',
  'body',
  'actions',
  'source',
  'links',
  'required',
  'allowNotApplicable',
  'reverse',
  'critical',
  'showIf',
  'anyOf',
  'scale',
  'min',
  'max',
  'minLabel',
  'maxLabel',
  'unit',
  'options',
  'score',
  'exclusive',
  'label',
  'numeric',
  'bands',
  'upTo',
  'ru',
  'en',
];
const FIELD_RANK = new Map(FIELD_ORDER.map((f, i) => [f, i]));

function pathSegments(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([A-Za-z_$][A-Za-z0-9_$]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(m[2]);
    else if (m[3] !== undefined) out.push(m[3]);
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

function compareSegments(a: Array<string | number>, b: Array<string | number>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    const rx = FIELD_RANK.get(x) ?? FIELD_ORDER.length;
    const ry = FIELD_RANK.get(y) ?? FIELD_ORDER.length;
    if (rx !== ry) return rx - ry;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function sortProblems(problems: FrameworkProblem[]): FrameworkProblem[] {
  const keyed = problems.map((p) => ({ p, s: pathSegments(p.path) }));
  keyed.sort((a, b) => compareSegments(a.s, b.s)); // stable: ties keep the order of detection
  return keyed.map((k) => k.p);
}

// ---------------------------------------------------------------------------------------------
// Guards before any library reads the input

function checkStructureLimits(input: object): FrameworkProblem[] {
  const problems: FrameworkProblem[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: input, path: '', depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (++nodes > MAX_NODES) {
      return [{ path: '', message: `the framework document is too large: more than ${MAX_NODES} values` }];
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_DEPTH) {
      return [{ path, message: `is nested too deeply: at most ${MAX_DEPTH} levels` }];
    }
    if (Array.isArray(value)) {
      if (value.length > MAX_NODES) {
        return [{ path: '', message: `the framework document is too large: more than ${MAX_NODES} values` }];
      }
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: join(path, i), depth: depth + 1 });
      continue;
    }
    if (value instanceof Date || value instanceof Map || value instanceof Set || ArrayBuffer.isView(value)) {
      problems.push({ path, message: 'must be plain JSON data' });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      if (FORBIDDEN_KEYS.has(key)) {
        problems.push({ path: join(path, key), message: 'is not an allowed property name' });
        continue;
      }
      stack.push({ value: (value as Raw)[key], path: join(path, key), depth: depth + 1 });
    }
  }
  return problems;
}

/**
 * The size limits of the collections, checked before the (much more expensive) field checks so
 * that an oversized import is turned down quickly. When one is exceeded, only these are reported.
 */
function checkCollectionSizes(doc: Raw): FrameworkProblem[] {
  const problems: FrameworkProblem[] = [];
  const limit = (value: unknown, max: number, path: string): boolean => {
    if (Array.isArray(value) && value.length > max) {
      problems.push({ path, message: `has too many items: at most ${max}` });
      return false;
    }
    return Array.isArray(value);
  };
  const L = FRAMEWORK_LIMITS;
  limit(doc.groups, L.groups, 'groups');
  limit(doc.dimensions, L.dimensions, 'dimensions');
  limit(doc.levels, L.levels, 'levels');
  if (limit(doc.questions, L.questions, 'questions')) {
    items(doc.questions).forEach(([q, i]) => {
      const base = `questions[${i}]`;
      limit(q.links, L.linksPerQuestion, `${base}.links`);
      limit(q.options, L.options, `${base}.options`);
      if (isObj(q.numeric)) limit(q.numeric.bands, L.bands, `${base}.numeric.bands`);
      if (isObj(q.showIf)) limit(q.showIf.anyOf, L.anyOf, `${base}.showIf.anyOf`);
    });
  }
  if (limit(doc.recommendations, L.recommendations, 'recommendations')) {
    items(doc.recommendations).forEach(([r, i]) => limit(r.actions, L.actions, `recommendations[${i}].actions`));
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// class-validator errors → problems

/** Constraints that describe the basic type; when one fails, the others on that value are noise. */
const TYPE_CONSTRAINTS = [
  'isDefined',
  NOT_NULL,
  'isArray',
  'isObject',
  'isString',
  'isNumber',
  'isInt',
  'isBoolean',
  'isIn',
];

const CONSTRAINT_MESSAGES: Record<string, string> = {
  whitelistValidation: 'is not a known property',
  nestedValidation: 'must be an object',
  unknownValue: 'must be an object',
};

/** Flattens class-validator's nested errors into problems with JSON paths. */
export function flattenValidationErrors(errors: ValidationError[], base = ''): FrameworkProblem[] {
  const out: FrameworkProblem[] = [];
  const visit = (error: ValidationError, path: string): void => {
    const constraints = error.constraints ?? {};
    const names = Object.keys(constraints);
    const isArray = Array.isArray(error.value);
    const typeFailure = TYPE_CONSTRAINTS.find((n) => n in constraints);
    if (typeFailure === undefined && OBJECT_ITEMS in constraints && isArray) {
      // An array whose items must be objects: name the offending items and go on with the others.
      (error.value as unknown[]).forEach((item, i) => {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          out.push({ path: join(path, i), message: 'must be an object' });
        }
      });
      for (const name of names) {
        if (name !== OBJECT_ITEMS && name !== 'nestedValidation') out.push({ path, message: constraints[name] });
      }
    } else {
      const chosen = typeFailure !== undefined ? [typeFailure] : names;
      for (const name of chosen) {
        out.push({ path, message: CONSTRAINT_MESSAGES[name] ?? constraints[name] });
      }
      if (typeFailure !== undefined) return;
    }
    for (const child of error.children ?? []) {
      const index = Number(child.property);
      const childPath =
        isArray && Number.isInteger(index) && String(index) === child.property
          ? join(path, index)
          : join(path, child.property);
      visit(child, childPath);
    }
  };
  for (const error of errors) {
    // A root-level "unknown value" error has no property.
    visit(error, error.property === undefined || error.property === '' ? base : join(base, error.property));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cross-reference rules

type Raw = Record<string, unknown>;

function isObj(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object items of an array with their index (non-objects are reported by the DTO checks). */
function items(v: unknown): Array<[Raw, number]> {
  if (!Array.isArray(v)) return [];
  const out: Array<[Raw, number]> = [];
  v.forEach((item, i) => {
    if (isObj(item)) out.push([item, i]);
  });
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function questionType(v: unknown): QuestionType | undefined {
  return typeof v === 'string' && (QUESTION_TYPES as readonly string[]).includes(v) ? (v as QuestionType) : undefined;
}

const CHOICE_TYPES: readonly QuestionType[] = ['SINGLE_CHOICE', 'MULTI_CHOICE'];

/** Reports every repeated `code` of `list` (at `prefix[i].code`); returns the first index of each code. */
function indexCodes(
  list: Array<[Raw, number]>,
  prefix: string,
  what: string,
  add: (path: string, message: string) => void,
): Map<string, number> {
  const first = new Map<string, number>();
  for (const [item, i] of list) {
    const code = str(item.code);
    if (code === undefined) continue;
    const j = first.get(code);
    if (j === undefined) first.set(code, i);
    else add(`${prefix}[${i}].code`, `duplicate ${what} code ${quote(code)} (first at ${prefix}[${j}])`);
  }
  return first;
}

/** The cross-reference rules of docs/scoring.md §1–§2, applied defensively to the raw input. */
export function checkCrossReferences(doc: Raw): FrameworkProblem[] {
  const problems: FrameworkProblem[] = [];
  const add = (path: string, message: string): void => {
    problems.push({ path, message });
  };

  // -- groups
  const groups = items(doc.groups);
  const groupIndex = indexCodes(groups, 'groups', 'group', add);
  const groupAt = (code: string): Raw | undefined => {
    const i = groupIndex.get(code);
    return i === undefined ? undefined : (doc.groups as Raw[])[i];
  };
  const primaries = groups.filter(([g]) => g.primary === true);
  if (groups.length > 0 && primaries.length === 0) {
    add('groups', 'no primary group: exactly one WEIGHTED group must have primary true');
  }
  primaries.forEach(([g, i], n) => {
    if (n > 0) add(`groups[${i}].primary`, `only one group may be primary (groups[${primaries[0][1]}] is already)`);
    if (g.kind === 'LAYERED')
      add(`groups[${i}].primary`, 'a LAYERED group cannot be primary: the primary group must be WEIGHTED');
  });
  const layeredGroups = groups.filter(([g]) => g.kind === 'LAYERED');
  layeredGroups.forEach(([, i], n) => {
    if (n > 0) add(`groups[${i}].kind`, `at most one group may be LAYERED (groups[${layeredGroups[0][1]}] is already)`);
  });

  // -- dimensions
  const dimensions = items(doc.dimensions);
  const dimensionIndex = indexCodes(dimensions, 'dimensions', 'dimension', add);
  const hasDimensions = Array.isArray(doc.dimensions);
  const membersOf = new Map<string, Array<[Raw, number]>>();
  for (const [d, i] of dimensions) {
    const groupCode = str(d.group);
    if (groupCode === undefined) continue;
    const group = groupAt(groupCode);
    if (group === undefined) {
      // When `groups` itself is malformed, the DTO problem says so; no reference can be checked.
      if (Array.isArray(doc.groups)) add(`dimensions[${i}].group`, `unknown group ${quote(groupCode)}`);
      continue;
    }
    const members = membersOf.get(groupCode) ?? [];
    members.push([d, i]);
    membersOf.set(groupCode, members);
    const hasLayer = d.layer !== undefined && d.layer !== null;
    if (group.kind === 'LAYERED' && !hasLayer) {
      add(`dimensions[${i}].layer`, `is required for a dimension of the LAYERED group ${quote(groupCode)}`);
    } else if (group.kind === 'WEIGHTED' && hasLayer) {
      add(`dimensions[${i}].layer`, `is only allowed in a LAYERED group (${quote(groupCode)} is WEIGHTED)`);
    }
  }
  for (const [g, i] of groups) {
    const code = str(g.code);
    if (code === undefined || groupIndex.get(code) !== i) continue;
    const members = membersOf.get(code) ?? [];
    if (members.length === 0) {
      if (hasDimensions) add(`groups[${i}]`, `group ${quote(code)} has no dimensions`);
      continue;
    }
    if (g.kind !== 'LAYERED') continue;
    const n = members.length;
    const byLayer = new Map<number, number>();
    for (const [d, di] of members) {
      if (!isInt(d.layer) || d.layer < 1) continue; // missing or malformed: reported above / by the DTO
      if (d.layer > n) {
        add(
          `dimensions[${di}].layer`,
          `layer ${d.layer} is out of range: group ${quote(code)} has ${n} dimensions, so layers are 1..${n}`,
        );
        continue;
      }
      const other = byLayer.get(d.layer);
      if (other !== undefined) {
        add(
          `dimensions[${di}].layer`,
          `duplicate layer ${d.layer} in group ${quote(code)} (also dimensions[${other}])`,
        );
      } else {
        byLayer.set(d.layer, di);
      }
    }
  }

  // -- levels
  const levels = Array.isArray(doc.levels) ? (doc.levels as unknown[]) : [];
  const levelItems = items(doc.levels);
  indexCodes(levelItems, 'levels', 'level', add);
  levels.forEach((lv, i) => {
    if (!isObj(lv)) return;
    if (isNum(lv.level) && lv.level !== i + 1) {
      add(`levels[${i}].level`, `must be ${i + 1}: levels are numbered 1..m in order`);
    }
    if (!isNum(lv.lowerBound)) return;
    if (i === 0) {
      if (lv.lowerBound !== 0) add('levels[0].lowerBound', 'must be 0: the first level starts at 0');
      return;
    }
    const prev = levels[i - 1];
    if (isObj(prev) && isNum(prev.lowerBound) && lv.lowerBound <= prev.lowerBound) {
      add(
        `levels[${i}].lowerBound`,
        `must be greater than the previous level's lowerBound (${prev.lowerBound}): bounds strictly increase`,
      );
    }
  });

  // -- settings
  if (isObj(doc.settings) && isInt(doc.settings.knockoutCapLevel) && levels.length > 0) {
    if (doc.settings.knockoutCapLevel > levels.length) {
      add('settings.knockoutCapLevel', `must not exceed the highest level (${levels.length})`);
    }
  }

  // -- questions
  const questions = items(doc.questions);
  const questionIndex = indexCodes(questions, 'questions', 'question', add);
  const hasQuestions = Array.isArray(doc.questions);
  const questionAt = (code: string): Raw | undefined => {
    const i = questionIndex.get(code);
    return i === undefined ? undefined : (doc.questions as Raw[])[i];
  };
  const showIfTarget = new Map<number, number>(); // question index → index of the question it depends on

  for (const [q, i] of questions) {
    const base = `questions[${i}]`;
    const type = questionType(q.type);
    const code = str(q.code);

    // links
    if (Array.isArray(q.links)) {
      if (type === 'TEXT' && q.links.length > 0)
        add(`${base}.links`, 'a TEXT question cannot have links (it is not scored)');
      if (type !== undefined && type !== 'TEXT' && q.links.length === 0) {
        add(`${base}.links`, `a ${type} question needs at least one link to a dimension`);
      }
      const linked = new Map<string, number>();
      for (const [link, j] of items(q.links)) {
        const dim = str(link.dimension);
        if (dim === undefined) continue;
        if (hasDimensions && !dimensionIndex.has(dim))
          add(`${base}.links[${j}].dimension`, `unknown dimension ${quote(dim)}`);
        const other = linked.get(dim);
        if (other !== undefined) {
          add(`${base}.links[${j}].dimension`, `duplicate link to dimension ${quote(dim)} (also links[${other}])`);
        } else {
          linked.set(dim, j);
        }
      }
    }

    if (type !== undefined) {
      checkQuestionType(q, type, base, add);
      if (q.critical !== undefined && q.critical !== null && type === 'TEXT') {
        add(`${base}.critical`, 'a TEXT question cannot be critical (it is not scored)');
      }
    }

    // showIf
    if (isObj(q.showIf)) {
      const target = str(q.showIf.question);
      if (target !== undefined) {
        const j = questionIndex.get(target);
        const path = `${base}.showIf.question`;
        if (target === code) {
          add(path, 'a question cannot depend on itself');
        } else if (j === undefined) {
          add(path, `unknown question ${quote(target)}`);
        } else {
          showIfTarget.set(i, j);
          const tq = (doc.questions as Raw[])[j];
          const targetType = questionType(tq.type);
          if (j > i) add(path, `must name an earlier question: ${quote(target)} comes later (questions[${j}])`);
          if (targetType === 'TEXT') {
            add(path, `cannot depend on the TEXT question ${quote(target)}: it has no comparable answer`);
          } else if (targetType !== undefined && Array.isArray(q.showIf.anyOf)) {
            q.showIf.anyOf.forEach((value, k) => {
              const why = invalidAnswer(tq, targetType, value, target);
              if (why !== null) add(`${base}.showIf.anyOf[${k}]`, why);
            });
          }
        }
      }
    }
  }

  // showIf cycles (only possible in a document that already references later questions)
  const state = new Map<number, 'visiting' | 'done'>();
  for (const [, start] of questions) {
    if (state.has(start)) continue;
    const chain: number[] = [];
    let at: number | undefined = start;
    while (at !== undefined && !state.has(at)) {
      state.set(at, 'visiting');
      chain.push(at);
      at = showIfTarget.get(at);
    }
    if (at !== undefined && state.get(at) === 'visiting') {
      const cycle = chain.slice(chain.indexOf(at));
      const first = Math.min(...cycle);
      const rotated = [...cycle.slice(cycle.indexOf(first)), first];
      const codes = rotated.map((k) => str((doc.questions as Raw[])[k].code) ?? `questions[${k}]`);
      const shown = codes.length > 11 ? [...codes.slice(0, 10), '…', codes[codes.length - 1]] : codes;
      add(`questions[${first}].showIf.question`, `showIf cycle: ${shown.join(' → ')}`);
    }
    for (const k of chain) state.set(k, 'done');
  }

  // -- recommendations
  const templates = items(doc.recommendations);
  indexCodes(templates, 'recommendations', 'recommendation', add);
  for (const [r, i] of templates) {
    const base = `recommendations[${i}]`;
    const dim = str(r.dimension);
    if (hasDimensions && dim !== undefined && !dimensionIndex.has(dim)) {
      add(`${base}.dimension`, `unknown dimension ${quote(dim)}`);
    }
    const qc = str(r.question);
    if (qc === undefined) continue;
    const tq = questionAt(qc);
    if (tq === undefined) {
      if (hasQuestions) add(`${base}.question`, `unknown question ${quote(qc)}`);
    } else if (dim !== undefined && dimensionIndex.has(dim)) {
      const links = items(tq.links).map(([l]) => l.dimension);
      if (!links.includes(dim))
        add(`${base}.question`, `question ${quote(qc)} does not link to dimension ${quote(dim)}`);
    }
  }

  return problems;
}

function checkQuestionType(
  q: Raw,
  type: QuestionType,
  base: string,
  add: (path: string, message: string) => void,
): void {
  const isChoice = CHOICE_TYPES.includes(type);
  const present = (v: unknown): boolean => v !== undefined && v !== null;

  // scale: LIKERT only
  if (present(q.scale) && type !== 'LIKERT') add(`${base}.scale`, 'is only allowed on LIKERT questions');
  if (type === 'LIKERT' && isObj(q.scale) && isInt(q.scale.min) && isInt(q.scale.max) && q.scale.min >= q.scale.max) {
    add(`${base}.scale.max`, `must be greater than scale.min (${q.scale.min})`);
  }

  // options: choice types only, at least 2, unique codes, exclusive on MULTI_CHOICE only
  if (present(q.options) && !isChoice)
    add(`${base}.options`, 'are only allowed on SINGLE_CHOICE and MULTI_CHOICE questions');
  if (isChoice) {
    if (!present(q.options) || (Array.isArray(q.options) && q.options.length < 2)) {
      add(`${base}.options`, `a ${type} question needs at least 2 options`);
    }
    const options = items(q.options);
    indexCodes(options, `${base}.options`, 'option', add);
    if (type !== 'MULTI_CHOICE') {
      for (const [o, j] of options) {
        if (o.exclusive === true) add(`${base}.options[${j}].exclusive`, 'is only allowed on MULTI_CHOICE options');
      }
    }
  }

  // numeric: NUMERIC only, required there
  if (present(q.numeric) && type !== 'NUMERIC') add(`${base}.numeric`, 'is only allowed on NUMERIC questions');
  if (type === 'NUMERIC') {
    if (!present(q.numeric)) {
      add(`${base}.numeric`, 'is required for a NUMERIC question (min, max and bands)');
    } else if (isObj(q.numeric)) {
      const { min, max } = q.numeric;
      if (isNum(min) && isNum(max) && min >= max)
        add(`${base}.numeric.max`, `must be greater than numeric.min (${min})`);
      const bands = Array.isArray(q.numeric.bands) ? (q.numeric.bands as unknown[]) : [];
      let previous: number | undefined;
      bands.forEach((band, j) => {
        if (!isObj(band)) return;
        const path = `${base}.numeric.bands[${j}].upTo`;
        const last = j === bands.length - 1;
        if (band.upTo === null) {
          if (!last) add(path, 'only the last band may have upTo null (+∞)');
          return;
        }
        if (!isNum(band.upTo)) return;
        if (previous !== undefined && band.upTo <= previous) {
          add(path, `must be greater than the previous band's upTo (${previous}): bands are strictly ascending`);
        }
        previous = band.upTo;
        if (last && isNum(max) && band.upTo < max) {
          add(path, `the last band must have upTo null or at least max (${max}), so that every valid value has a band`);
        }
      });
    }
  }

  // reverse: LIKERT and BOOLEAN only
  if (q.reverse === true && type !== 'LIKERT' && type !== 'BOOLEAN') {
    add(`${base}.reverse`, 'is only allowed on LIKERT and BOOLEAN questions');
  }
}

/** Why `value` is not a valid answer of question `tq` (for showIf.anyOf), or null when it is. */
function invalidAnswer(tq: Raw, type: QuestionType, value: unknown, code: string): string | null {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return null; // DTO reports it
  const name = quote(code);
  switch (type) {
    case 'LIKERT': {
      const scale = isObj(tq.scale) && isInt(tq.scale.min) && isInt(tq.scale.max) ? tq.scale : { min: 1, max: 5 };
      const min = scale.min as number;
      const max = scale.max as number;
      if (isInt(value) && value >= min && value <= max) return null;
      return `${show(value)} is not an answer of the LIKERT question ${name} (an integer ${min}..${max})`;
    }
    case 'BOOLEAN':
      return typeof value === 'boolean'
        ? null
        : `${show(value)} is not an answer of the BOOLEAN question ${name} (true or false)`;
    case 'SINGLE_CHOICE':
    case 'MULTI_CHOICE': {
      if (typeof value !== 'string') {
        return `${show(value)} is not an answer of the ${type} question ${name} (an option code)`;
      }
      if (!Array.isArray(tq.options)) return null; // the options themselves are reported
      const codes = items(tq.options).map(([o]) => o.code);
      return codes.includes(value) ? null : `unknown option ${quote(value)} of question ${name}`;
    }
    case 'NUMERIC': {
      if (!isNum(value)) return `${show(value)} is not an answer of the NUMERIC question ${name} (a number)`;
      const n = isObj(tq.numeric) ? tq.numeric : {};
      if ((isNum(n.min) && value < n.min) || (isNum(n.max) && value > n.max)) {
        return `${value} is not an answer of the NUMERIC question ${name} (a number ${show(n.min)}..${show(n.max)})`;
      }
      return null;
    }
    case 'TEXT':
      return null; // reported as "cannot depend on the TEXT question"
  }
}

/** The limits of framework-document.dto.ts, re-exported for API documentation. */
export { FRAMEWORK_LIMITS };
