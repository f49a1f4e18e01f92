import type { DataSource } from 'typeorm';
import { createAssessmentViaApi, inviteViaApi, tokenAuth } from './assessment-fixtures';
import { createTestFirm, type TestFirm } from './fixtures';
import { generatedFramework } from './result-fixtures';
import type { TestApp } from './test-app';

/**
 * One firm's data for the cross-firm isolation test, made through the API. Firm A's is
 * the victim's, firm B's the caller's. When your module adds objects, create some for
 * each firm in {@link buildFirmData}, add their ids here, and push every id and
 * distinctive text into `leakMarkers` (firm B's answers must contain none of A's).
 */
export interface FirmData {
  firm: TestFirm;
  firmId: string;
  /** `A` or `B`: part of every name made for the firm. */
  label: string;
  /** Strings that identify this firm's data; none may appear in the other firm's answers. */
  leakMarkers: string[];

  /** An active organisation. */
  organisationId: string;
  /** An archived organisation. */
  archivedOrganisationId: string;
  /** The firm's VIEWER key (an API key id of this firm). */
  viewerKeyId: string;

  /** The firm's own PUBLISHED framework version, key `isolation-<label>`. */
  frameworkId: string;
  frameworkKey: string;
  /** A DRAFT version of it. */
  draftFrameworkId: string;

  /** A CLOSED assessment with a stored result (and benchmark rows), of `organisationId`. */
  closedAssessmentId: string;
  /** An OPEN assessment of `organisationId` with `respondentId` invited and some answers saved. */
  openAssessmentId: string;
  respondentId: string;
  /** The link token of `respondentId`. */
  respondentToken: string;

  /** A share link of `closedAssessmentId`'s report, and its token. */
  reportShareLinkId: string;
  reportShareToken: string;
  /** A webhook endpoint that received every event above (all DELIVERED). */
  webhookEndpointId: string;
  /** One of its deliveries. */
  webhookDeliveryId: string;
}

async function call(
  app: TestApp,
  firm: TestFirm | Record<string, string>,
  query: string,
  variables: Record<string, unknown>,
): Promise<any> {
  const res = await app.gql(query, variables, 'auth' in firm ? (firm as TestFirm).auth.ADMIN : firm);
  if (res.errors) throw new Error(`isolation fixture: ${JSON.stringify(res.errors)}`);
  return res.data;
}

/**
 * Creates a firm with a key per role and data of every kind, through the API. Its webhook
 * endpoint points at `webhookUrl` (a local receiver that answers 200).
 */
