import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestApp, type GraphQLResponse, type TestApp } from './helpers/test-app';

/** The sections of docs/api.md whose curl examples this test runs, in order. */
const SECTIONS = ['Quick start', 'Firms and API keys', 'Organisations'];

/** One `curl … <<EOF` example of the guide. */
interface DocCommand {
  /** Where it is, for messages: section and the first line. */
  where: string;
  /** `VAR` of `VAR=$(curl …)`, with the JSON path the example's `node -pe` reads. */
  capture: { variable: string; path: string[] } | null;
  /** `VAR` of `-H "authorization: Bearer $VAR"`; null without a key. */
  keyVariable: string | null;
  /** The heredoc body, and whether the shell expands variables in it (`<<EOF`, not `<<'EOF'`). */
  body: string;
  expands: boolean;
  /** The error code of a `# → CODE` line right after the example; null when it must succeed. */
  expectedCode: string | null;
}

function sectionText(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`docs/api.md has no section "## ${title}"`);
  const end = markdown.indexOf('\n## ', start + 4);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/**
 * Reads the examples of a section. Every line that mentions curl must be part of an example
 * of the one form the guide uses, so an example this parser does not understand fails the test.
 */
function parseSection(title: string, text: string): { commands: DocCommand[]; keyFromDemoFile: string[] } {
  const commands: DocCommand[] = [];
  const keyFromDemoFile: string[] = [];
  for (const block of text.match(/```sh\n[\s\S]*?```/g) ?? []) {
    const lines = block.split('\n').slice(1, -1);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const demo = /^(\w+)=\$\(cat \.data\/demo-key\.txt\)$/.exec(line);
      if (demo) {
        keyFromDemoFile.push(demo[1]);
        continue;
      }
      if (!line.includes('curl')) continue;
      const start = /^(?:(\w+)=\$\()?curl -s http:\/\/localhost:4000\/graphql \\$/.exec(line);
      if (!start) throw new Error(`${title}: an example the test cannot read: ${line}`);
      let head = line;
      while (head.endsWith('\\')) head += `\n${lines[++i]}`;
      const heredoc = /<<('?)EOF\1/.exec(head);
      if (!heredoc || !head.includes("-H 'content-type: application/json'")) throw new Error(`${title}: an example the test cannot read: ${head}`);
      const key = /-H "authorization: Bearer \$(\w+)"/.exec(head);
      const pipe = /\| node -pe 'JSON\.parse\(fs\.readFileSync\(0\)\)\.([\w.]+)'$/.exec(head);
      if (Boolean(start[1]) !== Boolean(pipe)) throw new Error(`${title}: a captured example must end with the node -pe reader: ${head}`);
      const body: string[] = [];
      while (lines[++i] !== 'EOF') {
        if (i >= lines.length) throw new Error(`${title}: unterminated heredoc in ${head}`);
        body.push(lines[i]);
      }
      if (start[1] && lines[++i] !== ')') throw new Error(`${title}: expected ")" after the heredoc of ${head}`);
      const expected = /^# → ([A-Z_]+)\b/.exec(lines[i + 1] ?? '');
      commands.push({
        where: `${title}: ${line}`,
        capture: start[1] ? { variable: start[1], path: pipe![1].split('.') } : null,
        keyVariable: key?.[1] ?? null,
        body: body.join('\n'),
        expands: heredoc[1] === '',
        expectedCode: expected?.[1] ?? null,
      });
    }
  }
  return { commands, keyFromDemoFile };
}

/** What bash makes of an unquoted heredoc: `$VAR` expanded, `\$` `\\` `` \` `` unescaped. */
function expand(body: string, vars: Record<string, string>, where: string): string {
  return body.replace(/\\([$\\`])|\$\{?(\w+)\}?/g, (_m, escaped: string | undefined, name: string | undefined) => {
    if (escaped) return escaped;
    if (!(name! in vars)) throw new Error(`${where}: uses $${name} before an example sets it`);
    return vars[name!];
  });
}

describe('docs/api.md examples', () => {
  let app: TestApp;
  const markdown = fs.readFileSync(path.join(__dirname, '..', 'docs', 'api.md'), 'utf8');

  beforeAll(async () => {
    // The demo firm's banner goes to stdout; keep the test output clean.
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      app = await startTestApp({ config: { demoFirm: true } });
    } finally {
      spy.mockRestore();
    }
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('starts with runnable curl examples', () => {
    const firstSection = markdown.indexOf('\n## ');
    expect(markdown.slice(firstSection + 4).startsWith('Quick start')).toBe(true);
    expect(sectionText(markdown, 'Quick start')).toContain("curl -s http://localhost:4000/graphql \\\n  -H 'content-type: application/json'");
  });

  it('run as written against the server, answering as the guide says', async () => {
    const vars: Record<string, string> = {};
    const demoKey = fs.readFileSync(path.join(app.db.dataDir, 'demo-key.txt'), 'utf8').trim();
    const results: Array<{ where: string; res: GraphQLResponse }> = [];
    let total = 0;

    for (const title of SECTIONS) {
      const text = sectionText(markdown, title);
      const { commands, keyFromDemoFile } = parseSection(title, text);
      for (const variable of keyFromDemoFile) vars[variable] = demoKey;
      // Every curl line of the section is an example that runs here.
      expect(commands.length).toBe((text.match(/^(?:\w+=\$\()?curl /gm) ?? []).length);
      total += commands.length;

      for (const command of commands) {
        const body = JSON.parse(command.expands ? expand(command.body, vars, command.where) : command.body) as { query: string; variables?: Record<string, unknown> };
        const headers: Record<string, string> = {};
        if (command.keyVariable) {
          if (!(command.keyVariable in vars)) throw new Error(`${command.where}: uses $${command.keyVariable} before it is set`);
          headers.authorization = `Bearer ${vars[command.keyVariable]}`;
        }
        const res = await app.gql(body.query, body.variables, headers);
        results.push({ where: command.where, res });
        if (command.expectedCode) {
          expect({ where: command.where, code: res.errors?.[0]?.extensions?.code }).toEqual({ where: command.where, code: command.expectedCode });
        } else {
          expect({ where: command.where, errors: res.errors }).toEqual({ where: command.where, errors: undefined });
        }
        if (command.capture) {
          const value = command.capture.path.reduce<any>((v, k) => v?.[k], res);
          expect(typeof value).toBe('string');
          vars[command.capture.variable] = value;
        }
      }
    }
    expect(total).toBeGreaterThanOrEqual(15);

    // What the examples say they do, they did.
    const data = (name: string) => results.find((r) => r.res.data?.[name] !== undefined)?.res.data?.[name];
    expect(data('me')).toMatchObject({ firm: { name: 'Demo Consulting' }, role: 'ADMIN' });
    const list = results.find((r) => r.where.includes('AFTER=$('))!.res.data.organisations;
    expect(list).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    expect(list.edges[0].node.industry.name).toBe('Обрабатывающие производства');
    expect(data('updateOrganisation')).toMatchObject({ name: 'Contoso Retail Group', version: 2 });
    expect(data('unarchiveOrganisation')).toMatchObject({ archivedAt: null, version: 4 });
    expect(data('updateFirmSettings')).toMatchObject({ name: 'Demo Consulting Group', sharesBenchmarks: true });
    const keys = await app.gql('{ apiKeys { id revokedAt } }', {}, { authorization: `Bearer ${demoKey}` });
    expect(keys.data.apiKeys.find((k: any) => k.id === vars.NEW_KEY_ID).revokedAt).not.toBeNull();
  });
});
