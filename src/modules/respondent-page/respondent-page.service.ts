import type { DataSource } from 'typeorm';
import { hashSecret } from '../firm/api-key.service';
import { TOKEN_PATTERN } from '../respondent/respondent.service';

/** The firm's settings a respondent's page shows. */
export interface PageBranding {
  firmId: string;
  firmName: string;
  brandColor: string | null;
  logoSha256: string | null;
  embedOrigins: string[];
}

/**
 * What a link token opens: the page (with its firm's branding), or why not. Unknown and
 * revoked tokens look the same (a revoked token's hash is not kept); an expired one is named.
 */
export type PageAccess =
  { state: 'open'; branding: PageBranding } | { state: 'expired'; embedOrigins: string[] } | { state: 'invalid' };

/** Looks a link token up for the page `GET /r/<token>` (without locking anything). */
export async function pageAccess(dataSource: DataSource, token: string): Promise<PageAccess> {
  if (!TOKEN_PATTERN.test(token)) return { state: 'invalid' };
  const rows: Array<{
    firm_id: string;
    token_active: boolean;
    name: string;
    brand_color: string | null;
    logo_sha256: string | null;
    embed_origins: string[];
  }> = await dataSource.query(
    `SELECT r.firm_id, COALESCE(r.token_expires_at > now(), false) AS token_active, f.name, f.brand_color, f.logo_sha256, f.embed_origins
       FROM respondent r JOIN firm f ON f.id = r.firm_id
      WHERE r.token_hash = $1`,
    [hashSecret(token)],
  );
  const row = rows[0];
  if (!row) return { state: 'invalid' };
  if (!row.token_active) return { state: 'expired', embedOrigins: row.embed_origins };
  return {
    state: 'open',
    branding: {
      firmId: row.firm_id,
      firmName: row.name,
      brandColor: row.brand_color,
      logoSha256: row.logo_sha256,
      embedOrigins: row.embed_origins,
    },
  };
}
