/**
 * The seed loader: every `seeds/frameworks/*.json` becomes a built-in PUBLISHED framework
 * version (offered to every firm). Run by `npm run seed` and, when SEED_ON_START is on (the
 * default), by the server on start.
 *
 * Rules:
 * - Every file is validated first; if any has problems, nothing is loaded and the error names
 *   every problem with its file and JSON path.
 * - Loading a version that is already there with the same checksum changes nothing.
 * - A published version never changes: a file whose content differs from the stored version
 *   of the same key and version is refused with a message to raise its version. On start this
 *   stops the server, so that consultants never silently get different content.
 * - Several processes may load at once against one PostgreSQL server: rows are inserted with
 *   ON CONFLICT DO NOTHING and then compared, all in one transaction.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { StartupStep } from '../../app';
import { withTransaction } from '../../db/transaction';
import { PROJECT_ROOT } from '../../version';
import type { FrameworkDocument } from './framework-document';
import { frameworkChecksum } from './framework-convert';
import { validateFrameworkDocument } from './framework-validation';
import { nextVersions, rowsOf } from './framework-rows';

/** The folder of the built-in framework files. */
export const FRAMEWORK_SEEDS_DIR = path.join(PROJECT_ROOT, 'seeds', 'frameworks');

/** The seed files cannot be loaded; `problems` lists every reason, one line each. */
export class FrameworkSeedError extends Error {
  constructor(
    readonly problems: string[],
    heading: string,
  ) {
    super(`${heading}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'FrameworkSeedError';
    // The content is at fault, not the code: a stack trace would only hide the message.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** A seed file that passed validation. */
export interface FrameworkSeedFile {
  /** The path as shown in messages (relative to the project root when inside it). */
  file: string;
  document: FrameworkDocument;
  checksum: string;
}

/** What loading did with one file. */
export interface FrameworkSeedOutcome {
  file: string;
  key: string;
  version: string;
  id: string;
  /** `created`: inserted now; `unchanged`: already there with the same content. */
  outcome: 'created' | 'unchanged';
}

function displayPath(file: string): string {
  const relative = path.relative(PROJECT_ROOT, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

/**
 * Reads and validates every `*.json` file of `dir` (sorted by name). Throws a
 * {@link FrameworkSeedError} naming every problem of every file (unreadable JSON, validation
 * problems with their JSON paths, a key and version given by two files).
 */
export function readFrameworkSeeds(dir: string = FRAMEWORK_SEEDS_DIR): FrameworkSeedFile[] {
  if (!fs.existsSync(dir)) return [];
  const names = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort();
  const problems: string[] = [];
  const files: FrameworkSeedFile[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = displayPath(path.join(dir, name));
    let input: unknown;
    try {
      input = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch (err) {
      problems.push(`${file}: is not valid JSON (${(err as Error).message})`);
      continue;
    }
    const result = validateFrameworkDocument(input);
    if (!result.ok) {
      for (const p of result.problems) problems.push(`${file}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`);
      continue;
    }
    const id = `${result.document.key}@${result.document.version}`;
    const earlier = seen.get(id);
    if (earlier) {
      problems.push(
        `${file}: framework "${result.document.key}" version ${result.document.version} is also given by ${earlier}; each version must come from one file`,
      );
      continue;
    }
    seen.set(id, file);
    files.push({ file, document: result.document, checksum: frameworkChecksum(result.document) });
  }
  if (problems.length > 0) {
    throw new FrameworkSeedError(
      problems,
      `The framework seed files have ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}; nothing was loaded:`,
    );
  }
  return files;
}

/**
 * Loads the seed frameworks of `dir` as built-in PUBLISHED versions, in one transaction.
 * Idempotent; refuses (with a {@link FrameworkSeedError}, loading nothing) a file whose
 * content differs from the published version of the same key and version.
 */
export async function loadFrameworkSeeds(
  dataSource: DataSource,
  dir: string = FRAMEWORK_SEEDS_DIR,
): Promise<FrameworkSeedOutcome[]> {
  const files = readFrameworkSeeds(dir);
  if (files.length === 0) return [];
  return withTransaction(dataSource, async (manager) => {
    const outcomes: FrameworkSeedOutcome[] = [];
    const refused: string[] = [];
    for (const seed of files) {
      const doc = seed.document;
      const inserted = rowsOf<{ id: string }>(
        await manager.query(
          `INSERT INTO framework_version (id, owner_firm_id, key, version, major, status, document, checksum, published_at)
           VALUES ($1, NULL, $2, $3, $4, 'PUBLISHED', $5::jsonb, $6, now())
           ON CONFLICT (key, version) WHERE owner_firm_id IS NULL DO NOTHING
           RETURNING id`,
          [randomUUID(), doc.key, doc.version, Number(doc.version.split('.')[0]), JSON.stringify(doc), seed.checksum],
        ),
      );
      if (inserted[0]) {
        outcomes.push({ file: seed.file, key: doc.key, version: doc.version, id: inserted[0].id, outcome: 'created' });
        continue;
      }
      // Already there (loaded earlier, or just now by another process): compare the content.
      const existing = rowsOf<{ id: string; checksum: string }>(
        await manager.query(
          'SELECT id, checksum FROM framework_version WHERE owner_firm_id IS NULL AND key = $1 AND version = $2',
          [doc.key, doc.version],
        ),
      );
      if (existing[0] && existing[0].checksum === seed.checksum) {
        outcomes.push({
          file: seed.file,
          key: doc.key,
          version: doc.version,
          id: existing[0].id,
          outcome: 'unchanged',
        });
        continue;
      }
      const next = nextVersions(doc.version);
      refused.push(
        `${seed.file}: framework "${doc.key}" version ${doc.version} is already published with different content; published versions never change — raise "version" (e.g. to ${next.patch} or ${next.minor}) and load again`,
      );
    }
    if (refused.length > 0) {
      throw new FrameworkSeedError(refused, 'Refused to load the framework seeds; nothing was loaded:');
    }
    return outcomes;
  });
}

/**
 * A start-up step that loads the seed frameworks of `dir` when `config.seedOnStart` is on.
 * A refused or invalid seed file stops the start with the loader's message.
 */
export function frameworkSeedStep(dir: string = FRAMEWORK_SEEDS_DIR): StartupStep {
  return async (database, app, config) => {
    if (!config.seedOnStart) return;
    const outcomes = await loadFrameworkSeeds(database.dataSource, dir);
    const created = outcomes.filter((o) => o.outcome === 'created');
    app.log.info(
      { created: created.map((o) => `${o.key}@${o.version}`), unchanged: outcomes.length - created.length },
      'framework seeds loaded',
    );
  };
}

/** The start-up step of `npm start`: the seed frameworks of seeds/frameworks. */
export const loadFrameworkSeedsOnStart: StartupStep = frameworkSeedStep();
