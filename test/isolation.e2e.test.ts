import { Kind, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { buildAppSchema } from '../src/app-modules';
import { ISOLATION_CASES, type IsolationCase } from './helpers/isolation-cases';
import { buildFirmData, snapshotFirm, type FirmData } from './helpers/isolation-fixture';
import { startTestApp, type GraphQLResponse, type TestApp } from './helpers/test-app';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver';
import { FAST_WEBHOOKS } from './helpers/webhook-flow';

/** `Query.<field>` and `Mutation.<field>` for every root field of the executable schema. */
function rootFields(schema: GraphQLSchema): string[] {
  const out: string[] = [];
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (type) out.push(...Object.keys(type.getFields()).map((f) => `${type.name}.${f}`));
  }
  return out;
}

/** Queries first, then mutations, each in the order of the table. */
function orderedCases(): Array<[string, IsolationCase]> {
  const entries = Object.entries(ISOLATION_CASES);
  return [...entries.filter(([k]) => k.startsWith('Query.')), ...entries.filter(([k]) => k.startsWith('Mutation.'))];
}

/** Response keys (alias or name) under which the document's operation calls `field`. */
function responseKeys(document: string, field: string): string[] {
  const op = parse(document).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!op) return [];
  return op.selectionSet.selections.flatMap((s) =>
    s.kind === Kind.FIELD && s.name.value === field ? [s.alias?.value ?? s.name.value] : [],
  );
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (value && typeof value === 'object' && 'edges' in value) {
    const c = value as { edges: unknown[]; totalCount?: number };
    return c.edges.length === 0 && (c.totalCount === undefined || c.totalCount === 0);
  }
  return false;
}

/** Checks one answer of firm B against the case's expectation; returns a problem or null. */
function check(
  c: IsolationCase,
  res: GraphQLResponse,
  field: string,
  key: string,
  a: FirmData,
  b: FirmData,
): string | null {
  const errorCode = res.errors?.[0]?.extensions?.code as string | undefined;
  const describe = () => JSON.stringify({ errors: res.errors, data: res.data }).slice(0, 400);
  if (errorCode === 'GRAPHQL_VALIDATION_FAILED' || errorCode === 'GRAPHQL_PARSE_FAILED')
    return `the case's document is invalid: ${describe()}`;
  const expected = c.expect;
  if (typeof expected === 'function') {
    try {
      expected(res, field, a, b);
      return null;
    } catch (err) {
      return `custom check failed: ${(err as Error).message}`;
    }
  }
  if (expected === 'NOT_FOUND') return errorCode === 'NOT_FOUND' ? null : `expected NOT_FOUND, got ${describe()}`;
  if (typeof expected === 'object')
    return errorCode === expected.code ? null : `expected ${expected.code}, got ${describe()}`;
  if (res.errors) return `expected ${expected}, got errors ${describe()}`;
  const value = res.data?.[key];
  if (expected === 'NULL') return value === null ? null : `expected null, got ${describe()}`;
  if (expected === 'EMPTY') return isEmpty(value) ? null : `expected an empty list or connection, got ${describe()}`;
  return null; // OWN: the leak check below decides.
}

/**
 * Calls one case as `caller` with `victim`'s ids; returns what is wrong (empty when the
 * answer is as expected and holds none of the victim's leak markers).
 */
async function runCase(
  app: TestApp,
  key: string,
  c: IsolationCase,
  victim: FirmData,
  caller: FirmData,
): Promise<string[]> {
  const field = key.split('.')[1];
  const headers = c.access === 'custom' ? c.headers!(victim, caller) : caller.firm.auth[c.role ?? 'ADMIN'];
  const res = await app.gql(c.document, c.variables?.(victim, caller), headers);
  const [responseKey] = responseKeys(c.document, field);
  const problems: string[] = [];
  const problem = check(c, res, field, responseKey ?? field, victim, caller);
  if (problem) problems.push(`${key}: ${problem}`);
  const text = JSON.stringify(res.data ?? null);
  const leaked = victim.leakMarkers.filter((m) => text.includes(m));
  if (leaked.length) problems.push(`${key}: the caller's answer contains the other firm's ${leaked.join(', ')}`);
  return problems;
}

describe('cross-firm isolation', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  let a: FirmData;
  let b: FirmData;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    schema = await buildAppSchema();
    receiver = await startWebhookReceiver();
    app = await startTestApp({ config: { webhooks: FAST_WEBHOOKS } });
    a = await buildFirmData(app, 'A', receiver.url);
    b = await buildFirmData(app, 'B', receiver.url);
    // Two firms' data of every kind, through the API, on a shared machine.
  }, 180000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
  });

  it('has a case for every Query and Mutation field, and none for a field that is gone', () => {
    const fields = rootFields(schema);
    const missing = fields.filter((f) => !(f in ISOLATION_CASES));
    const stale = Object.keys(ISOLATION_CASES).filter((k) => !fields.includes(k));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it('catches a leak: the checks fail when the victim itself calls', async () => {
    // Firm A reading its own organisation (and list) through the same cases must be flagged.
    expect(await runCase(app, 'Query.organisation', ISOLATION_CASES['Query.organisation'], a, a)).not.toEqual([]);
    expect(await runCase(app, 'Query.organisations', ISOLATION_CASES['Query.organisations'], a, a)).not.toEqual([]);
  });

  it('has cases whose documents call their field', () => {
    const wrong = Object.entries(ISOLATION_CASES)
      .filter(([key, c]) => responseKeys(c.document, key.split('.')[1]).length === 0)
      .map(([key]) => key);
    expect(wrong).toEqual([]);
  });

  it('answers every operation but the public ones UNAUTHENTICATED without a key', async () => {
    const problems: string[] = [];
    for (const [key, c] of orderedCases()) {
      const res = await app.gql(c.document, c.variables?.(a, b));
      const errorCode = res.errors?.[0]?.extensions?.code;
      if (c.access === 'public') {
        if (res.errors) problems.push(`${key}: public, but failed without a key: ${JSON.stringify(res.errors)}`);
      } else if (errorCode !== (c.withoutKey ?? 'UNAUTHENTICATED')) {
        problems.push(
          `${key}: expected ${c.withoutKey ?? 'UNAUTHENTICATED'} without a key, got ${JSON.stringify(res.errors ?? res.data)}`,
        );
      } else if (res.data && Object.values(res.data).some((v) => v !== null)) {
        problems.push(`${key}: returned data without a key`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("gives firm B nothing of firm A through any operation, and leaves A's data unchanged", async () => {
    const dataSource = app.running.database.dataSource;
    const before = await snapshotFirm(dataSource, a.firmId);
    // A table without rows of firm A proves nothing: the fixture must fill every one.
    expect(
      Object.entries(before)
        .filter(([, rows]) => rows.length === 0)
        .map(([table]) => table),
    ).toEqual([]);
    expect(before['organisation.firm_id']).toHaveLength(2);
    expect(before['api_key.firm_id']).toHaveLength(3);

    const problems: string[] = [];
    for (const [key, c] of orderedCases()) problems.push(...(await runCase(app, key, c, a, b)));
    expect(problems).toEqual([]);

    const after = await snapshotFirm(dataSource, a.firmId);
    expect(after).toEqual(before);
  });
});
