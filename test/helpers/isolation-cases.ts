import { tokenAuth } from './assessment-fixtures';
import type { FirmData } from './isolation-fixture';
import { generatedFramework } from './result-fixtures';
import type { GraphQLResponse } from './test-app';

/**
 * The table of the cross-firm isolation test (test/isolation.e2e.test.ts): one entry per
 * Query and Mutation field, keyed `Query.<field>` or `Mutation.<field>`. The test fails
 * for a field without an entry, so a new operation cannot be forgotten.
 *
 * For each entry the test, as firm B, sends `document` with `variables(a, b)` (built from
 * firm A's ids: the victim) and checks `expect`; it checks that B's answer (`data`) holds
 * none of A's `leakMarkers`; it checks that the operation without any key answers
 * UNAUTHENTICATED (unless `access` is `public`); and at the end, that none of A's rows changed.
 *
 * Adding your operations:
 *   1. In isolation-fixture.ts, create your objects for each firm in `buildFirmData`, add
 *      their ids to `FirmData`, and push the ids and distinctive names into `leakMarkers`.
 *   2. Here, add an entry per operation under your module's heading, e.g.
 *        'Query.assessment': { document: 'query ($id: ID!) { assessment(id: $id) { id title } }',
 *                              variables: (a) => ({ id: a.assessmentId }), expect: 'NOT_FOUND' },
 *      Mutations run in the order of this table, after all queries; B's own objects may change.
 */
export interface IsolationCase {
  /**
   * How the operation is authorised:
   * - `apiKey` (default): firm B's API key of `role`.
   * - `public`: needs no key and returns no firm data (still called, with B's key and without).
   * - `custom`: `headers(a, b)` gives B's credentials (e.g. a link token of B's respondent).
   */
  access?: 'apiKey' | 'public' | 'custom';
  /** A document with one operation whose top level calls this field (aliases allowed). */
  document: string;
  /** Variables, from firm A's data (the victim) and firm B's (the caller). */
  variables?: (a: FirmData, b: FirmData) => Record<string, unknown>;
  /** Firm B's key to call with when `access` is `apiKey`; default ADMIN (may do everything). */
  role?: 'ADMIN' | 'CONSULTANT' | 'VIEWER';
  /** Firm B's credentials when `access` is `custom`. */
  headers?: (a: FirmData, b: FirmData) => Record<string, string>;
  /** With no credentials at all: the error code expected (default UNAUTHENTICATED; none for `public`). */
  withoutKey?: string;
  /** What "nothing of firm A" means for this operation. */
  expect: IsolationExpectation;
}

/**
 * - `NOT_FOUND`: an error with `extensions.code` NOT_FOUND (exactly as for an id that does not exist).
 * - `EMPTY`: the field is `[]`, or a connection with no edges and `totalCount` 0.
 * - `NULL`: the field is null, without errors.
 * - `OWN`: succeeds, and is about firm B's own data only (the leak check does the rest).
 * - `{ code }`: an error with this `extensions.code`.
 * - a function: custom assertions (throw, e.g. with `expect`, to fail).
 */
export type IsolationExpectation =
  | 'NOT_FOUND'
  | 'EMPTY'
  | 'NULL'
  | 'OWN'
  | { code: string }
  | ((res: GraphQLResponse, field: string, a: FirmData, b: FirmData) => void);

