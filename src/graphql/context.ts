import type { FastifyBaseLogger } from 'fastify';
import type { DataSource } from 'typeorm';
import type { Principal } from './principal';
import type { Loaders } from './loaders';
import type { CorsPolicy } from '../http/cors';
import type { RequestReads } from '../db/read-routing';

/** Per-request state handed to every resolver. */
export interface RequestContext {
  requestId: string;
  log: FastifyBaseLogger;
  /** The primary: every write, and every read that must see the latest state. */
  dataSource: DataSource;
  /**
   * Benchmark and list reads, which a read replica may serve once it has the firm's writes
   * (`ctx.reads.run(principal.firmId, (db) => …)`); released when the operation ends.
   */
  reads: RequestReads;
  databaseMode: 'embedded' | 'postgres';
  /** PUBLIC_URL: the base of links shown to clients (invitation links, logos, reports). */
  publicUrl: string;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: webhook URLs may be http:// and name private addresses. */
  allowPrivateWebhooks: boolean;
  /** The raw `Authorization` header, resolved to a firm by the auth module on first use. */
  authorization: string | undefined;
  /** A browser's origin that the key's firm must allow (CORS), when the server setting does not. */
  corsOriginToCheck?: string;
  cors?: CorsPolicy;
  /** Memoised result of authenticating the API key (see src/modules/firm/auth.ts). */
  principalPromise?: Promise<Principal>;
  /** Per-request DataLoaders, created on first use. */
  loaders: Loaders;
  /** Called by the logging plugin so the request's log line can name the operation. */
  setOperationName(name: string): void;
}
