/**
 * docs/api.md (and the first five minutes of README.md) run as shown.
 *
 * A guide's shell blocks are run in bash, in document order, in ONE shell session (so a
 * variable set by one block is there for the next), against a server started from the build
 * as `npm start` starts it, on a fresh embedded data folder with the demo firm (each guide
 * gets its own). What each block prints is compared with the output the guide shows for it.
 * It runs on the embedded database also when the suite runs against PostgreSQL
 * (TEST_DATABASE_URL): the guides start from `npm start` with the demo firm, which exists only there.
 *
 * The conventions, for whoever writes the guide:
 *
 * - Every ```sh block is run (README.md and docs/api.md; see GUIDES). `http://localhost:4000` is replaced by the test server's
 *   address and `.data/` by the test's data folder; nothing else is changed.
 * - A block that must not be run is marked by the line `<!-- not run: <reason> -->` right
 *   before it (blank lines allowed). Keep these to what cannot run next to the server (today
 *   only `npm start` itself).
 * - The ```json or ```text block that follows a ```sh block (blank lines allowed, no other
 *   text in between) is its shown output. A ```sh block without one must print nothing
 *   (capture the answer in a variable, or show it).
 * - A ```json output holds one or more JSON values (one per command that prints); they are
 *   compared with the printed values as data, not as text, so the guide may lay them out
 *   over several lines. Masked, i.e. any string matches any string (null still only null):
 *   values of keys that are ids, tokens, keys, cursors or times (`id`, `…Id`, `cursor`,
 *   `…Cursor`, `…At`, `token`, `secret`, `…Prefix`, `prefix`); in every other string, UUIDs,
 *   ISO times and `ssm_`/`ssr_` secrets are masked. Elisions: the string `"…"` matches any
 *   value; `"…"` as the last element of an array lets more elements follow the ones shown;
 *   a key `"…"` in an object lets the object have keys that are not shown.
 * - A ```text output is compared line by line after the same masking; a line `…` stands for
 *   any number of lines.
 *
 * `API_MD_WRITE=1 npx jest test/api-md.e2e.test.ts` (after `npm run build`) writes what the
 * blocks printed into the guide where it differs from what is shown (for a new section; read
 * the diff before committing, and put back any elisions you want).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnServer, type ChildServer } from './helpers/child-server';

/** The guides whose shell blocks run, with how many blocks each must at least run. */
const GUIDES = [
  { file: 'README.md', minimumRun: 4 },
  { file: 'docs/api.md', minimumRun: 30 },
];
const ELISION = '…';

/** One ```sh block of the guide, with its shown output. */
interface ShellBlock {
  /** 1-based line of the opening fence, for messages. */
  line: number;
  script: string;
  run: boolean;
  /** The shown output: its kind, its text, and where it is in the file (for API_MD_WRITE). */
  output: { kind: 'json' | 'text'; text: string; start: number; end: number } | null;
  /** Where a new output block would go (just after the closing fence). */
  after: number;
}

/** A TCP port free right now on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Reads the guide's fenced blocks. */
export function parseGuide(markdown: string): ShellBlock[] {
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  const fences: Array<{ lang: string; body: string; start: number; end: number }> = [];
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown))
    fences.push({ lang: m[1], body: m[2], start: m.index, end: m.index + m[0].length });
  const blocks: ShellBlock[] = [];
  fences.forEach((f, i) => {
    if (f.lang !== 'sh') return;
    const before = markdown.slice(i > 0 ? fences[i - 1].end : 0, f.start);
    const run = !/<!-- not run: [^>]*\S[^>]*-->\s*$/.test(before);
    const next = fences[i + 1];
    const between = next ? markdown.slice(f.end, next.start) : '';
    const output: ShellBlock['output'] =
      next && (next.lang === 'json' || next.lang === 'text') && between.trim() === ''
        ? { kind: next.lang, text: next.body, start: next.start, end: next.end }
        : null;
    blocks.push({ line: markdown.slice(0, f.start).split('\n').length, script: f.body, run, output, after: f.end });
  });
  return blocks;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g;
const SECRET = /\bss[mr]_[A-Za-z0-9_-]+/g;
const MASKED_KEY = /^(?:id|\w+Id|cursor|\w+Cursor|\w+At|token|secret|prefix|\w+Prefix)$/;

/** A string with its ids, times and secrets masked. */
export function mask(text: string): string {
  return text.replace(UUID, '<id>').replace(ISO_TIME, '<time>').replace(SECRET, '<secret>');
}

/** The JSON values of a text, one after the other (whitespace between them). */
export function jsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  let rest = text.trim();
  while (rest !== '') {
    let end = -1;
    let depth = 0;
    let inString = false;
    for (let i = 0; i < rest.length; i++) {
      const c = rest[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
      else if (depth === 0 && /\s/.test(c)) {
        end = i;
        break;
      }
      if (depth === 0 && !inString && i > 0 && (c === '}' || c === ']' || c === '"')) {
        end = i + 1;
        break;
      }
    }
    const piece = end < 0 ? rest : rest.slice(0, end);
    values.push(JSON.parse(piece));
    rest = rest.slice(piece.length).trim();
  }
  return values;
}

