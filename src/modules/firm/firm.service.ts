import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { BadInputError, NotFoundError, type InputProblem } from '../../graphql/errors';
import { decodeLogo, normaliseEmbedOrigins, normaliseHexColor } from './firm-branding';
import { Firm } from './firm.entity';
import { normaliseOrigin } from '../../http/origin';
import type { ApiKey, ApiKeyRole } from './api-key.entity';
import { createApiKey, getCurrentApiKey, type Principal } from './api-key.service';

/**
 * Creates a firm with its first ADMIN key; returns the firm and the key's secret (shown once).
 */
export async function createFirmWithAdminKey(
  manager: EntityManager,
  name: string,
): Promise<{ firm: Firm; adminKey: string }> {
  const firm = manager.create(Firm, { id: randomUUID(), name, sharesBenchmarks: false, corsOrigins: [] });
  await manager.insert(Firm, firm);
  const { secret } = await createApiKey(manager, firm.id, 'First admin key', 'ADMIN');
  return { firm, adminKey: secret };
}

/** The caller's firm. */
export async function getFirm(principal: Principal, dataSource: DataSource): Promise<Firm> {
  const firm = await dataSource.getRepository(Firm).findOneBy({ id: principal.firmId });
  // The key was just resolved to this firm, so it exists unless deleted in between.
  if (!firm) throw new NotFoundError('Firm', principal.firmId);
  return firm;
}

/** The caller's firm, its role and the key it authenticated with (for `me`). */
export async function getMe(
  principal: Principal,
  dataSource: DataSource,
): Promise<{ firm: Firm; role: ApiKeyRole; apiKey: ApiKey }> {
  const [firm, apiKey] = await Promise.all([getFirm(principal, dataSource), getCurrentApiKey(principal, dataSource)]);
  return { firm, role: principal.role, apiKey };
}

/** What updateFirmSettings may change; absent or null fields stay. */
export interface FirmSettingsChanges {
  name?: string | null;
  sharesBenchmarks?: boolean | null;
  embedOrigins?: string[] | null;
  brandColor?: string | null;
  logo?: string | null;
  corsOrigins?: string[] | null;
}

/**
 * Changes the caller's firm's settings; absent or null fields stay. Embed origins are
 * normalised, the brand colour checked, the logo decoded and sniffed; any problem refuses
 * the whole call (BAD_USER_INPUT naming each field) and changes nothing.
 */
export async function updateFirmSettings(
  principal: Principal,
  dataSource: DataSource,
  input: FirmSettingsChanges,
): Promise<Firm> {
  const changes: Partial<Firm> = {};
  const problems: InputProblem[] = [];
  if (input.name != null) changes.name = input.name.trim();
  if (input.sharesBenchmarks != null) changes.sharesBenchmarks = input.sharesBenchmarks;
  if (input.embedOrigins != null) {
    const { origins, problems: originProblems } = normaliseEmbedOrigins(input.embedOrigins, 'input.embedOrigins');
    problems.push(...originProblems);
    changes.embedOrigins = origins;
  }
  if (input.brandColor != null) {
    if (input.brandColor.trim() === '') changes.brandColor = null;
    else {
      const color = normaliseHexColor(input.brandColor);
      if (color) changes.brandColor = color;
      else problems.push({ path: 'input.brandColor', message: 'must be a hex colour such as #1f6feb or #0af' });
    }
  }
  if (input.logo != null) {
    if (input.logo.trim() === '') Object.assign(changes, { logo: null, logoContentType: null, logoSha256: null });
    else {
      const decoded = decodeLogo(input.logo);
      if ('problem' in decoded) problems.push({ path: 'input.logo', message: decoded.problem });
      else
        Object.assign(changes, {
          logo: decoded.logo.bytes,
          logoContentType: decoded.logo.contentType,
          logoSha256: decoded.logo.sha256,
        });
    }
  }
  if (input.corsOrigins != null) {
    // The input was validated: every entry normalises.
    changes.corsOrigins = [
      ...new Set(
        input.corsOrigins.map((raw) => {
          const result = normaliseOrigin(raw);
          return 'origin' in result ? result.origin : raw;
        }),
      ),
    ];
  }
  if (problems.length > 0) throw new BadInputError(problems);
  if (Object.keys(changes).length > 0) {
    await dataSource.getRepository(Firm).update({ id: principal.firmId }, changes);
  }
  return getFirm(principal, dataSource);
}

/** A firm's logo to serve: its bytes and type, when the firm has this logo (by its hash). */
export async function readFirmLogo(
  dataSource: DataSource,
  firmId: string,
  sha256: string,
): Promise<{ bytes: Buffer; contentType: string } | null> {
  const rows: Array<{ logo: Buffer; logo_content_type: string }> = await dataSource.query(
    'SELECT logo, logo_content_type FROM firm WHERE id = $1 AND logo_sha256 = $2 AND logo IS NOT NULL',
    [firmId, sha256],
  );
  return rows[0] ? { bytes: rows[0].logo, contentType: rows[0].logo_content_type } : null;
}