export async function buildFirmData(app: TestApp, label: string, webhookUrl: string): Promise<FirmData> {
  const firm = await createTestFirm(app.running.database.dataSource, `Isolation firm ${label}`);
  const leakMarkers: string[] = [
    firm.firmId,
    `Isolation firm ${label}`,
    ...Object.values(firm.keys).map((k) => k.slice(0, 16)),
  ];

  // --- webhooks: first, so that the events below are delivered to it ---
  const hook = (
    await call(
      app,
      firm,
      'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }',
      {
        input: {
          url: webhookUrl,
          description: `Isolation hook ${label}`,
          events: [
            'RESPONDENT_SUBMITTED',
            'ASSESSMENT_OPENED',
            'ASSESSMENT_CLOSED',
            'ASSESSMENT_CANCELLED',
            'FRAMEWORK_PUBLISHED',
          ],
        },
      },
    )
  ).createWebhookEndpoint;
  const webhookEndpointId = hook.endpoint.id as string;
  leakMarkers.push(webhookEndpointId, hook.secret, `Isolation hook ${label}`);

  // --- organisations ---
  const orgInput = (name: string) => ({ name, industry: 'G', sizeBand: 'S50_249', country: 'DE' });
  const org = (
    await call(app, firm, 'mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }', {
      input: orgInput(`Isolation org ${label} 1`),
    })
  ).createOrganisation.id as string;
  const archived = (
    await call(app, firm, 'mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }', {
      input: orgInput(`Isolation org ${label} 2`),
    })
  ).createOrganisation.id as string;
  await call(app, firm, 'mutation ($id: ID!) { archiveOrganisation(id: $id) { id } }', { id: archived });
  leakMarkers.push(org, archived, `Isolation org ${label}`);

  // --- API keys ---
  const keys = (await call(app, firm, '{ apiKeys { id role } }', {})).apiKeys as Array<{ id: string; role: string }>;
  const viewerKeyId = keys.find((k) => k.role === 'VIEWER')!.id;
  leakMarkers.push(...keys.map((k) => k.id));

  // --- frameworks: the firm's own, published, and a draft of its next version ---
  const frameworkKey = `isolation-${label.toLowerCase()}`;
  const document = generatedFramework(frameworkKey, 2, 2);
  const IMPORT = 'mutation ($document: JSONObject!) { importFramework(document: $document, locale: EN) { id } }';
  const frameworkId = (await call(app, firm, IMPORT, { document })).importFramework.id as string;
  await call(app, firm, 'mutation ($id: ID!) { publishFramework(id: $id, locale: EN) { id } }', { id: frameworkId });
  const draftFrameworkId = (await call(app, firm, IMPORT, { document: { ...document, version: '1.1.0' } }))
    .importFramework.id as string;
  leakMarkers.push(frameworkId, draftFrameworkId, frameworkKey);

  // --- assessments, respondents, answers, results and benchmark rows ---
  const questions = document.questions.map((q) => q.code);
  const answerAll = async (token: string, value: number) => {
    const answers = questions.map((question) => ({ question, value }));
    await call(
      app,
      tokenAuth(token),
      'mutation ($input: SaveAnswersInput!) { saveAnswers(input: $input) { status } }',
      { input: { answers } },
    );
  };
  const person = (n: number) => ({
    name: `Isolation respondent ${label}${n}`,
    email: `isolation-${label.toLowerCase()}${n}@example.com`,
    role: 'EXECUTIVE',
  });

  // In the shared pool: its close is in the pool's change log, and its pool benchmark makes a release.
  await call(app, firm, 'mutation { updateFirmSettings(input: { sharesBenchmarks: true }) { sharesBenchmarks } }', {});
  const closedAssessmentId = await createAssessmentViaApi(app, firm.auth.CONSULTANT, {
    organisationId: org,
    frameworkVersionId: frameworkId,
    title: `Isolation assessment ${label} closed`,
  });
  const [closedRespondent] = await inviteViaApi(app, firm.auth.CONSULTANT, closedAssessmentId, [person(1)]);
  await answerAll(closedRespondent.token, 4);
  await call(app, tokenAuth(closedRespondent.token), 'mutation { submitResponse { status } }', {});
  await call(app, firm, 'mutation ($id: ID!) { closeAssessment(id: $id) { id } }', { id: closedAssessmentId });
  await call(
    app,
    firm,
    'query ($id: ID!) { assessmentBenchmark(assessmentId: $id, cohort: { scope: SHARED_POOL }) { overall { n } } }',
    { id: closedAssessmentId },
  );

  const openAssessmentId = await createAssessmentViaApi(app, firm.auth.CONSULTANT, {
    organisationId: org,
    frameworkVersionId: frameworkId,
    title: `Isolation assessment ${label} open`,
  });
  const [respondent] = await inviteViaApi(app, firm.auth.CONSULTANT, openAssessmentId, [person(2)]);
  await answerAll(respondent.token, 3);
  leakMarkers.push(
    closedAssessmentId,
    openAssessmentId,
    closedRespondent.id,
    respondent.id,
    `Isolation assessment ${label}`,
    `Isolation respondent ${label}`,
    `isolation-${label.toLowerCase()}1@example.com`,
    `isolation-${label.toLowerCase()}2@example.com`,
    closedRespondent.token,
    respondent.token,
  );

  // --- reports ---
  const shared = (
    await call(
      app,
      firm,
      'mutation ($id: ID!, $at: DateTimeISO!) { createReportShareLink(assessmentId: $id, expiresAt: $at) { shareLink { id } token } }',
      {
        id: closedAssessmentId,
        at: new Date(Date.now() + 86_400_000).toISOString(),
      },
    )
  ).createReportShareLink;
  leakMarkers.push(shared.shareLink.id, shared.token, shared.token.slice(0, 12));

  // Every delivery done, so that the worker changes none of this firm's rows later.
  const DELIVERIES = 'query ($id: ID!) { webhookDeliveries(endpointId: $id, first: 100) { id messageId status } }';
  let deliveries: Array<{ id: string; messageId: string; status: string }>;
  for (const started = Date.now(); ;) {
    deliveries = (await call(app, firm, DELIVERIES, { id: webhookEndpointId })).webhookDeliveries;
    if (deliveries.length >= 5 && deliveries.every((d) => d.status === 'DELIVERED')) break;
    if (Date.now() - started > 30000)
      throw new Error(`isolation fixture: webhooks not delivered: ${JSON.stringify(deliveries)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  leakMarkers.push(...deliveries.flatMap((d) => [d.id, d.messageId]));

  // --- add the data of further modules here ---

  return {
    firm,
    firmId: firm.firmId,
    label,
    leakMarkers,
    organisationId: org,
    archivedOrganisationId: archived,
    viewerKeyId,
    frameworkId,
    frameworkKey,
    draftFrameworkId,
    closedAssessmentId,
    openAssessmentId,
    respondentId: respondent.id,
    respondentToken: respondent.token,
    reportShareLinkId: shared.shareLink.id,
    reportShareToken: shared.token,
    webhookEndpointId,
    webhookDeliveryId: deliveries[0].id,
  };
}

// Tables keyed by firm that hold none of its data: the WAL position of its last write, kept
// only with read replicas (src/db/read-routing.ts).
const NOT_FIRM_DATA = ['firm_write_position'];

/**
 * Every row the firm owns, by table: rows of each table with a `firm_id` column (found in
 * the catalogue, so new tables are covered without a change here), `framework_version`
 * rows it owns, and its `firm` row. Rows are sorted, so two snapshots compare equal
 * exactly when nothing changed.
 */
export async function snapshotFirm(dataSource: DataSource, firmId: string): Promise<Record<string, string[]>> {
  const columns: Array<{ table_name: string; column_name: string }> = await dataSource.query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name IN ('firm_id', 'owner_firm_id') AND table_name <> ALL($1)
      ORDER BY table_name, column_name`,
    [NOT_FIRM_DATA],
  );
  const snapshot: Record<string, string[]> = {};
  const take = async (key: string, sql: string) => {
    const rows: unknown[] = await dataSource.query(sql, [firmId]);
    snapshot[key] = rows.map((r) => JSON.stringify(r)).sort();
  };
  await take('firm', 'SELECT * FROM firm WHERE id = $1');
  for (const { table_name, column_name } of columns) {
    await take(`${table_name}.${column_name}`, `SELECT * FROM "${table_name}" WHERE "${column_name}" = $1`);
  }
  return snapshot;
}
