import type { FastifyBaseLogger } from 'fastify';
import type { DataSource } from 'typeorm';
import type { Principal } from './principal';
import type { Loaders } from './loaders';

/** Per-request state handed to every resolver. */
export interface RequestContext {
  requestId: string;
  log: FastifyBaseLogger;
  dataSource: DataSource;
  databaseMode: 'embedded' | 'postgres';
  /** The raw `Authorization` header, resolved to a firm by the auth module on first use. */
  authorization: string | undefined;
  /** Memoised result of authenticating the API key (see src/modules/firm/auth.ts). */
  principalPromise?: Promise<Principal>;
  /** Per-request DataLoaders, created on first use. */
  loaders: Loaders;
  /** Called by the logging plugin so the request's log line can name the operation. */
  setOperationName(name: string): void;
}
