import * as os from 'node:os';
import * as path from 'node:path';
import type { QueryLimits } from './graphql/query-limits';
import { MAX_ORIGINS, normaliseOrigin } from './http/origin';

/** How the process runs; `production` turns off introspection and the landing page. */
export type NodeEnv = 'development' | 'production' | 'test';

/** Validated configuration read from the environment at start. */
export interface AppConfig {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  /** A real PostgreSQL server; when absent, the embedded PostgreSQL in `dataDir` is used. */
  databaseUrl: string | null;
  /** Streaming replicas of `databaseUrl` (DATABASE_REPLICA_URLS) for benchmark and list reads; empty: all reads on the primary. */
  databaseReplicaUrls: string[];
  /** Folder of the embedded database (absolute). */
  dataDir: string;
  dbPoolSize: number;
  /** API processes sharing the port (Node's cluster); more than 1 only with `databaseUrl`. */
  apiProcesses: number;
  /** Named prepared statements on a real PostgreSQL server (off behind a pooler that does not keep them). */
  dbPreparedStatements: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Pretty, human-readable logs instead of JSON lines. */
  logPretty: boolean;
  /** Create a demo firm and print its key on first start (embedded database, never in production). */
  demoFirm: boolean;
  /** Load the seed frameworks on start. */
  seedOnStart: boolean;
  /** Milliseconds that requests in flight get to finish on SIGTERM/SIGINT. */
  shutdownTimeoutMs: number;
  /** The server's address as respondents' browsers reach it (absolute http(s) URL, no trailing slash): links are built on it. */
  publicUrl: string;
  /** Origins allowed to call the API from a browser for every firm (CORS_ORIGINS), normalised. */
  corsOrigins: string[];
  /** Largest request body in bytes (BODY_LIMIT_BYTES); a larger one is answered 413. */
  bodyLimitBytes: number;
  /** Depth, alias, root-field and cost limits of one operation (MAX_QUERY_DEPTH, MAX_QUERY_ALIASES, MAX_ROOT_FIELDS, MAX_QUERY_COST). */
  queryLimits: QueryLimits;
  /** Webhook delivery (docs/webhooks.md). */
  webhooks: WebhookConfig;
}

/** How webhooks are delivered (WEBHOOK_* variables). */
export interface WebhookConfig {
  /** Send to private, loopback and link-local addresses, and accept http:// URLs (never in production unless asked for). */
  allowPrivateNetworks: boolean;
  /** Milliseconds one attempt may take, connection and response included. */
  timeoutMs: number;
  /** Delay before the first retry; each later retry waits twice as long, up to `retryMaxDelayMs`. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** How long after the event a delivery is retried before it is given up (FAILED). */
  retryWindowMs: number;
  /** Endpoints whose deliveries one API process sends at once. */
  concurrency: number;
  /** Milliseconds between the worker's checks for due jobs (new jobs are also announced by NOTIFY on PostgreSQL). */
  pollIntervalMs: number;
}

/** A configuration value that does not have the expected form; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string | undefined,
  ) {
    super(`Invalid configuration: ${variable}=${JSON.stringify(got)} — expected ${expected}.`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  return value;
}

function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `one of ${allowed.join(', ')}`, raw);
  }
  return raw as T;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(name, 'true or false', raw);
}

function readDatabaseUrl(env: Env, name: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'a URL of the form postgres://user:password@host:5432/database', raw);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(name, 'a URL of the form postgres://user:password@host:5432/database', raw);
  }
  if (!url.pathname || url.pathname === '/') {
    throw new ConfigError(name, 'a URL that names a database, e.g. postgres://postgres@127.0.0.1:5432/app', raw);
  }
  return raw;
}

/** At most this many replicas: each API process keeps a pool for every one. */
const MAX_REPLICAS = 16;

/** DATABASE_REPLICA_URLS: comma-separated postgres:// URLs, only beside DATABASE_URL. */
function readReplicaUrls(env: Env, databaseUrl: string | null): string[] {
  const name = 'DATABASE_REPLICA_URLS';
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  if (databaseUrl === null) {
    // Replicas copy a PostgreSQL primary; the embedded database is neither.
    throw new ConfigError(
      name,
      'unset with the embedded database: read replicas need DATABASE_URL (their PostgreSQL primary)',
      raw,
    );
  }
  const urls: string[] = [];
  for (const part of raw.split(',')) {
    const url = part.trim();
    if (url === '') continue;
    try {
      readDatabaseUrl({ [name]: url }, name);
    } catch {
      throw new ConfigError(
        name,
        `comma-separated URLs of the form postgres://user:password@host:5432/database (${JSON.stringify(url)} is not one)`,
        raw,
      );
    }
    if (url === databaseUrl) throw new ConfigError(name, 'replica URLs other than DATABASE_URL (the primary)', raw);
    if (!urls.includes(url)) urls.push(url);
  }
  if (urls.length > MAX_REPLICAS) throw new ConfigError(name, `at most ${MAX_REPLICAS} replica URLs`, raw);
  return urls;
}

function readOrigins(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  const origins = new Set<string>();
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const result = normaliseOrigin(part);
    if ('problem' in result)
      throw new ConfigError(
        name,
        `comma-separated origins such as https://portal.example.com (${JSON.stringify(part.trim())} ${result.problem})`,
        raw,
      );
    origins.add(result.origin);
  }
  if (origins.size > MAX_ORIGINS) throw new ConfigError(name, `at most ${MAX_ORIGINS} origins`, raw);
  return [...origins];
}

/** The base URL a client uses for a server listening on `host`:`port` (a wildcard host is shown as 127.0.0.1). */
export function baseUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

