import { AppError, ForbiddenError, UnauthenticatedError } from '../../graphql/errors';
import type { RequestContext } from '../../graphql/context';
import type { ApiKeyRole, Principal } from '../../graphql/principal';
import { findPrincipalByKey } from './api-key.service';

const RANK: Record<ApiKeyRole, number> = { VIEWER: 1, CONSULTANT: 2, ADMIN: 3 };

/** What a role may do, for error messages. */
const DESCRIPTION: Record<ApiKeyRole, string> = {
  VIEWER: 'read',
  CONSULTANT: 'manage organisations, frameworks and assessments',
  ADMIN: 'manage keys and firm settings',
};

/**
 * Resolves the request's API key once per request. Throws UNAUTHENTICATED for a missing,
 * malformed, unknown or revoked key.
 */
export async function authenticate(ctx: RequestContext): Promise<Principal> {
  ctx.principalPromise ??= (async () => {
    const header = ctx.authorization;
    if (!header) throw new UnauthenticatedError();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <key>".');
    if (match[1].startsWith('ssr_')) {
      throw new UnauthenticatedError(
        'This is a respondent link token (ssr_…), not an API key: it opens only the respondent operations (questionnaire, saveAnswers, submitResponse). Firm operations need an API key (ssm_…).',
      );
    }
    const principal = await findPrincipalByKey(ctx.dataSource, match[1]);
    if (!principal) throw new UnauthenticatedError('The API key is not valid (unknown, malformed or revoked).');
    if (ctx.corsOriginToCheck && ctx.cors && !(await ctx.cors.firmAllows(principal.firmId, ctx.corsOriginToCheck))) {
      throw new AppError(
        'CORS_ORIGIN_NOT_ALLOWED',
        `This key's firm does not allow browser requests from ${ctx.corsOriginToCheck}. A firm ADMIN can add it with updateFirmSettings(input: { corsOrigins }).`,
      );
    }
    return principal;
  })();
  return ctx.principalPromise;
}

/**
 * Authenticates and checks that the key's role is at least `role`
 * (VIEWER < CONSULTANT < ADMIN). Throws FORBIDDEN when it is lower.
 */
export async function requireRole(ctx: RequestContext, role: ApiKeyRole): Promise<Principal> {
  const principal = await authenticate(ctx);
  if (RANK[principal.role] < RANK[role]) {
    throw new ForbiddenError(
      `This operation needs a ${role} key (to ${DESCRIPTION[role]}); this key is ${principal.role}.`,
    );
  }
  return principal;
}
