/** The roles of an API key, least to most: VIEWER reads, CONSULTANT works, ADMIN manages. */
export type ApiKeyRole = 'ADMIN' | 'CONSULTANT' | 'VIEWER';

/**
 * The caller behind a valid API key. Defined here, not in the firm module, because the
 * request context carries it; the firm module (src/modules/firm/auth.ts) produces it.
 */
export interface Principal {
  firmId: string;
  keyId: string;
  role: ApiKeyRole;
}
