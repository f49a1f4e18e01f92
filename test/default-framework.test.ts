import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateFrameworkDocument } from '../src/modules/framework/framework-validation';
import type { FrameworkDocument } from '../src/modules/framework/framework-document';

const FILE = path.join(__dirname, '..', 'seeds', 'frameworks', 'service-strategy-v1.json');
const raw: unknown = JSON.parse(fs.readFileSync(FILE, 'utf8'));
const doc = raw as FrameworkDocument;
const SEED_FILES = [
  '000_0b24ebbcd364c1a2',
  '001_a1483792b736b7b9',
  '002_decd0d01d36b976b',
  '003_1a2bb4c73bb626b0',
  '004_96ba01996f21f55a',
];

/** Every `{ru, en}` object in the document, with its JSON path. */
function localizedTexts(value: unknown, at = ''): Array<{ path: string; ru: unknown; en: unknown }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => localizedTexts(v, `${at}[${i}]`));
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if ('ru' in obj || 'en' in obj) return [{ path: at, ru: obj.ru, en: obj.en }];
    return Object.entries(obj).flatMap(([k, v]) => localizedTexts(v, at ? `${at}.${k}` : k));
  }
  return [];
}

describe('the default framework (seeds/frameworks/service-strategy-v1.json)', () => {
  it('passes validation', () => {
    const result = validateFrameworkDocument(raw);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('is service-strategy 1.0.0 with the six elements, the seven pyramid layers and the five stages', () => {
    expect([doc.key, doc.version]).toEqual(['service-strategy', '1.0.0']);
    const elements = doc.dimensions.filter((d) => d.group === 'ELEMENTS');
    const layers = doc.dimensions.filter((d) => d.group === 'PYRAMID').sort((a, b) => a.layer! - b.layer!);
    expect(elements).toHaveLength(6);
    expect(layers.map((l) => l.layer)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(doc.groups.find((g) => g.code === 'ELEMENTS')).toMatchObject({ kind: 'WEIGHTED', primary: true });
    expect(doc.groups.find((g) => g.code === 'PYRAMID')).toMatchObject({ kind: 'LAYERED' });
    expect(doc.levels.map((l) => [l.level, l.code, l.lowerBound])).toEqual([
      [1, 'UNCERTAINTY', 0],
      [2, 'ALIGNMENT', 20],
      [3, 'EXPERIENCE', 40],
      [4, 'OWNERSHIP', 60],
      [5, 'AMAZEMENT', 80],
    ]);
  });

  it('meets the minimum counts: 6 scored questions per element, 4 per layer, 50 in all, every type, 3 TEXT', () => {
    const scored = doc.questions.filter((q) => q.type !== 'TEXT');
    for (const d of doc.dimensions) {
      const count = scored.filter((q) => q.links.some((l) => l.dimension === d.code)).length;
      expect({ dimension: d.code, enough: count >= (d.group === 'ELEMENTS' ? 6 : 4) }).toEqual({
        dimension: d.code,
        enough: true,
      });
    }
    expect(doc.questions.length).toBeGreaterThanOrEqual(50);
    expect(new Set(doc.questions.map((q) => q.type))).toEqual(
      new Set(['LIKERT', 'BOOLEAN', 'SINGLE_CHOICE', 'MULTI_CHOICE', 'NUMERIC', 'TEXT']),
    );
    expect(doc.questions.filter((q) => q.type === 'TEXT').length).toBeGreaterThanOrEqual(3);
    expect(doc.questions.filter((q) => q.critical).length).toBeGreaterThan(0);
    expect(doc.questions.filter((q) => q.reverse).length).toBeGreaterThan(0);
    expect(doc.questions.filter((q) => q.showIf).length).toBeGreaterThan(0);
  });

  it('has the seed-based NUMERIC questions: candidates per hire and months between training programmes', () => {
    const numeric = doc.questions.filter((q) => q.type === 'NUMERIC');
    expect(numeric.some((q) => /candidates/i.test(q.text.en))).toBe(true);
    expect(numeric.some((q) => /months/i.test(q.text.en) && /training/i.test(q.text.en))).toBe(true);
  });

  it('has at least 35 recommendation templates covering every dimension, with impact, effort, horizon and first actions', () => {
    expect(doc.recommendations.length).toBeGreaterThanOrEqual(35);
    const codes = new Set(doc.dimensions.map((d) => d.code));
    for (const r of doc.recommendations) {
      expect(codes.has(r.dimension)).toBe(true);
      expect(r.actions.length).toBeGreaterThan(0);
    }
    for (const d of codes)
      expect({ d, covered: doc.recommendations.some((r) => r.dimension === d) }).toEqual({ d, covered: true });
    expect(new Set(doc.recommendations.map((r) => r.horizon))).toEqual(new Set(['QUICK_WIN', 'DAYS_90', 'YEAR_1']));
  });

  it('has every text in both languages, written separately (not copied)', () => {
    const texts = localizedTexts(doc);
    expect(texts.length).toBeGreaterThan(500);
    const problems = texts.filter(
      (t) =>
        typeof t.ru !== 'string' ||
        typeof t.en !== 'string' ||
        !t.ru.trim() ||
        !t.en.trim() ||
        t.ru === t.en ||
        !/[а-яё]/i.test(t.ru),
    );
    expect(problems.map((p) => p.path)).toEqual([]);
  });

  it('cites a seed file in the source of every dimension, question and template', () => {
    const items = [...doc.dimensions, ...doc.questions, ...doc.recommendations];
    const missing = items.filter((i) => !SEED_FILES.some((f) => i.source.includes(f))).map((i) => i.code);
    expect(missing).toEqual([]);
  });
});
