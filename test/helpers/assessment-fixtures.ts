import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import type { FrameworkDef, QuestionDef } from '../../src/scoring';
import { frameworkChecksum, toFrameworkDef } from '../../src/modules/framework/framework-convert';
import type { FrameworkDocument } from '../../src/modules/framework/framework-document';
import type { TestApp } from './test-app';

/** The default framework document (seeds/frameworks/service-strategy-v1.json). */
export function defaultFrameworkDocument(): FrameworkDocument {
  return JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'seeds', 'frameworks', 'service-strategy-v1.json'), 'utf8'),
  );
}

/**
 * The id of the built-in service-strategy 1.0.0 framework version: loaded at start by the
 * seed step, or inserted here when the server runs without it.
 */
export async function defaultFrameworkId(dataSource: DataSource): Promise<string> {
  const found: Array<{ id: string }> = await dataSource.query(
    `SELECT id FROM framework_version WHERE owner_firm_id IS NULL AND key = 'service-strategy' AND version = '1.0.0'`,
  );
  if (found[0]) return found[0].id;
  return insertFrameworkVersion(dataSource, {
    document: defaultFrameworkDocument(),
    status: 'PUBLISHED',
    ownerFirmId: null,
  });
}

/** Inserts a framework version directly (to test DRAFT, RETIRED and other firms' versions). */
export async function insertFrameworkVersion(
  dataSource: DataSource,
  options: { document: FrameworkDocument; status: 'DRAFT' | 'PUBLISHED' | 'RETIRED'; ownerFirmId: string | null },
): Promise<string> {
  const id = randomUUID();
  const doc = options.document;
  await dataSource.query(
    `INSERT INTO framework_version (id, owner_firm_id, key, version, major, status, document, checksum, published_at, retired_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)`,
    [
      id,
      options.ownerFirmId,
      doc.key,
      doc.version,
      Number(doc.version.split('.')[0]),
      options.status,
      JSON.stringify(doc),
      frameworkChecksum(doc),
      options.status === 'DRAFT' ? null : new Date(),
      options.status === 'RETIRED' ? new Date() : null,
    ],
  );
  return id;
}

/** Inserts an organisation of a firm directly. */
export async function insertOrganisation(
  dataSource: DataSource,
  firmId: string,
  name = 'Acme Retail',
  options: { archived?: boolean } = {},
): Promise<string> {
  const id = randomUUID();
  await dataSource.query(
    `INSERT INTO organisation (firm_id, id, name, industry, size_band, country, archived_at, version) VALUES ($1, $2, $3, 'G', '50-249', 'DE', $4, 1)`,
    [firmId, id, name, options.archived ? new Date() : null],
  );
  return id;
}

/** Headers that send a respondent's link token. */
export function tokenAuth(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

const CREATE = `mutation Create($input: CreateAssessmentInput!) { createAssessment(input: $input) { id status version } }`;
const OPEN = `mutation Open($id: ID!) { openAssessment(id: $id) { id status } }`;
const INVITE = `mutation Invite($input: InviteRespondentsInput!) {
  inviteRespondents(input: $input) { token expiresAt respondent { id name email role status } }
}`;

/** Creates (and by default opens) an assessment through the API; returns its id. */
export async function createAssessmentViaApi(
  app: TestApp,
  auth: Record<string, string>,
  input: Record<string, unknown>,
  options: { open?: boolean } = {},
): Promise<string> {
  const created = await app.gql(CREATE, { input }, auth);
  if (created.errors) throw new Error(`createAssessment failed: ${JSON.stringify(created.errors)}`);
  const id: string = created.data.createAssessment.id;
  if (options.open !== false) {
    const opened = await app.gql(OPEN, { id }, auth);
    if (opened.errors) throw new Error(`openAssessment failed: ${JSON.stringify(opened.errors)}`);
  }
  return id;
}

/** Invites people through the API; returns each one's respondent id and token, in order. */
export async function inviteViaApi(
  app: TestApp,
  auth: Record<string, string>,
  assessmentId: string,
  people: Array<{ name: string; email: string; role: string }>,
): Promise<Array<{ id: string; token: string }>> {
  const res = await app.gql(INVITE, { input: { assessmentId, respondents: people } }, auth);
  if (res.errors) throw new Error(`inviteRespondents failed: ${JSON.stringify(res.errors)}`);
  return res.data.inviteRespondents.map((i: any) => ({ id: i.respondent.id, token: i.token }));
}

/** A valid answer value for a question; `variant` picks among valid values. */
export function validValue(q: QuestionDef, variant = 0): unknown {
  switch (q.type) {
    case 'LIKERT': {
      const min = q.scale?.min ?? 1;
      const max = q.scale?.max ?? 5;
      return min + (variant % (max - min + 1));
    }
    case 'BOOLEAN':
      return variant % 2 === 0;
    case 'SINGLE_CHOICE':
      return q.options![variant % q.options!.length].code;
    case 'MULTI_CHOICE': {
      const plain = q.options!.filter((o) => !o.exclusive);
      return [plain[variant % plain.length].code];
    }
    case 'NUMERIC':
      return q.numeric!.min + (variant % 3);
    default:
      return `Answer ${variant}`;
  }
}

/** The default framework as the scoring engine sees it. */
export function defaultFrameworkDef(): FrameworkDef {
  return toFrameworkDef(defaultFrameworkDocument());
}
