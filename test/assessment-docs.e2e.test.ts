/**
 * Runs the examples of the "Assessments and answering" section of docs/api.md as written:
 * the section's shell blocks in bash, with real curl and node, against a test server.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from './helpers/test-app';

const run = promisify(execFile);
const SECTION = 'Assessments and answering';

function sectionText(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`docs/api.md has no section "## ${title}"`);
  const end = markdown.indexOf('\n## ', start + 4);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** The curl commands of the script in order, each with the error code its `# → CODE` line expects. */
function curlCommands(script: string): Array<{ line: string; expectedCode: string | null }> {
  const lines = script.split('\n');
  const out: Array<{ line: string; expectedCode: string | null }> = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^(?:\w+=\$\()?curl /.test(lines[i])) continue;
    let j = i;
    while (lines[j] !== 'EOF') j++;
    if (lines[j + 1] === ')') j++;
    const expected = /^# → ([A-Z_]+)\b/.exec(lines[j + 1] ?? '');
    out.push({ line: lines[i], expectedCode: expected?.[1] ?? null });
    i = j;
  }
  return out;
}

describe('docs/api.md: Assessments and answering', () => {
  let app: TestApp;
  const markdown = fs.readFileSync(path.join(__dirname, '..', 'docs', 'api.md'), 'utf8');
  const section = sectionText(markdown, SECTION);

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

  it('runs as written in bash, answering as the guide says', async () => {
    const script = (section.match(/```sh\n[\s\S]*?```/g) ?? []).map((block) => block.slice('```sh\n'.length, -3)).join('\n');
    const commands = curlCommands(script);
    expect(commands.length).toBeGreaterThanOrEqual(15);

    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-docs-')), 'responses.log');
    // Every response of the examples is also appended to the log, one per line.
    const prelude = `set -euo pipefail\nLOG='${log}'\ncurl() { command curl "$@" | tee -a "$LOG"; printf '\\n' >> "$LOG"; }\n`;
    const body = script.split('http://localhost:4000').join(app.url).split('.data/demo-key.txt').join(path.join(app.db.dataDir, 'demo-key.txt'));
    await run('bash', ['-c', prelude + body], { timeout: 120_000, maxBuffer: 20 * 1024 * 1024 });

    const responses = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l));
    expect(responses).toHaveLength(commands.length);
    commands.forEach((command, i) => {
      const code = responses[i].errors?.[0]?.extensions?.code ?? null;
      expect({ command: command.line, i, code }).toEqual({ command: command.line, i, code: command.expectedCode });
    });

    // What the examples say they do, they did.
    const find = (field: string, nth = 0) => responses.filter((r) => r.data?.[field] !== undefined)[nth]?.data?.[field];
    const errorOf = (field: string, nth = 0) => responses.filter((r) => r.errors?.[0]?.path?.[0] === field)[nth]?.errors?.[0];
    expect(find('frameworks').edges[0].node).toMatchObject({ key: 'service-strategy', version: '1.0.0' });
    expect(find('createAssessment')).toMatchObject({
      status: 'DRAFT',
      frameworkKey: 'service-strategy',
      roleWeights: [
        { role: 'EXECUTIVE', weight: 2 },
        { role: 'MANAGER', weight: 1 },
        { role: 'FRONTLINE', weight: 0.5 },
      ],
    });
    expect(find('openAssessment').status).toBe('OPEN');
    expect(find('inviteRespondents')[0].token).toMatch(/^ssr_[A-Za-z0-9_-]{43}$/);
    expect(find('inviteRespondents', 1).map((i: any) => i.respondent.role)).toEqual(['MANAGER', 'FRONTLINE']);
    expect(find('questionnaire')).toMatchObject({ organisationName: 'Tailspin Toys', respondentName: 'Marta Kowalska', status: 'INVITED', editable: true });
    expect(find('saveAnswers').results.map((r: any) => r.outcome)).toEqual(['APPLIED', 'APPLIED']);
    expect(find('saveAnswers').status).toBe('IN_PROGRESS');

    const samples = (section.match(/```json\n[\s\S]*?```/g) ?? []).map((block) => JSON.parse(block.slice('```json\n'.length, -3)));
    expect(responses.find((r) => r.data?.saveAnswers?.results?.[0]?.outcome === 'STALE')).toEqual(samples[0]);

    expect(errorOf('saveAnswers').extensions.problems).toEqual([{ path: 'input.answers[1].value', message: 'question LEAD_04 has no such option' }]);
    const early = errorOf('submitResponse');
    expect(early.message.startsWith('60 required questions have no answer: LEAD_02, LEAD_04, ')).toBe(true);
    expect(early.extensions.missingQuestions).toHaveLength(60);

    const all = find('saveAnswers', 2);
    expect(all.progress.missingRequired).toEqual([]);
    const submitted = find('submitResponse');
    expect({ status: submitted.status, progress: submitted.progress }).toEqual({ status: samples[1].data.submitResponse.status, progress: samples[1].data.submitResponse.progress });
    expect(errorOf('saveAnswers', 1).message).toBe('Your response is submitted: the answers can no longer be changed.');

    expect(find('assessment').respondentCounts).toEqual({ invited: 2, inProgress: 0, submitted: 1 });
    expect(find('respondents').map((r: any) => r.status)).toEqual(['SUBMITTED', 'INVITED', 'INVITED']);
    expect(find('reissueRespondentToken').respondent).toMatchObject({ name: 'Jan de Vries', tokenActive: true });
    expect(find('closeAssessment').status).toBe('CLOSED');
    // The demo firm's sample clients have stored results too: this one is the guide's.
    const stored = await app.running.database.dataSource.query('SELECT respondent_count FROM assessment_result WHERE assessment_id = $1', [find('closeAssessment').id]);
    expect(stored).toEqual([{ respondent_count: 1 }]);

    // The live result before the close, and the stored one after it: the same figures, with
    // recommendations that each say what to do and which answers fired them.
    const live = find('assessmentResult', 0);
    const result = find('assessmentResult', 1);
    expect(live).toMatchObject({ provisional: true, respondentCount: 1 });
    expect(result).toMatchObject({ provisional: false, respondentCount: 1 });
    expect(result.overall.score).toBe(live.overall.score);
    expect(result.overall.level.code).toBe(live.overall.level.code);
    expect(result.dimensions.map((d: any) => d.code)).toEqual(expect.arrayContaining(['LEADERSHIP']));
    expect(result.recommendations.length).toBeGreaterThan(0);
    for (const rec of result.recommendations) {
      expect(rec.title).toEqual(expect.any(String));
      expect(rec.actions.length).toBeGreaterThan(0);
      expect(rec.evidence.length).toBeGreaterThan(0);
    }
    // The sample in the guide is this result, cut to its first dimensions and recommendations.
    const sample = samples[2].data.assessmentResult;
    expect({
      ...result,
      dimensions: result.dimensions.slice(0, sample.dimensions.length),
      recommendations: result.recommendations.slice(0, sample.recommendations.length),
    }).toEqual(sample);
    // And the counts its text gives.
    expect(result.recommendations).toHaveLength(Number(/the (\d+) recommendations that fire/.exec(section)?.[1]));
    expect(result.dimensions).toHaveLength(Number(/first two dimensions \(of (\d+)\)/.exec(section)?.[1]));
  });
});
