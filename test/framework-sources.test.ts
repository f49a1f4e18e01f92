/**
 * Every `source` of the default framework resolves to a source text summarised in
 * docs/framework.md ("## Source texts"), and, where it cites a numbered point ("2.2.1") or
 * an element ("элемент 4"), to an idea listed under that text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameworkDocument } from '../src/modules/framework/framework-document';

const ROOT = path.join(__dirname, '..');
const FRAMEWORK = path.join(ROOT, 'seeds', 'frameworks', 'service-strategy-v1.json');
const GUIDE = path.join(ROOT, 'docs', 'framework.md');

/** The source texts of docs/framework.md: id → the keys of its listed ideas. */
export function sourceEntries(markdown: string): Map<string, Set<string>> {
  const start = markdown.indexOf('\n## Source texts\n');
  if (start < 0) throw new Error('docs/framework.md has no "## Source texts" section');
  const end = markdown.indexOf('\n## ', start + 4);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  const entries = new Map<string, Set<string>>();
  let current: Set<string> | null = null;
  for (const line of section.split('\n')) {
    const heading = /^### `([0-9]{3}_[0-9a-f]{16})` — \S/.exec(line);
    if (heading) {
      current = new Set();
      entries.set(heading[1], current);
      continue;
    }
    const idea = /^- \*\*([^*]+)\*\*/.exec(line);
    if (idea && current) current.add(idea[1]);
  }
  return entries;
}

/** What is wrong with one `source` (null when it resolves). */
export function sourceProblem(source: string, entries: Map<string, Set<string>>): string | null {
  const form = /^([0-9]{3}_[0-9a-f]{16}): (.+) \/ (.+)$/.exec(source);
  if (!form) return 'is not of the form "<source text id>: <idea in Russian> / <idea in English>"';
  const [, id, ru, en] = form;
  const ideas = entries.get(id);
  if (!ideas) return `cites "${id}", which is not a source text of docs/framework.md`;
  if (!/[а-яё]/i.test(ru)) return 'has no Russian idea before " / "';
  if (!/[a-z]/i.test(en) || /[а-яё]/i.test(en)) return 'has no English idea after " / "';
  const cited = [
    ...(ru.match(/\b\d+\.\d+(?:\.\d+)?\b/g) ?? []),
    ...[...ru.matchAll(/элемент (\d+)/g)].map((m) => `element ${m[1]}`),
  ];
  const unknown = cited.filter((c) => !ideas.has(c));
  if (unknown.length) return `cites ${unknown.join(', ')}, not an idea listed under ${id} in docs/framework.md`;
  return null;
}

describe('the sources of the default framework', () => {
  const entries = sourceEntries(fs.readFileSync(GUIDE, 'utf8'));
  const doc = JSON.parse(fs.readFileSync(FRAMEWORK, 'utf8')) as FrameworkDocument;

  it('docs/framework.md summarises the five source texts, each with its ideas', () => {
    expect([...entries.keys()]).toEqual([
      '000_0b24ebbcd364c1a2',
      '001_a1483792b736b7b9',
      '002_decd0d01d36b976b',
      '003_1a2bb4c73bb626b0',
      '004_96ba01996f21f55a',
    ]);
    for (const [id, ideas] of entries) expect({ id, ideas: ideas.size >= 4 }).toEqual({ id, ideas: true });
  });

  it('every dimension, question and recommendation cites an entry (and a listed idea where it cites a number)', () => {
    const items = [
      ...doc.dimensions.map((d) => ({ where: `dimensions ${d.code}`, source: d.source })),
      ...doc.questions.map((q) => ({ where: `questions ${q.code}`, source: q.source })),
      ...doc.recommendations.map((r) => ({ where: `recommendations ${r.code}`, source: r.source })),
    ];
    expect(items.length).toBeGreaterThan(100);
    const problems = items
      .map((i) => ({ ...i, problem: sourceProblem(i.source, entries) }))
      .filter((i) => i.problem !== null);
    expect(problems).toEqual([]);
    // The numbered citations are really checked: a good share of the sources cite one.
    expect(items.filter((i) => /\b\d+\.\d+\b|элемент \d/.test(i.source)).length).toBeGreaterThan(40);
  });

  it('fails on a source that does not resolve', () => {
    expect(sourceProblem('005_0000000000000000: новая идея / a new idea', entries)).toMatch(/not a source text/);
    expect(
      sourceProblem('001_a1483792b736b7b9: 2.2.5 правила необходимы: погода / rules: the weather', entries),
    ).toMatch(/cites 2\.2\.5/);
    expect(sourceProblem('003_1a2bb4c73bb626b0: элемент 7 — что-то / element 7: something', entries)).toMatch(
      /cites element 7/,
    );
    expect(sourceProblem('003_1a2bb4c73bb626b0: element 1 only in English', entries)).toMatch(/not of the form/);
    expect(sourceProblem('003_1a2bb4c73bb626b0: a strategic approach / element 1', entries)).toMatch(/no Russian idea/);
    expect(
      sourceProblem(
        '003_1a2bb4c73bb626b0: элемент 1 — стратегический подход / element 1: a strategic approach',
        entries,
      ),
    ).toBeNull();
  });
});
