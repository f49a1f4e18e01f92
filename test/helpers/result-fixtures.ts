/**
 * Test data for the results tests, written straight to the database: organisations,
 * assessments, respondents and answers, and closing through `computeAndStoreResult` in a
 * transaction, exactly as the close operation does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { computeAndStoreResult } from '../../src/modules/result/result-store';
import { Assessment } from '../../src/modules/assessment/assessment.entity';
import { frameworkChecksum } from '../../src/modules/framework/framework-convert';
import type { FrameworkDocument, QuestionDocument } from '../../src/modules/framework/framework-document';
import type { Answer, AnswerValue } from '../../src/scoring';
import { generatedFramework } from '../../seeds/generated-framework';
import { prng } from '../../src/modules/benchmark/benchmark-demo-data';

export { generatedFramework };

export const SEED_FRAMEWORK_FILE = path.join(__dirname, '..', '..', 'seeds', 'frameworks', 'service-strategy-v1.json');

/** A stored framework version as the tests need it. */
export interface StoredFramework {
  id: string;
  key: string;
  major: number;
  ownerFirmId: string | null;
  document: FrameworkDocument;
}

/** The built-in service-strategy framework, inserted unless the seed loader already did. */
export async function ensureSeedFramework(dataSource: DataSource): Promise<StoredFramework> {
  const document = JSON.parse(fs.readFileSync(SEED_FRAMEWORK_FILE, 'utf8')) as FrameworkDocument;
  return ensureFramework(dataSource, document, null);
}

/** A PUBLISHED framework version of `document`, built-in (owner null) or a firm's own. */
export async function ensureFramework(
  dataSource: DataSource,
  document: FrameworkDocument,
  ownerFirmId: string | null,
): Promise<StoredFramework> {
  const existing: Array<{ id: string }> = await dataSource.query(
    'SELECT id FROM framework_version WHERE owner_firm_id IS NOT DISTINCT FROM $1 AND key = $2 AND version = $3',
    [ownerFirmId, document.key, document.version],
  );
  const major = Number(document.version.split('.')[0]);
  let id = existing[0]?.id;
  if (!id) {
    id = randomUUID();
    await dataSource.query(
      `INSERT INTO framework_version (id, owner_firm_id, key, version, major, status, document, checksum, published_at)
       VALUES ($1, $2, $3, $4, $5, 'PUBLISHED', $6::jsonb, $7, now())`,
      [id, ownerFirmId, document.key, document.version, major, JSON.stringify(document), frameworkChecksum(document)],
    );
  }
  return { id, key: document.key, major, ownerFirmId, document };
}

/** Inserts an organisation of the firm and returns its id. */
export async function insertOrganisation(
  dataSource: DataSource,
  firmId: string,
  props: { name?: string; industry?: string; sizeBand?: string; country?: string; excluded?: boolean } = {},
): Promise<string> {
  const id = randomUUID();
  await dataSource.query(
    `INSERT INTO organisation (firm_id, id, name, industry, size_band, country, excluded_from_benchmarks, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 1)`,
    [
      firmId,
      id,
      props.name ?? `Org ${id.slice(0, 8)}`,
      props.industry ?? 'G',
      props.sizeBand ?? '50-249',
      props.country ?? 'DE',
      props.excluded ?? false,
    ],
  );
  return id;
}

/** A deterministic pseudo-random generator (mulberry32, the demo-data generator's). */
export const rng = prng;

/** A valid answer value to a question, drawn from `random` (bias 0..1 pushes towards high scores). */
export function answerFor(q: QuestionDocument, random: () => number, bias = 0.5): AnswerValue {
  const r = Math.min(0.999, Math.max(0, random() * 0.6 + bias * 0.4));
  switch (q.type) {
    case 'LIKERT': {
      const min = q.scale?.min ?? 1;
      const max = q.scale?.max ?? 5;
      return min + Math.floor(r * (max - min + 1));
    }
    case 'BOOLEAN':
      return r >= 0.5;
    case 'SINGLE_CHOICE': {
      const options = q.options ?? [];
      return options[Math.floor(r * options.length)].code;
    }
    case 'MULTI_CHOICE': {
      const options = (q.options ?? []).filter((o) => !o.exclusive);
      return [options[Math.floor(r * options.length)].code];
    }
    case 'NUMERIC': {
      const { min, max } = q.numeric!;
      return Math.round(min + r * (max - min));
    }
    case 'TEXT':
      return 'A comment';
  }
}

