import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { sendGraphQLError } from './error-shape';
import { requestOrigin } from './origin';

/** Seconds a browser may keep a positive preflight answer. */
const PREFLIGHT_MAX_AGE_S = 600;

/** How long the set of every firm's origins is kept before it is read again (other API processes may have changed it). */
export const FIRM_ORIGINS_TTL_MS = 5_000;

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = 'authorization, content-type, x-request-id, apollo-require-preflight, x-apollo-operation-name';

/**
 * Which web origins may call the API from a browser: those of the server setting
 * (CORS_ORIGINS, for every firm and for link tokens) and each firm's own `corsOrigins`
 * (only with that firm's API keys).
 */
export class CorsPolicy {
  private readonly serverOrigins: ReadonlySet<string>;
  private firmOrigins: Set<string> | null = null;
  private loadedAt = 0;
  private loading: Promise<Set<string>> | null = null;

  constructor(
    serverOrigins: readonly string[],
    private readonly dataSource: DataSource,
    private readonly ttlMs = FIRM_ORIGINS_TTL_MS,
  ) {
    this.serverOrigins = new Set(serverOrigins);
  }

  /** Whether `origin` is in the server setting: allowed for every request. */
  isServerOrigin(origin: string): boolean {
    return this.serverOrigins.has(origin);
  }

  /** Whether `origin` is in the server setting or in any firm's list (what a preflight, which carries no key, can know). */
  async isKnownOrigin(origin: string): Promise<boolean> {
    if (this.serverOrigins.has(origin)) return true;
    return (await this.allFirmOrigins()).has(origin);
  }

  /** Whether a request of `firmId`'s key may come from `origin`; read from the database, so a change applies at once. */
  async firmAllows(firmId: string, origin: string): Promise<boolean> {
    if (this.serverOrigins.has(origin)) return true;
    const rows: Array<{ allowed: boolean }> = await this.dataSource.query(
      'SELECT $2 = ANY(cors_origins) AS allowed FROM firm WHERE id = $1',
      [firmId, origin],
    );
    return rows[0]?.allowed === true;
  }

  /** Forgets the cached set of firm origins (this process changed a firm's list). */
  invalidate(): void {
    this.firmOrigins = null;
  }

  private async allFirmOrigins(): Promise<Set<string>> {
    if (this.firmOrigins && Date.now() - this.loadedAt < this.ttlMs) return this.firmOrigins;
    this.loading ??= (async () => {
      try {
        const rows: Array<{ origin: string }> = await this.dataSource.query(
          'SELECT DISTINCT unnest(cors_origins) AS origin FROM firm',
        );
        this.firmOrigins = new Set(rows.map((r) => r.origin));
        this.loadedAt = Date.now();
        return this.firmOrigins;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** A cross-origin request's origin that only some firms allow: checked against the key's firm once authenticated. */
    corsOriginToCheck?: string;
  }
}

function sameOrigin(request: FastifyRequest, origin: string): boolean {
  const host = request.headers.host;
  return (
    typeof host === 'string' &&
    (origin === `http://${host.toLowerCase()}` || origin === `https://${host.toLowerCase()}`)
  );
}

function allow(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin);
}

/**
 * CORS for /graphql. A preflight is answered positively for an origin of the server setting
 * or of any firm (it carries no key); an actual request from an unknown origin is refused
 * with 403 CORS_ORIGIN_NOT_ALLOWED and no CORS headers; one from an origin that only some
 * firms allow runs, and authentication refuses it unless the key's firm allows the origin.
 * Same-origin requests (the respondent page) and requests without Origin are untouched.
 */
export function registerCors(app: FastifyInstance, policy: CorsPolicy): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url !== '/graphql' && !request.url.startsWith('/graphql?')) return;
    const header = request.headers.origin;
    if (header === undefined) return;
    reply.header('vary', 'Origin');
    const origin = requestOrigin(header);
    if (origin !== null && sameOrigin(request, origin)) return;
    const known = origin !== null && (await policy.isKnownOrigin(origin));
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (!known) {
      return sendGraphQLError(
        reply,
        403,
        'CORS_ORIGIN_NOT_ALLOWED',
        `The origin ${JSON.stringify(String(header).slice(0, 200))} may not call this API from a browser. A firm ADMIN can allow it with updateFirmSettings(input: { corsOrigins }).`,
      );
    }
    allow(reply, origin);
    if (preflight) {
      reply.header('access-control-allow-methods', ALLOWED_METHODS);
      reply.header('access-control-allow-headers', ALLOWED_HEADERS);
      reply.header('access-control-max-age', String(PREFLIGHT_MAX_AGE_S));
      return reply.code(204).send();
    }
    if (!policy.isServerOrigin(origin)) request.corsOriginToCheck = origin;
  });
}