/** Where `actual` differs from the `shown` value (null when it matches), by the conventions above. */
export function difference(shown: unknown, actual: unknown, at = '$', maskedKey = false): string | null {
  if (shown === ELISION) return null;
  if (maskedKey && typeof shown === 'string')
    return typeof actual === 'string' ? null : `${at}: expected a string, printed ${JSON.stringify(actual)}`;
  if (typeof shown === 'string') {
    return typeof actual === 'string' && mask(actual) === mask(shown)
      ? null
      : `${at}: shown ${JSON.stringify(shown)}, printed ${JSON.stringify(actual)}`;
  }
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual)) return `${at}: shown an array, printed ${JSON.stringify(actual)}`;
    const open = shown.length > 0 && shown[shown.length - 1] === ELISION;
    const items = open ? shown.slice(0, -1) : shown;
    if (open ? actual.length < items.length : actual.length !== items.length) {
      return `${at}: shown ${items.length}${open ? ' or more' : ''} elements, printed ${actual.length}`;
    }
    for (let i = 0; i < items.length; i++) {
      const d = difference(items[i], actual[i], `${at}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (shown && typeof shown === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual))
      return `${at}: shown an object, printed ${JSON.stringify(actual)}`;
    const obj = shown as Record<string, unknown>;
    const act = actual as Record<string, unknown>;
    const open = ELISION in obj;
    const keys = Object.keys(obj).filter((k) => k !== ELISION);
    const missing = keys.filter((k) => !(k in act));
    const extra = open ? [] : Object.keys(act).filter((k) => !(k in obj));
    if (missing.length || extra.length)
      return `${at}: keys not printed [${missing.join(', ')}], printed but not shown [${extra.join(', ')}]`;
    for (const k of keys) {
      const d = difference(obj[k], act[k], `${at}.${k}`, MASKED_KEY.test(k));
      if (d) return d;
    }
    return null;
  }
  return Object.is(shown, actual) ? null : `${at}: shown ${JSON.stringify(shown)}, printed ${JSON.stringify(actual)}`;
}

/** Where a printed text differs from a ```text output (null when it matches). */
export function textDifference(shown: string, actual: string): string | null {
  const want = mask(shown.trimEnd()).split('\n');
  const got = mask(actual.trim()).split('\n');
  const match = (w: number, g: number): boolean => {
    if (w === want.length) return g === got.length;
    if (want[w] === ELISION) return match(w + 1, g) || (g < got.length && match(w, g + 1));
    return g < got.length && want[w] === got[g] && match(w + 1, g + 1);
  };
  return match(0, 0) ? null : `shown:\n${shown.trimEnd()}\nprinted:\n${actual.trim()}`;
}

/** Where a block's printed output differs from what the guide shows (null when it matches). */
export function outputDifference(block: ShellBlock, printed: string): string | null {
  if (!block.output)
    return printed.trim() === '' ? null : `prints something but the guide shows no output:\n${printed.trim()}`;
  if (block.output.kind === 'text') return textDifference(block.output.text, printed);
  let shown: unknown[];
  let actual: unknown[];
  try {
    shown = jsonValues(block.output.text);
  } catch (e) {
    return `the shown output is not JSON: ${(e as Error).message}`;
  }
  try {
    actual = jsonValues(printed);
  } catch {
    return `printed something that is not JSON:\n${printed.trim()}`;
  }
  if (shown.length !== actual.length)
    return `shown ${shown.length} JSON values, printed ${actual.length}:\n${printed.trim()}`;
  for (let i = 0; i < shown.length; i++) {
    const d = difference(shown[i], actual[i], shown.length > 1 ? `value ${i + 1}` : '$');
    if (d) return `${d}\nprinted:\n${printed.trim()}`;
  }
  return null;
}

describe('the output matcher', () => {
  it('masks ids, times and secrets, and allows the elisions', () => {
    expect(difference({ id: 'a', n: 1, at: 'x' }, { id: 'b', n: 1, at: 'x' })).toBeNull();
    expect(difference({ createdAt: '2026-01-01T00:00:00.000Z' }, { createdAt: null })).not.toBeNull();
    expect(difference({ n: 12 }, { n: 1 })).toContain('$.n');
    expect(
      difference(
        { message: 'Assessment "5b0c0000-0000-4000-8000-000000000000" is DRAFT' },
        { message: 'Assessment "9e1f0000-0000-4000-8000-00000000abcd" is DRAFT' },
      ),
    ).toBeNull();
    expect(difference([1, ELISION], [1, 2, 3])).toBeNull();
    expect(difference([1, ELISION], [])).not.toBeNull();
    expect(difference([1], [1, 2])).not.toBeNull();
    expect(difference({ a: 1, [ELISION]: ELISION }, { a: 1, b: 2 })).toBeNull();
    expect(difference({ a: 1 }, { a: 1, b: 2 })).toContain('printed but not shown [b]');
    expect(jsonValues('{"a":1}{"b":[2]}\n"x"')).toEqual([{ a: 1 }, { b: [2] }, 'x']);
    expect(textDifference('a\n…\nd', 'a\nb\nc\nd')).toBeNull();
    expect(textDifference('a\nd', 'a\nb\nd')).not.toBeNull();
  });

  it('reads the guide: not-run marks and shown outputs', () => {
    const blocks = parseGuide(
      '<!-- not run: a server -->\n```sh\nnpm start\n```\n\n```sh\ncurl x\n```\n\n```json\n{}\n```\n\ntext\n\n```sh\ntrue\n```\n\nthen\n\n```json\n{}\n```\n',
    );
    expect(blocks.map((b) => [b.run, b.output?.kind ?? null])).toEqual([
      [false, null],
      [true, 'json'],
      [true, null],
    ]);
  });
});

describe.each(GUIDES)('$file runs as shown', ({ file, minimumRun }) => {
  const guide = path.join(__dirname, '..', file);
  let server: ChildServer;
  let dataDir: string;
  let url: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-api-md-'));
    // A fixed port, so that the links the server builds on PUBLIC_URL (the sample report's) work.
    const port = await freePort();
    server = spawnServer({
      DATA_DIR: dataDir,
      DEMO_FIRM: 'true',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    // A first start on a machine shared with other work can take a minute (PGlite creates its cluster).
    url = await server.ready(150_000);
  }, 180_000);
  afterAll(async () => {
    if (server && server.process.exitCode === null) {
      server.process.kill('SIGTERM');
      await server.exited;
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('every shell block, in order, prints the output the guide shows', async () => {
    const markdown = fs.readFileSync(guide, 'utf8');
    const blocks = parseGuide(markdown);
    const run = blocks.filter((b) => b.run);
    expect(run.length).toBeGreaterThanOrEqual(minimumRun);
    expect(blocks.length - run.length).toBeLessThanOrEqual(2);

    const marker = (i: number) => `@@guide block ${i}@@`;
    const script = [
      'set -euo pipefail',
      // curl -s hides why a request failed; -S shows it on stderr (the guide's output is unchanged).
      'curl() { command curl -S "$@"; }',
      ...run.map(
        (b, i) =>
          `printf '\\n${marker(i)}\\n'\n${b.script.split('http://localhost:4000').join(url).split('.data/').join(`${dataDir}/`)}`,
      ),
      `printf '\\n${marker(run.length)}\\n'`,
    ].join('\n');
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number }>((resolve) => {
      execFile(
        'bash',
        ['-c', script],
        { cwd: path.join(__dirname, '..'), timeout: 400_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) =>
          resolve({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 }),
      );
    });
    const outputs = run.map((_b, i) => {
      const start = stdout.indexOf(`\n${marker(i)}\n`);
      const end = stdout.indexOf(`\n${marker(i + 1)}\n`);
      return start < 0 || end < 0 ? null : stdout.slice(start + marker(i).length + 2, end);
    });
    const failedAt = outputs.findIndex((o) => o === null);
    if (code !== 0 || failedAt >= 0) {
      const block = run[failedAt < 0 ? run.length - 1 : failedAt];
      throw new Error(
        `the shell stopped (exit ${code}) in the block at ${file}:${block?.line}:\n${stderr}\n${stdout.slice(-2000)}\nserver:\n${server.output().slice(-3000)}`,
      );
    }

    const differences = run
      .map((b, i) => ({ block: b, printed: outputs[i]!, diff: outputDifference(b, outputs[i]!) }))
      .filter((d) => d.diff !== null);
    if (process.env.API_MD_WRITE === '1' && differences.length) writeOutputs(guide, markdown, differences);
    expect(differences.map((d) => `${file}:${d.block.line}: ${d.diff}`)).toEqual([]);
  }, 480_000);
});

/** API_MD_WRITE=1: puts what the blocks printed into the guide as their shown outputs. */
function writeOutputs(guide: string, markdown: string, changes: Array<{ block: ShellBlock; printed: string }>): void {
  let text = markdown;
  for (const { block, printed } of [...changes].sort((a, b) => b.block.after - a.block.after)) {
    const body = printed.trim();
    let kind: 'json' | 'text';
    try {
      jsonValues(body);
      kind = 'json';
    } catch {
      kind = 'text';
    }
    const fenced = body === '' ? '' : `\`\`\`${kind}\n${body}\n\`\`\``;
    if (block.output) text = text.slice(0, block.output.start) + fenced + text.slice(block.output.end);
    else if (fenced) text = `${text.slice(0, block.after)}\n\n${fenced}${text.slice(block.after)}`;
  }
  fs.writeFileSync(guide, text);
}
