import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createTestFirm, type TestFirm } from './helpers/fixtures';
import {
  answersFor,
  closeAssessmentDirectly,
  ensureSeedFramework,
  insertAssessment,
  insertOrganisation,
  rng,
  type StoredFramework,
} from './helpers/result-fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

const run = promisify(execFile);

/** One request of the docs: its GraphQL body, and whether the shell would expand variables in it. */
interface DocRequest {
  body: string;
  expands: boolean;
}

/** The `## Results` section of docs/api.md. */
function resultsSection(): string {
  const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'api.md'), 'utf8');
  const start = doc.indexOf('\n## Results\n');
  if (start < 0) throw new Error('docs/api.md has no "## Results" section');
  const end = doc.indexOf('\n## ', start + 5);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** The heredoc bodies of the `## Results` section of docs/api.md, in order. */
function resultsSectionRequests(): DocRequest[] {
  const lines = resultsSection().split('\n');
  const requests: DocRequest[] = [];
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /<<(')?EOF\b/.exec(lines[i]);
    if (!heredoc) continue;
    // The body starts after the command's last continued line.
    let j = i;
    while (lines[j].trimEnd().endsWith('\\')) j++;
    const body: string[] = [];
    for (j = j + 1; lines[j] !== 'EOF'; j++) body.push(lines[j]);
    requests.push({ body: body.join('\n'), expands: !heredoc[1] });
    i = j;
  }
  return requests;
}

