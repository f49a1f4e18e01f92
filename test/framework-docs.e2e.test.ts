import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestApp, type GraphQLResponse, type TestApp } from './helpers/test-app';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import { validateFrameworkDocument } from '../src/modules/framework/framework-validation';

/** One curl example of the "## Frameworks" section of docs/api.md. */
interface Example {
  /** The start of its body, for messages. */
  first: string;
  capture: { variable: string; path: Array<string | number> } | null;
  body: string;
  expands: boolean;
  expectedCode: string | null;
}

function frameworksSection(): string {
  const markdown = fs.readFileSync(path.join(__dirname, '..', 'docs', 'api.md'), 'utf8');
  const start = markdown.indexOf('\n## Frameworks\n');
  if (start < 0) throw new Error('docs/api.md has no "## Frameworks" section');
  const end = markdown.indexOf('\n## ', start + 5);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** The examples, in order; a curl line of any other form fails the test. */
function examples(section: string): Example[] {
  const out: Example[] = [];
  for (const block of section.match(/```sh\n[\s\S]*?```/g) ?? []) {
    const lines = block.split('\n').slice(1, -1);
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].includes('curl')) continue;
      const start = /^(?:(\w+)=\$\()?curl -s http:\/\/localhost:4000\/graphql \\$/.exec(lines[i]);
      if (!start) throw new Error(`an example this test cannot read: ${lines[i]}`);
      let head = lines[i];
      while (head.endsWith('\\')) head += `\n${lines[++i]}`;
      const heredoc = /-d @- <<('?)EOF\1/.exec(head);
      if (!heredoc || !head.includes(`-H 'content-type: application/json' -H "authorization: Bearer $KEY"`)) {
        throw new Error(`an example this test cannot read: ${head}`);
      }
      const pipe = /\| node -pe 'JSON\.parse\(fs\.readFileSync\(0\)\)\.([\w.[\]]+)'$/.exec(head);
      if (Boolean(start[1]) !== Boolean(pipe)) throw new Error(`a captured example must end with the node -pe reader: ${head}`);
      const body: string[] = [];
      while (lines[++i] !== 'EOF') body.push(lines[i]);
      if (start[1] && lines[++i] !== ')') throw new Error(`expected ")" after the heredoc of ${head}`);
      const expected = /^# → ([A-Z_]+)\b/.exec(lines[i + 1] ?? '');
      out.push({
        first: body[0].slice(0, 120),
        capture: start[1]
          ? { variable: start[1], path: pipe![1].split(/\.|\[(\d+)\]/).filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k)) }
          : null,
        body: body.join('\n'),
        expands: heredoc[1] === '',
        expectedCode: expected?.[1] ?? null,
      });
    }
  }
  return out;
}

/** What bash makes of an unquoted heredoc: `$VAR` expanded, `\$` `\\` `` \` `` unescaped. */
function expand(body: string, vars: Record<string, string>): string {
  return body.replace(/\\([$\\`])|\$\{?(\w+)\}?/g, (_m, escaped: string | undefined, name: string | undefined) => {
    if (escaped) return escaped;
    if (!(name! in vars)) throw new Error(`the example uses $${name} before an example sets it`);
    return vars[name!];
  });
}

describe('docs/api.md Frameworks examples', () => {
  let app: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    app = await startTestApp();
    firm = await createTestFirm(app.running.database.dataSource, 'Docs Firm');
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('run as written, answering as the guide says', async () => {
    const section = frameworksSection();
    const list = examples(section);
    expect(list.length).toBe((section.match(/^(?:\w+=\$\()?curl /gm) ?? []).length);
    expect(list.length).toBeGreaterThanOrEqual(8);

    const vars: Record<string, string> = { KEY: firm.keys.CONSULTANT };
    const answers: GraphQLResponse[] = [];
    for (const example of list) {
      const body = JSON.parse(example.expands ? expand(example.body, vars) : example.body) as { query: string; variables?: Record<string, unknown> };
      const res = await app.gql(body.query, body.variables, { authorization: `Bearer ${vars.KEY}` });
      answers.push(res);
      if (example.expectedCode) {
        expect({ example: example.first, code: res.errors?.[0]?.extensions?.code }).toEqual({ example: example.first, code: example.expectedCode });
      } else {
        expect({ example: example.first, errors: res.errors }).toEqual({ example: example.first, errors: undefined });
      }
      if (example.capture) {
        const value = example.capture.path.reduce<any>((v, k) => v?.[k], res);
        expect(typeof value).toBe('string');
        vars[example.capture.variable] = value;
      }
    }

    // What the examples say they do, they did.
    const data = (field: string) => answers.find((r) => r.data?.[field] !== undefined)?.data?.[field];
    expect(data('framework')).toMatchObject({ key: 'service-strategy', name: expect.stringMatching(/[а-я]/) });
    expect(data('framework').questions.length).toBeGreaterThan(10);
    const imported = data('importFramework');
    expect(imported).toMatchObject({ id: vars.OWN_ID, status: 'DRAFT', questionCount: 2 });
    expect(data('publishFramework')).toMatchObject({ id: vars.OWN_ID, status: 'PUBLISHED' });
    expect(data('retireFramework')).toMatchObject({ id: vars.OWN_ID, status: 'RETIRED', retiredAt: expect.any(String) });
    // The embedded document is valid and is what the export gave back.
    const exported = data('exportFramework');
    expect(validateFrameworkDocument(exported).ok).toBe(true);
    expect(exported.key).toBe(imported.key);
    const invalid = answers.find((r) => r.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT')!;
    expect(invalid.errors![0].extensions!.problems.map((p: any) => p.path)).toEqual(
      expect.arrayContaining(['document.key', 'document.version', 'document.name', 'document.groups']),
    );
  });
});