export const ISOLATION_CASES: Record<string, IsolationCase> = {
  // ---- public ----
  'Query.serverInfo': {
    access: 'public',
    document: '{ serverInfo { version database scoringMethod } }',
    expect: 'OWN',
  },
  'Query.industries': { access: 'public', document: '{ industries(locale: RU) { code name } }', expect: 'OWN' },

  // ---- firm and API keys ----
  'Query.me': {
    document: '{ me { firm { id name sharesBenchmarks } role apiKey { id name prefix } } }',
    role: 'VIEWER',
    expect: (res, _field, _a, b) => {
      if (res.data?.me?.firm?.id !== b.firmId) throw new Error(`me answered firm ${res.data?.me?.firm?.id}, not B`);
    },
  },
  'Query.apiKeys': {
    document: '{ apiKeys { id name role prefix createdAt lastUsedAt revokedAt } }',
    expect: (res) => {
      if (!Array.isArray(res.data?.apiKeys) || res.data.apiKeys.length === 0)
        throw new Error("apiKeys should list B's own keys");
    },
  },
  'Mutation.createApiKey': {
    document:
      'mutation { createApiKey(input: { name: "Isolation probe", role: VIEWER }) { secret apiKey { id name role } } }',
    expect: 'OWN',
  },
  'Mutation.revokeApiKey': {
    document: 'mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }',
    variables: (a) => ({ id: a.viewerKeyId }),
    expect: 'NOT_FOUND',
  },
  'Mutation.updateFirmSettings': {
    document: 'mutation { updateFirmSettings(input: { sharesBenchmarks: true }) { id name sharesBenchmarks } }',
    expect: (res, _field, _a, b) => {
      if (res.data?.updateFirmSettings?.id !== b.firmId)
        throw new Error('updateFirmSettings changed a firm other than B');
    },
  },

  // ---- organisations ----
  'Query.organisation': {
    document: 'query ($id: ID!) { organisation(id: $id) { id name } }',
    variables: (a) => ({ id: a.organisationId }),
    role: 'VIEWER',
    expect: 'NOT_FOUND',
  },
  'Query.organisations': {
    document:
      'query ($filter: OrganisationFilter) { organisations(filter: $filter, first: 100) { totalCount edges { node { id name } } } }',
    variables: (a) => ({ filter: { nameContains: `Isolation org ${a.label}`, includeArchived: true } }),
    role: 'VIEWER',
    expect: 'EMPTY',
  },
  'Mutation.createOrganisation': {
    document:
      'mutation { createOrganisation(input: { name: "Isolation probe org", industry: "G", sizeBand: S50_249, country: "DE" }) { id name } }',
    role: 'CONSULTANT',
    expect: 'OWN',
  },
  'Mutation.updateOrganisation': {
    document: 'mutation ($id: ID!) { updateOrganisation(id: $id, input: { name: "Hijacked" }) { id name } }',
    variables: (a) => ({ id: a.organisationId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.archiveOrganisation': {
    document: 'mutation ($id: ID!) { archiveOrganisation(id: $id) { id } }',
    variables: (a) => ({ id: a.organisationId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.unarchiveOrganisation': {
    document: 'mutation ($id: ID!) { unarchiveOrganisation(id: $id) { id } }',
    variables: (a) => ({ id: a.archivedOrganisationId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.setOrganisationBenchmarkExclusion': {
    document:
      'mutation ($id: ID!) { setOrganisationBenchmarkExclusion(id: $id, excluded: true) { id excludedFromBenchmarks } }',
    variables: (a) => ({ id: a.organisationId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },

  // ---- frameworks ----
  'Query.frameworks': {
    document:
      'query ($key: String) { frameworks(filter: { key: $key, includeRetired: true }, locale: EN) { totalCount edges { node { id key name } } } }',
    variables: (a) => ({ key: a.frameworkKey }),
    role: 'VIEWER',
    expect: 'EMPTY',
  },
  'Query.framework': {
    document: 'query ($id: ID!) { framework(id: $id, locale: EN) { id key name } }',
    variables: (a) => ({ id: a.frameworkId }),
    role: 'VIEWER',
    expect: 'NOT_FOUND',
  },
  'Query.exportFramework': {
    document: 'query ($id: ID!) { exportFramework(id: $id) }',
    variables: (a) => ({ id: a.draftFrameworkId }),
    role: 'VIEWER',
    expect: 'NOT_FOUND',
  },
  'Mutation.importFramework': {
    document:
      'mutation ($document: JSONObject!) { importFramework(document: $document, locale: EN) { id key status } }',
    variables: () => ({ document: generatedFramework('isolation-probe', 1, 1) }),
    role: 'CONSULTANT',
    expect: 'OWN',
  },
  'Mutation.publishFramework': {
    document: 'mutation ($id: ID!) { publishFramework(id: $id, locale: EN) { id status } }',
    variables: (a) => ({ id: a.draftFrameworkId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.retireFramework': {
    document: 'mutation ($id: ID!) { retireFramework(id: $id, locale: EN) { id status } }',
    variables: (a) => ({ id: a.frameworkId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.deleteFrameworkDraft': {
    document: 'mutation ($id: ID!) { deleteFrameworkDraft(id: $id) }',
    variables: (a) => ({ id: a.draftFrameworkId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },

  // ---- assessments and respondents ----
  'Query.assessment': {
    document: 'query ($id: ID!) { assessment(id: $id) { id title status } }',
    variables: (a) => ({ id: a.closedAssessmentId }),
    role: 'VIEWER',
    expect: 'NOT_FOUND',
  },
  'Query.assessments': {
    document:
      'query ($organisationId: ID) { assessments(filter: { organisationId: $organisationId }, first: 100) { totalCount edges { node { id title } } } }',
    variables: (a) => ({ organisationId: a.organisationId }),
    role: 'VIEWER',
    // Filtering by an organisation that is not the firm's (or does not exist) lists nothing.
    expect: 'EMPTY',
  },
  'Query.respondents': {
    document: 'query ($id: ID!) { respondents(assessmentId: $id) { id name email } }',
    variables: (a) => ({ id: a.openAssessmentId }),
    role: 'VIEWER',
    expect: 'NOT_FOUND',
  },
  'Mutation.createAssessment': {
    document: 'mutation ($input: CreateAssessmentInput!) { createAssessment(input: $input) { id } }',
    variables: (a, b) => ({
      input: { organisationId: a.organisationId, frameworkVersionId: b.frameworkId, title: 'Isolation probe' },
    }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.updateAssessment': {
    document: 'mutation ($id: ID!) { updateAssessment(input: { id: $id, title: "Hijacked" }) { id title } }',
    variables: (a) => ({ id: a.openAssessmentId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.openAssessment': {
    document: 'mutation ($id: ID!) { openAssessment(id: $id) { id status } }',
    variables: (a) => ({ id: a.openAssessmentId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.closeAssessment': {
    document: 'mutation ($id: ID!) { closeAssessment(id: $id) { id status } }',
    variables: (a) => ({ id: a.openAssessmentId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.cancelAssessment': {
    document: 'mutation ($id: ID!) { cancelAssessment(id: $id) { id status } }',
    variables: (a) => ({ id: a.openAssessmentId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.inviteRespondents': {
    document:
      'mutation ($id: ID!) { inviteRespondents(input: { assessmentId: $id, respondents: [{ name: "Probe", email: "probe@example.com", role: "EXECUTIVE" }] }) { token } }',
    variables: (a) => ({ id: a.openAssessmentId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.revokeRespondentToken': {
    document: 'mutation ($id: ID!) { revokeRespondentToken(respondentId: $id) { id } }',
    variables: (a) => ({ id: a.respondentId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.reissueRespondentToken': {
    document: 'mutation ($id: ID!) { reissueRespondentToken(respondentId: $id) { token } }',
    variables: (a) => ({ id: a.respondentId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.removeRespondent': {
    document: 'mutation ($id: ID!) { removeRespondent(respondentId: $id) }',
    variables: (a) => ({ id: a.respondentId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },

  // ---- questionnaire (respondent link token: firm B's respondent can reach only its own) ----
  'Query.questionnaire': {
    access: 'custom',
    headers: (_a, b) => tokenAuth(b.respondentToken),
    document: '{ questionnaire(locale: EN) { assessmentTitle organisationName respondentName answers { question } } }',
    expect: 'OWN',
  },
  'Mutation.saveAnswers': {
    access: 'custom',
    headers: (_a, b) => tokenAuth(b.respondentToken),
    document:
      'mutation { saveAnswers(input: { answers: [{ question: "Q_1_1", value: 5 }] }) { status results { __typename } } }',
    expect: 'OWN',
  },
  'Mutation.submitResponse': {
    access: 'custom',
    headers: (_a, b) => tokenAuth(b.respondentToken),
    document: 'mutation { submitResponse { status submittedAt } }',
    expect: 'OWN',
  },

  // ---- results and history ----
  'Query.assessmentResult': {
    document: 'query ($id: ID!) { assessmentResult(assessmentId: $id) { __typename } }',
    variables: (a) => ({ id: a.closedAssessmentId }),
    role: 'VIEWER',
    expect: 'NOT_FOUND',
  },
  'Query.organisationAssessmentHistory': {
    document: 'query ($id: ID!) { organisationAssessmentHistory(organisationId: $id) { __typename } }',
    variables: (a) => ({ id: a.organisationId }),
    role: 'VIEWER',
    expect: 'NOT_FOUND',
  },

  // ---- reports ----
  'Query.reportShareLinks': {
    document: 'query ($id: ID!) { reportShareLinks(assessmentId: $id) { id prefix } }',
    variables: (a) => ({ id: a.closedAssessmentId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.createReportShareLink': {
    document:
      'mutation ($id: ID!, $at: DateTimeISO!) { createReportShareLink(assessmentId: $id, expiresAt: $at) { url token } }',
    variables: (a) => ({ id: a.closedAssessmentId, at: new Date(Date.now() + 86_400_000).toISOString() }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },
  'Mutation.revokeReportShareLink': {
    document: 'mutation ($id: ID!) { revokeReportShareLink(id: $id) { id revokedAt } }',
    variables: (a) => ({ id: a.reportShareLinkId }),
    role: 'CONSULTANT',
    expect: 'NOT_FOUND',
  },

  // ---- benchmarks ----
  'Query.assessmentBenchmark': {
    document:
      'query ($id: ID!) { assessmentBenchmark(assessmentId: $id, cohort: { scope: OWN_FIRM }, locale: EN) { __typename } }',
    variables: (a) => ({ id: a.closedAssessmentId }),
    role: 'VIEWER',
    expect: 'NOT_FOUND',
  },
  'Query.cohortBenchmark': {
    document:
      'query ($id: ID) { cohortBenchmark(frameworkVersionId: $id, cohort: { scope: OWN_FIRM }, locale: EN) { __typename } }',
    variables: (a) => ({ id: a.frameworkId }),
    role: 'VIEWER',
    expect: 'NOT_FOUND',
  },
  'Query.organisationBenchmark': {
    document:
      'query ($id: ID!) { organisationBenchmark(organisationId: $id, cohort: { scope: OWN_FIRM }) { __typename } }',
    variables: (a) => ({ id: a.organisationId }),
    role: 'VIEWER',
    expect: 'NOT_FOUND',
  },

  // ---- webhooks ----
  'Query.webhookEndpoints': {
    document: '{ webhookEndpoints { id url description events enabled } }',
    expect: (res, _field, _a, b) => {
      const ids = (res.data?.webhookEndpoints ?? []).map((e: { id: string }) => e.id);
      if (!ids.includes(b.webhookEndpointId)) throw new Error("webhookEndpoints should list B's own endpoint");
    },
  },
  'Query.webhookEndpoint': {
    document: 'query ($id: ID!) { webhookEndpoint(id: $id) { id url } }',
    variables: (a) => ({ id: a.webhookEndpointId }),
    expect: 'NOT_FOUND',
  },
  'Query.webhookDeliveries': {
    document: 'query ($id: ID!) { webhookDeliveries(endpointId: $id) { id payload attempts { number } } }',
    variables: (a) => ({ id: a.webhookEndpointId }),
    expect: 'NOT_FOUND',
  },
  'Mutation.createWebhookEndpoint': {
    // A port nothing listens on: B's own later events fail there, which changes only B's rows.
    document:
      'mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/probe", events: [ASSESSMENT_CLOSED] }) { secret endpoint { id } } }',
    expect: 'OWN',
  },
  'Mutation.updateWebhookEndpoint': {
    document:
      'mutation ($id: ID!) { updateWebhookEndpoint(input: { id: $id, enabled: false, url: "http://127.0.0.1:9/stolen" }) { id } }',
    variables: (a) => ({ id: a.webhookEndpointId }),
    expect: 'NOT_FOUND',
  },
  'Mutation.rotateWebhookSecret': {
    document: 'mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret } }',
    variables: (a) => ({ id: a.webhookEndpointId }),
    expect: 'NOT_FOUND',
  },
  'Mutation.redeliverWebhook': {
    document: 'mutation ($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }',
    variables: (a) => ({ id: a.webhookDeliveryId }),
    expect: 'NOT_FOUND',
  },
  'Mutation.deleteWebhookEndpoint': {
    document: 'mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }',
    variables: (a) => ({ id: a.webhookEndpointId }),
    expect: 'NOT_FOUND',
  },
};