describe('docs/api.md Results examples', () => {
  let app: TestApp;
  let firm: TestFirm;
  let seed: StoredFramework;
  const vars: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    const ds = app.running.database.dataSource;
    firm = await createTestFirm(ds, 'Docs Firm');
    seed = await ensureSeedFramework(ds);
    const organisationId = await insertOrganisation(ds, firm.firmId, { name: 'Contoso Retail' });
    const random = rng(7);
    const respondents = () => [
      { role: 'EXECUTIVE', answers: answersFor(seed.document, random, 0.8) },
      { role: 'MANAGER', answers: answersFor(seed.document, random, 0.3) },
      { role: 'FRONTLINE', answers: answersFor(seed.document, random, 0.4) },
    ];
    const first = await insertAssessment(ds, {
      firmId: firm.firmId,
      organisationId,
      framework: seed,
      status: 'OPEN',
      title: 'Baseline',
      createdAt: new Date('2026-01-01T00:00:00Z'),
      respondents: respondents(),
    });
    await closeAssessmentDirectly(ds, firm.firmId, first.id, new Date('2026-01-20T00:00:00Z'));
    const second = await insertAssessment(ds, {
      firmId: firm.firmId,
      organisationId,
      framework: seed,
      status: 'OPEN',
      title: 'Spring',
      createdAt: new Date('2026-02-01T00:00:00Z'),
      respondents: respondents(),
    });
    await closeAssessmentDirectly(ds, firm.firmId, second.id, new Date('2026-03-01T00:00:00Z'));
    await insertAssessment(ds, { firmId: firm.firmId, organisationId, framework: seed, status: 'OPEN', title: 'Autumn', respondents: respondents() });
    await insertAssessment(ds, { firmId: firm.firmId, organisationId, framework: seed, status: 'DRAFT', title: 'Next year' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('runs every request of the section in order, as the shell would', async () => {
    const requests = resultsSectionRequests();
    expect(requests.length).toBeGreaterThanOrEqual(7);
    const assignments = ['ASSESSMENT_ID', 'OPEN_ID', 'ORG_ID'];
    const seen: string[] = [];
    for (const request of requests) {
      const text = request.expands ? request.body.replace(/\$([A-Z_]+)/g, (_, name: string) => vars[name] ?? '') : request.body;
      const { query, variables } = JSON.parse(text);
      const res = await app.gql(query, variables, firm.auth.VIEWER);
      expect(res.errors).toBeUndefined();
      const data = res.data;

      if (data.assessments && query.includes('CLOSED')) {
        vars.ASSESSMENT_ID = data.assessments.edges[0].node.id;
      } else if (data.assessments && query.includes('OPEN')) {
        vars.OPEN_ID = data.assessments.edges[0].node.id;
      } else if (data.assessment?.organisationId) {
        vars.ORG_ID = data.assessment.organisationId;
      } else if (data.assessmentResult?.provisional === false) {
        const r = data.assessmentResult;
        expect(r.respondentCount).toBe(3);
        expect(r.overall.level.title).toEqual(expect.any(String));
        expect(r.dimensions).toHaveLength(seed.document.dimensions.length);
        expect(r.pyramid.layers).toHaveLength(7);
        expect(r.recommendations.length).toBeGreaterThan(0);
        expect(r.recommendations[0].actions.length).toBeGreaterThan(0);
        seen.push('closed result');
      } else if (data.assessmentResult?.provisional === true) {
        expect(data.assessmentResult.respondentCount).toBe(3);
        seen.push('live result');
      } else if (data.assessment?.result) {
        expect(data.assessment.status).toBe('CLOSED');
        const level = seed.document.levels.find((l) => l.title.ru === data.assessment.result.overall.level.title);
        expect(level).toBeDefined();
        seen.push('assessment.result in RU');
      } else if (data.organisationAssessmentHistory) {
        const h = data.organisationAssessmentHistory;
        expect(h.map((e: { title: string }) => e.title)).toEqual(['Baseline', 'Spring', 'Autumn', 'Next year']);
        expect(h[1].previousAssessmentId).toBe(h[0].assessmentId);
        expect(h[1].overallChangeRounded).toEqual(expect.any(Number));
        seen.push('history');
      } else if (data.organisations) {
        expect(data.organisations.edges[0].node.latestResult.levelCode).toEqual(expect.any(String));
        seen.push('latest results');
      }
    }
    for (const name of assignments) expect(vars[name]).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen).toEqual(['closed result', 'assessment.result in RU', 'live result', 'history', 'latest results']);
  });

  it('runs as written in bash, with curl and node, every answer without errors', async () => {
    const script = (resultsSection().match(/```sh\n[\s\S]*?```/g) ?? []).map((block) => block.slice('```sh\n'.length, -3)).join('\n');
    const curls = script.split('\n').filter((line) => /^(?:\w+=\$\()?curl /.test(line));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-result-docs-'));
    const keyFile = path.join(dir, 'key.txt');
    fs.writeFileSync(keyFile, firm.keys.VIEWER);
    const log = path.join(dir, 'responses.log');
    // Every response is also appended to the log, one per line.
    const prelude = `set -euo pipefail\nLOG='${log}'\ncurl() { command curl "$@" | tee -a "$LOG"; printf '\\n' >> "$LOG"; }\n`;
    const body = script.split('http://localhost:4000').join(app.url).split('.data/demo-key.txt').join(keyFile);
    await run('bash', ['-c', prelude + body], { timeout: 120_000, maxBuffer: 20 * 1024 * 1024 });
    const responses = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(responses).toHaveLength(curls.length);
    for (const r of responses) expect(r.errors).toBeUndefined();
    const closed = responses.find((r) => r.data?.assessmentResult?.provisional === false).data.assessmentResult;
    expect(closed.recommendations.length).toBeGreaterThan(0);
    expect(responses.find((r) => r.data?.assessmentResult?.provisional === true)).toBeDefined();
    expect(responses.find((r) => r.data?.organisationAssessmentHistory).data.organisationAssessmentHistory).toHaveLength(4);
  });

  it('answers CONFLICT for a draft, as the docs say', async () => {
    const list = await app.gql('{ assessments(first: 10, filter: {status: DRAFT}) { edges { node { id } } } }', {}, firm.auth.VIEWER);
    const id = list.data.assessments.edges[0].node.id;
    const res = await app.gql('query($id: ID!) { assessmentResult(assessmentId: $id) { provisional } }', { id }, firm.auth.VIEWER);
    expect(res.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(res.errors?.[0].message).toBe(`Assessment "${id}" is DRAFT: it has a result once it is opened.`);
  });
});