/** PUBLIC_URL: an absolute http(s) URL without query or fragment; the trailing slash removed. */
function readPublicUrl(env: Env, port: number): string {
  const raw = env.PUBLIC_URL;
  if (raw === undefined || raw.trim() === '') return `http://localhost:${port}`;
  const expected = 'an absolute http(s) URL without query or fragment, e.g. https://survey.example.com';
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError('PUBLIC_URL', expected, raw);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.search !== '' ||
    url.hash !== '' ||
    raw.includes('#') ||
    raw.includes('?')
  ) {
    throw new ConfigError('PUBLIC_URL', expected, raw);
  }
  if (url.username !== '' || url.password !== '')
    throw new ConfigError('PUBLIC_URL', `${expected} (no user or password)`, raw);
  return url.toString().replace(/\/+$/, '');
}

/** API_PROCESSES: 1 to 64, or `auto` (one per CPU core on a PostgreSQL server, 1 on the embedded one); above 1 only on a PostgreSQL server. */
function readApiProcesses(env: Env, databaseUrl: string | null): number {
  const raw = env.API_PROCESSES;
  let count = 1;
  if (raw?.trim().toLowerCase() === 'auto') count = databaseUrl === null ? 1 : Math.min(64, os.availableParallelism());
  else if (raw !== undefined && raw !== '') {
    count = Number(raw.trim());
    if (!/^\d+$/.test(raw.trim()) || count < 1 || count > 64)
      throw new ConfigError('API_PROCESSES', 'an integer from 1 to 64, or auto (one per CPU core)', raw);
  }
  if (count > 1 && databaseUrl === null) {
    // The embedded database is one process's folder; a second process could not open it.
    throw new ConfigError(
      'API_PROCESSES',
      '1 with the embedded database (it serves a single process): set DATABASE_URL to run several',
      raw,
    );
  }
  return count;
}

/**
 * Reads and validates the configuration from environment variables.
 * Throws a {@link ConfigError} naming the first variable whose value has the wrong form.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): AppConfig {
  const nodeEnv = readEnum<NodeEnv>(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const host = env.HOST && env.HOST.trim() !== '' ? env.HOST.trim() : '0.0.0.0';
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host)) throw new ConfigError('HOST', 'a host name or IP address', env.HOST);
  const port = readInt(env, 'PORT', 4000, 0, 65535);
  const databaseUrl = readDatabaseUrl(env, 'DATABASE_URL');
  const databaseReplicaUrls = readReplicaUrls(env, databaseUrl);
  const dataDirRaw = env.DATA_DIR && env.DATA_DIR.trim() !== '' ? env.DATA_DIR : '.data';
  if (dataDirRaw.includes('\0')) throw new ConfigError('DATA_DIR', 'a folder path', env.DATA_DIR);
  const dataDir = path.resolve(cwd, dataDirRaw);
  const dbPoolSize = readInt(env, 'DB_POOL_SIZE', 10, 1, 200);
  const apiProcesses = readApiProcesses(env, databaseUrl);
  const dbPreparedStatements = readBool(env, 'DB_PREPARED_STATEMENTS', true);
  const logLevel = readEnum(
    env,
    'LOG_LEVEL',
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
    nodeEnv === 'test' ? 'warn' : 'info',
  );
  const logPretty = readBool(env, 'LOG_PRETTY', nodeEnv === 'development' && !env.CI && process.stdout.isTTY === true);
  const demoFirm = nodeEnv !== 'production' && databaseUrl === null && readBool(env, 'DEMO_FIRM', true);
  const seedOnStart = readBool(env, 'SEED_ON_START', true);
  const shutdownTimeoutMs = readInt(env, 'SHUTDOWN_TIMEOUT_MS', 10000, 0, 600000);
  const publicUrl = readPublicUrl(env, port);
  const corsOrigins = readOrigins(env, 'CORS_ORIGINS');
  const bodyLimitBytes = readInt(env, 'BODY_LIMIT_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024);
  const queryLimits: QueryLimits = {
    maxDepth: readInt(env, 'MAX_QUERY_DEPTH', 15, 2, 1000),
    maxAliases: readInt(env, 'MAX_QUERY_ALIASES', 30, 0, 100000),
    maxRootFields: readInt(env, 'MAX_ROOT_FIELDS', 20, 1, 100000),
    maxCost: readInt(env, 'MAX_QUERY_COST', 10000, 1, 100000000),
  };
  const webhooks: WebhookConfig = {
    allowPrivateNetworks: readBool(env, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
    timeoutMs: readInt(env, 'WEBHOOK_TIMEOUT_MS', 10000, 100, 60000),
    retryBaseDelayMs: readInt(env, 'WEBHOOK_RETRY_BASE_DELAY_MS', 30000, 10, 3600000),
    retryMaxDelayMs: readInt(env, 'WEBHOOK_RETRY_MAX_DELAY_MS', 4 * 3600000, 10, 24 * 3600000),
    retryWindowMs: readInt(env, 'WEBHOOK_RETRY_WINDOW_MS', 24 * 3600000, 0, 7 * 24 * 3600000),
    concurrency: readInt(env, 'WEBHOOK_CONCURRENCY', 2, 1, 20),
    pollIntervalMs: readInt(env, 'WEBHOOK_POLL_INTERVAL_MS', 2000, 50, 60000),
  };
  return {
    nodeEnv,
    host,
    port,
    databaseUrl,
    databaseReplicaUrls,
    dataDir,
    dbPoolSize,
    apiProcesses,
    dbPreparedStatements,
    logLevel,
    logPretty,
    demoFirm,
    seedOnStart,
    shutdownTimeoutMs,
    publicUrl,
    corsOrigins,
    bodyLimitBytes,
    queryLimits,
    webhooks,
  };
}
