/**
 * An invited respondent of an OPEN assessment on the default framework, made through the
 * GraphQL API of a running server: what the respondent page's browser test and its
 * screenshot script start from.
 */

/** Sends one GraphQL request; throws naming the errors when there are any. */
export async function graphql<T = any>(
  baseUrl: string,
  key: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

/** An invitation to a new OPEN assessment of the default framework. */
export interface PageInvitation {
  assessmentId: string;
  respondentId: string;
  token: string;
  /** Invitation.url as the API returned it. */
  url: string;
}

/** Creates an organisation, an OPEN assessment of the default framework and one invitation. */
export async function inviteToDefaultFramework(
  baseUrl: string,
  consultantKey: string,
  options: { organisation?: string; title?: string; respondent?: string } = {},
): Promise<PageInvitation> {
  const org = await graphql(
    baseUrl,
    consultantKey,
    'mutation($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id } }',
    {
      i: { name: options.organisation ?? 'Acme Retail', industry: 'G', sizeBand: 'S50_249', country: 'DE' },
    },
  );
  const frameworks = await graphql(
    baseUrl,
    consultantKey,
    '{ frameworks(first: 100) { edges { node { id key version } } } }',
  );
  const framework = frameworks.frameworks.edges.map((e: any) => e.node).find((n: any) => n.key === 'service-strategy');
  if (!framework) throw new Error('The default framework (service-strategy) is not loaded');
  const due = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
  const created = await graphql(
    baseUrl,
    consultantKey,
    'mutation($i: CreateAssessmentInput!) { createAssessment(input: $i) { id } }',
    {
      i: {
        organisationId: org.createOrganisation.id,
        frameworkVersionId: framework.id,
        title: options.title ?? 'Service strategy review 2026',
        dueAt: due,
      },
    },
  );
  const assessmentId: string = created.createAssessment.id;
  await graphql(baseUrl, consultantKey, 'mutation($id: ID!) { openAssessment(id: $id) { id } }', { id: assessmentId });
  const invited = await graphql(
    baseUrl,
    consultantKey,
    'mutation($i: InviteRespondentsInput!) { inviteRespondents(input: $i) { token url respondent { id } } }',
    {
      i: {
        assessmentId,
        respondents: [{ name: options.respondent ?? 'Anna Petrova', email: 'anna@example.com', role: 'EXECUTIVE' }],
      },
    },
  );
  const inv = invited.inviteRespondents[0];
  return { assessmentId, respondentId: inv.respondent.id, token: inv.token, url: inv.url };
}
