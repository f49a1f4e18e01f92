import type { FastifyBaseLogger } from 'fastify';
import type { DataSource } from 'typeorm';

/** Per-request state handed to every resolver. */
export interface RequestContext {
  requestId: string;
  log: FastifyBaseLogger;
  dataSource: DataSource;
  databaseMode: 'embedded' | 'postgres';
  /** The raw `Authorization` header, resolved to a firm by the auth module on first use. */
  authorization: string | undefined;
  /** Called by the logging plugin so the request's log line can name the operation. */
  setOperationName(name: string): void;
}
