/** At most this many allowed origins per firm (and in CORS_ORIGINS). */
export const MAX_ORIGINS = 50;

/**
 * The normalised form of a web origin (`scheme://host[:port]`, lower-case host, default port
 * left out), or a reason why `raw` is not one. Only http and https origins, without path,
 * query, fragment, user or wildcard, are accepted: a browser sends exactly that form.
 */
export function normaliseOrigin(raw: string): { origin: string } | { problem: string } {
  const text = raw.trim();
  if (text === '') return { problem: 'is empty' };
  if (text.length > 200) return { problem: 'is longer than 200 characters' };
  if (text.includes('*')) return { problem: 'contains a wildcard; list each origin' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'is not an origin of the form https://portal.example.com' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'must start with https:// or http://' };
  if (url.username || url.password) return { problem: 'must not contain a user name or password' };
  if (
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.hash ||
    /^[a-z]+:\/\/[^/]+\/./i.test(text) ||
    text.endsWith('?') ||
    text.endsWith('#')
  ) {
    return { problem: 'must be an origin only (scheme, host and port), without a path, query or fragment' };
  }
  return { origin: url.origin };
}

/** The normalised form of an `Origin` request header, or null for `null` or a malformed one. */
export function requestOrigin(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string' || header === 'null') return null;
  const result = normaliseOrigin(header);
  return 'origin' in result ? result.origin : null;
}
