import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApp, type RunningApp, type StartupStep } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config';
import { STARTUP_STEPS } from '../../src/startup';

/** A clean database for one test file: a fresh PostgreSQL database, or a fresh embedded folder. */
export interface TestDatabase {
  /** Set when running against TEST_DATABASE_URL. */
  databaseUrl: string | null;
  /** Set for the embedded database. */
  dataDir: string;
  drop(): Promise<void>;
}

/** True when the suite runs against a real PostgreSQL server (TEST_DATABASE_URL). */
export const ON_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);

/** Creates an empty database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssm-test-'));
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    return { databaseUrl: null, dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `ssm_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    dataDir,
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      const c = new Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The configuration a test server runs with on a given database. */
export function testConfig(db: TestDatabase, overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    ...loadConfig({ NODE_ENV: 'test' }),
    host: '127.0.0.1',
    port: 0,
    databaseUrl: db.databaseUrl,
    dataDir: db.dataDir,
    dbPoolSize: 5,
    logLevel: (process.env.TEST_LOG_LEVEL as AppConfig['logLevel']) || 'silent',
    logPretty: false,
    demoFirm: false,
    ...overrides,
  };
}

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>;
}

/** A running test server with a small GraphQL client. */
export interface TestApp {
  running: RunningApp;
  url: string;
  db: TestDatabase;
  config: AppConfig;
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Like `gql`, but fails (naming the errors) unless the response has no errors; returns `data`. */
  ok<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<T>;
  /** Stops the server; keeps the database unless `drop` is true. */
  stop(drop?: boolean): Promise<void>;
}

/** Sends one GraphQL request over HTTP. */
export async function postGraphQL<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GraphQLResponse['errors'] };
  return { status: res.status, data: body.data, errors: body.errors };
}

/**
 * Starts the real server over HTTP on a clean database (or on `db`, to test a restart).
 */
export async function startTestApp(
  options: { db?: TestDatabase; config?: Partial<AppConfig>; steps?: StartupStep[] } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const config = testConfig(db, options.config);
  const running = await startApp(config, options.steps ?? STARTUP_STEPS);
  return {
    running,
    url: running.url,
    db,
    config,
    gql: (query, variables, headers) => postGraphQL(running.url, query, variables, headers),
    async ok(query, variables, headers) {
      const res = await postGraphQL(running.url, query, variables, headers);
      if (res.errors) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
      return res.data;
    },
    async stop(drop = true) {
      await running.stop();
      if (drop) await db.drop();
    },
  };
}
