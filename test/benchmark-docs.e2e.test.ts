import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scoreAssessment } from '../src/scoring';
import { generateRespondents, prng } from '../src/modules/benchmark/benchmark-demo-data';
import { storeResult } from '../src/modules/assessment/result-store';
import { toFrameworkDef } from '../src/modules/framework/framework-convert';
import type { FrameworkDocument } from '../src/modules/framework/framework-document';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

/** The curl examples of the "Benchmarks" section of docs/api.md, in order. */
function examples(): Array<{ capture: { variable: string; script: string } | null; body: string; expands: boolean; first: string }> {
  const markdown = fs.readFileSync(path.join(__dirname, '..', 'docs', 'api.md'), 'utf8');
  const start = markdown.indexOf('\n## Benchmarks\n');
  if (start < 0) throw new Error('docs/api.md has no "## Benchmarks" section');
  const end = markdown.indexOf('\n## ', start + 4);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  const out: ReturnType<typeof examples> = [];
  for (const block of section.match(/```sh\n[\s\S]*?```/g) ?? []) {
    const lines = block.split('\n').slice(1, -1);
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].includes('curl')) continue;
      const head = /^(?:(\w+)=\$\()?curl -s http:\/\/localhost:4000\/graphql \\$/.exec(lines[i]);
      if (!head) throw new Error(`an example this test cannot read: ${lines[i]}`);
      const options = lines[++i];
      const heredoc = /-H 'content-type: application\/json' -H "authorization: Bearer \$KEY" -d @- <<('EOF'|EOF)( \\)?$/.exec(options);
      if (!heredoc) throw new Error(`unexpected curl options: ${options}`);
      let script = '';
      if (heredoc[2]) script = lines[++i];
      const bodyLines: string[] = [];
      while (lines[++i] !== 'EOF') bodyLines.push(lines[i]);
      if (head[1]) expect(lines[++i]).toBe(')');
      out.push({
        capture: head[1] ? { variable: head[1], script } : null,
        body: bodyLines.join('\n'),
        expands: heredoc[1] === 'EOF',
        first: lines.find((l) => l.includes('curl')) ?? '',
      });
    }
  }
  return out;
}

/** What bash makes of an unquoted heredoc: `\$` is `$`, `$VAR` is the variable's value. */
function expand(body: string, vars: Record<string, string>): string {
  return body.replace(/\\\$|\$(\w+)/g, (match, name) => (name ? (vars[name] ?? '') : '$'));
}

describe('docs/api.md, Benchmarks: every curl example runs', () => {
  let app: TestApp;
  let firm: TestFirm;

  beforeAll(async () => {
    app = await startTestApp();
    const ds = app.running.database.dataSource;
    firm = await createTestFirm(ds, 'Docs firm');
    const [version] = await ds.query(
      `SELECT id, key, major, owner_firm_id, document FROM framework_version WHERE owner_firm_id IS NULL AND key = 'service-strategy' ORDER BY published_at DESC LIMIT 1`,
    );
    expect(version).toBeDefined();
    const def = toFrameworkDef(version.document as FrameworkDocument);
    const rnd = prng(3);
    for (let i = 0; i < 12; i++) {
      const organisationId = randomUUID();
      const segment = { industry: 'G', sizeBand: i % 2 ? '250-999' : '10-49', country: 'DE' };
      await ds.query(`INSERT INTO organisation (firm_id, id, name, industry, size_band, country, version) VALUES ($1, $2, $3, $4, $5, $6, 1)`, [
        firm.firmId,
        organisationId,
        `Docs client ${i}`,
        segment.industry,
        segment.sizeBand,
        segment.country,
      ]);
      const assessmentId = randomUUID();
      const closedAt = new Date(Date.UTC(2026, 2, 1 + i));
      const result = scoreAssessment({ framework: def, respondents: generateRespondents(def, rnd(), 3, rnd), roleWeights: {} });
      await ds.transaction(async (m) => {
        await m.query(
          `INSERT INTO assessment (firm_id, id, organisation_id, framework_version_id, title, status, role_weights, opened_at, closed_at, version)
           VALUES ($1, $2, $3, $4, 'Docs', 'CLOSED', '{}'::jsonb, $5, $5, 1)`,
          [firm.firmId, assessmentId, organisationId, version.id, closedAt],
        );
        await storeResult(m, { firmId: firm.firmId, id: assessmentId, organisationId }, { ...segment, excludedFromBenchmarks: false }, { ownerFirmId: null, key: version.key, major: version.major }, result, closedAt);
      });
    }
  }, 120000);
  afterAll(async () => {
    await app?.stop();
  });

  it('runs the examples in order, each answering without errors', async () => {
    const list = examples();
    expect(list.length).toBeGreaterThanOrEqual(6);
    const vars: Record<string, string> = { KEY: firm.keys.ADMIN };
    const answers: any[] = [];
    for (const example of list) {
      const body = JSON.parse(example.expands ? expand(example.body, vars) : example.body);
      const res = await app.gql(body.query, body.variables, firm.auth.ADMIN);
      expect({ example: example.first, errors: res.errors }).toEqual({ example: example.first, errors: undefined });
      answers.push(res.data);
      if (example.capture) {
        // The examples read the value with `node -pe 'JSON.parse(…).data.<path>'`.
        const pathMatch = /\.data\.([\w.[\]]+)'$/.exec(example.capture.script);
        expect(pathMatch).not.toBeNull();
        const value = pathMatch![1].split(/[.[\]]+/).filter(Boolean).reduce((v: any, key) => v?.[key], res.data);
        expect(typeof value).toBe('string');
        vars[example.capture.variable] = value;
      }
    }
    const benchmarks = answers.flatMap((d) => Object.values(d ?? {})).filter((v: any) => v && 'overall' in v) as any[];
    expect(benchmarks.length).toBeGreaterThanOrEqual(4);
    // The narrow example (G, 1000+, LV) shows nothing but its size.
    expect(benchmarks.some((b) => b.overall.withheld === true && b.overall.mean === null && b.overall.n < 5)).toBe(true);
    expect(benchmarks.some((b) => b.overall.withheld === false && b.overall.n >= 5)).toBe(true);
  });

  it('shows the real FORBIDDEN answer for a firm that does not share', async () => {
    const markdown = fs.readFileSync(path.join(__dirname, '..', 'docs', 'api.md'), 'utf8');
    const shown = /Without opting in, the shared pool answers:\n\n```json\n(.*)\n```/.exec(markdown);
    expect(shown).not.toBeNull();
    const other = await createTestFirm(app.running.database.dataSource, 'Docs firm, not sharing');
    const res = await app.gql('{ cohortBenchmark(frameworkKey: "service-strategy", frameworkMajor: 1, cohort: {scope: SHARED_POOL}) { overall { n } } }', {}, other.auth.VIEWER);
    const documented = JSON.parse(shown![1]);
    expect(res.errors?.[0].message).toBe(documented.errors[0].message);
    expect(res.errors?.[0].extensions?.code).toBe(documented.errors[0].extensions.code);
  });
});