/** Answers of one respondent to every question of the document. */
export function answersFor(document: FrameworkDocument, random: () => number, bias = 0.5): Record<string, Answer> {
  const answers: Record<string, Answer> = {};
  for (const q of document.questions) answers[q.code] = { value: answerFor(q, random, bias) };
  return answers;
}

export interface RespondentSpec {
  role: string;
  status?: 'INVITED' | 'IN_PROGRESS' | 'SUBMITTED';
  answers: Record<string, Answer>;
}

/** Inserts an assessment with its respondents and answers; returns the assessment id and respondent ids. */
export async function insertAssessment(
  dataSource: DataSource,
  options: {
    firmId: string;
    organisationId: string;
    framework: StoredFramework;
    status: 'DRAFT' | 'OPEN' | 'CANCELLED';
    title?: string;
    roleWeights?: Record<string, number>;
    respondents?: RespondentSpec[];
    createdAt?: Date;
  },
): Promise<{ id: string; respondentIds: string[] }> {
  const id = randomUUID();
  const createdAt = options.createdAt ?? new Date();
  await dataSource.query(
    `INSERT INTO assessment (firm_id, id, organisation_id, framework_version_id, title, status, role_weights, opened_at, cancelled_at, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $10, 1)`,
    [
      options.firmId,
      id,
      options.organisationId,
      options.framework.id,
      options.title ?? 'Assessment',
      options.status,
      JSON.stringify(options.roleWeights ?? {}),
      options.status === 'DRAFT' ? null : createdAt,
      options.status === 'CANCELLED' ? createdAt : null,
      createdAt,
    ],
  );
  const respondentIds = await insertRespondents(dataSource, options.firmId, id, options.respondents ?? []);
  return { id, respondentIds };
}

/** Inserts respondents with their answers (one statement each for respondents and answers). */
export async function insertRespondents(
  dataSource: DataSource,
  firmId: string,
  assessmentId: string,
  respondents: RespondentSpec[],
): Promise<string[]> {
  if (respondents.length === 0) return [];
  const ids = respondents.map(() => randomUUID());
  await dataSource.query(
    `INSERT INTO respondent (firm_id, id, assessment_id, name, email, role, status, submitted_at)
     SELECT $1, r.id, $2, 'Respondent', 'r@example.com', r.role, r.status, CASE WHEN r.status = 'SUBMITTED' THEN now() END
       FROM unnest($3::uuid[], $4::varchar[], $5::varchar[]) AS r(id, role, status)`,
    [firmId, assessmentId, ids, respondents.map((r) => r.role), respondents.map((r) => r.status ?? 'SUBMITTED')],
  );
  const answerRows: Array<[string, string, string | null, boolean]> = [];
  respondents.forEach((r, i) => {
    for (const [code, answer] of Object.entries(r.answers)) {
      answerRows.push([
        ids[i],
        code,
        answer.notApplicable ? null : JSON.stringify(answer.value),
        Boolean(answer.notApplicable),
      ]);
    }
  });
  if (answerRows.length > 0) {
    await dataSource.query(
      `INSERT INTO answer (firm_id, respondent_id, question_code, assessment_id, value, not_applicable, updated_at)
       SELECT $1, a.rid, a.code, $2, a.value::jsonb, a.na, now()
         FROM unnest($3::uuid[], $4::varchar[], $5::text[], $6::boolean[]) AS a(rid, code, value, na)`,
      [
        firmId,
        assessmentId,
        answerRows.map((a) => a[0]),
        answerRows.map((a) => a[1]),
        answerRows.map((a) => a[2]),
        answerRows.map((a) => a[3]),
      ],
    );
  }
  return ids;
}

/**
 * Closes an OPEN assessment as the close operation does: status and closed_at, then the
 * result computed and stored in the same transaction.
 */
export async function closeAssessmentDirectly(
  dataSource: DataSource,
  firmId: string,
  assessmentId: string,
  closedAt = new Date(),
): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query(
      `UPDATE assessment SET status = 'CLOSED', closed_at = $3, version = version + 1 WHERE firm_id = $1 AND id = $2 AND status = 'OPEN'`,
      [firmId, assessmentId, closedAt],
    );
    const assessment = await manager.findOneOrFail(Assessment, { where: { firmId, id: assessmentId } });
    await computeAndStoreResult(manager, assessment);
  });
}
