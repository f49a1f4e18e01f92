import * as os from 'node:os';
import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      databaseUrl: null,
      dataDir: '/srv/app/.data',
      nodeEnv: 'development',
      demoFirm: true,
    });
  });

  it('sends webhooks only to public https URLs, retried for 24 hours, unless configured otherwise', () => {
    expect(loadConfig({}).webhooks).toEqual({
      allowPrivateNetworks: false,
      timeoutMs: 10000,
      retryBaseDelayMs: 30000,
      retryMaxDelayMs: 4 * 3600000,
      retryWindowMs: 24 * 3600000,
      concurrency: 2,
      pollIntervalMs: 2000,
    });
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_TIMEOUT_MS: '500' }).webhooks).toMatchObject({
      allowPrivateNetworks: true,
      timeoutMs: 500,
    });
  });

  it('turns the demo firm off in production and on a real server', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).demoFirm).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).demoFirm).toBe(false);
  });

  it('reads DATABASE_REPLICA_URLS beside DATABASE_URL, naming the URL that is not one', () => {
    const primary = { DATABASE_URL: 'postgres://u@primary:5432/db' };
    expect(loadConfig(primary).databaseReplicaUrls).toEqual([]);
    expect(loadConfig({ ...primary, DATABASE_REPLICA_URLS: ' ' }).databaseReplicaUrls).toEqual([]);
    expect(
      loadConfig({
        ...primary,
        DATABASE_REPLICA_URLS: 'postgres://u@r1:5432/db, postgresql://u:p@r2:5433/db,,postgres://u@r1:5432/db',
      }).databaseReplicaUrls,
    ).toEqual(['postgres://u@r1:5432/db', 'postgresql://u:p@r2:5433/db']);
    const refusal = (value: string, env: Record<string, string> = primary): string => {
      try {
        loadConfig({ ...env, DATABASE_REPLICA_URLS: value });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refusal('postgres://u@r1:5432/db,mysql://u@r2/db')).toMatch(
      /DATABASE_REPLICA_URLS=.*"mysql:\/\/u@r2\/db" is not one/,
    );
    expect(refusal('postgres://u@r1:5432')).toContain('"postgres://u@r1:5432" is not one');
    expect(refusal('not a url')).toContain('"not a url" is not one');
    expect(refusal('postgres://u@primary:5432/db')).toContain('other than DATABASE_URL');
    expect(refusal('postgres://u@r1:5432/db', {})).toContain('unset with the embedded database');
    const many = Array.from({ length: 17 }, (_, i) => `postgres://u@r${i}:5432/db`).join(',');
    expect(refusal(many)).toContain('at most 16 replica URLs');
  });

  it('runs several API processes only on a PostgreSQL server', () => {
    const server = { DATABASE_URL: 'postgres://u@h:5432/db' };
    expect(loadConfig({}).apiProcesses).toBe(1);
    expect(loadConfig({ API_PROCESSES: '1' }).apiProcesses).toBe(1);
    expect(loadConfig({ ...server, API_PROCESSES: '3' }).apiProcesses).toBe(3);
    expect(loadConfig({ ...server, API_PROCESSES: 'auto' }).apiProcesses).toBe(Math.min(64, os.availableParallelism()));
    expect(loadConfig({ API_PROCESSES: 'auto' }).apiProcesses).toBe(1);
  });

  it('reads CORS origins, the body limit and the query limits', () => {
    const c = loadConfig({
      CORS_ORIGINS: ' https://Portal.Example.com:443 , http://localhost:3000,https://portal.example.com',
      BODY_LIMIT_BYTES: '2048',
      MAX_QUERY_DEPTH: '8',
      MAX_QUERY_ALIASES: '0',
      MAX_ROOT_FIELDS: '5',
      MAX_QUERY_COST: '100',
    });
    expect(c.corsOrigins).toEqual(['https://portal.example.com', 'http://localhost:3000']);
    expect(c.bodyLimitBytes).toBe(2048);
    expect(c.queryLimits).toEqual({ maxDepth: 8, maxAliases: 0, maxRootFields: 5, maxCost: 100 });
    expect(loadConfig({})).toMatchObject({
      corsOrigins: [],
      bodyLimitBytes: 5 * 1024 * 1024,
      queryLimits: { maxDepth: 15, maxAliases: 30, maxRootFields: 20, maxCost: 10000 },
    });
  });

  it.each([
    ['CORS_ORIGINS', 'https://portal.example.com/app', 'without a path'],
    ['CORS_ORIGINS', '*', 'wildcard'],
    ['CORS_ORIGINS', 'portal.example.com', 'comma-separated origins'],
    ['BODY_LIMIT_BYTES', '10', 'an integer from 1024'],
    ['MAX_QUERY_DEPTH', 'deep', 'an integer from 2'],
    ['MAX_QUERY_COST', '0', 'an integer from 1'],
    ['PORT', 'abc', 'an integer from 0 to 65535'],
    ['PORT', '70000', 'an integer from 0 to 65535'],
    ['NODE_ENV', 'staging', 'one of development, production, test'],
    ['DATABASE_URL', 'mysql://u@h/db', 'postgres://'],
    ['DATABASE_URL', 'not a url', 'postgres://'],
    ['DATABASE_URL', 'postgres://u@h:5432', 'names a database'],
    // Replicas need their primary.
    ['DATABASE_REPLICA_URLS', 'postgres://u@replica:5432/db', 'read replicas need DATABASE_URL'],
    ['DB_POOL_SIZE', '0', 'an integer from 1 to 200'],
    ['LOG_LEVEL', 'loud', 'one of fatal, error'],
    ['LOG_PRETTY', 'maybe', 'true or false'],
    ['DB_PREPARED_STATEMENTS', 'sometimes', 'true or false'],
    ['API_PROCESSES', '0', 'an integer from 1 to 64, or auto'],
    ['API_PROCESSES', 'many', 'an integer from 1 to 64, or auto'],
    ['API_PROCESSES', '  ', 'an integer from 1 to 64, or auto'],
    // The embedded database serves one process.
    ['API_PROCESSES', '2', 'set DATABASE_URL to run several'],
    ['PUBLIC_URL', 'survey.example.com', 'an absolute http(s) URL'],
    ['PUBLIC_URL', 'ftp://survey.example.com', 'an absolute http(s) URL'],
    ['PUBLIC_URL', 'https://survey.example.com/?a=1', 'without query or fragment'],
    ['PUBLIC_URL', 'https://survey.example.com/#top', 'without query or fragment'],
    ['PUBLIC_URL', 'https://user:secret@survey.example.com', 'no user or password'],
    ['WEBHOOK_ALLOW_PRIVATE_NETWORKS', 'sure', 'true or false'],
    ['WEBHOOK_TIMEOUT_MS', '10', 'an integer from 100 to 60000'],
    ['WEBHOOK_RETRY_WINDOW_MS', '-1', 'an integer from 0 to 604800000'],
    ['WEBHOOK_CONCURRENCY', '0', 'an integer from 1 to 20'],
  ])('%s=%s is refused with a message naming it', (variable, value, expected) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(variable);
    expect((error as Error).message).toContain(expected);
  });

  it('reads PUBLIC_URL without its trailing slash, defaulting to localhost on the port', () => {
    expect(loadConfig({}).publicUrl).toBe('http://localhost:4000');
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://survey.example.com/' }).publicUrl).toBe('https://survey.example.com');
    expect(loadConfig({ PUBLIC_URL: ' https://Example.com/assess//' }).publicUrl).toBe('https://example.com/assess');
  });
});
