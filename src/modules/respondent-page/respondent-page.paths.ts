/** The path of a respondent's page: `/r/<token>`. */
export const RESPONDENT_PAGE_PREFIX = '/r/';

/** The link of a respondent's page on a server reached at `publicUrl`. */
export function respondentPageUrl(publicUrl: string, token: string): string {
  return `${publicUrl}${RESPONDENT_PAGE_PREFIX}${encodeURIComponent(token)}`;
}

/** A request URL for the log: the link token of a respondent's page replaced, so logs never hold it. */
export function redactPageToken(url: string): string {
  return url.startsWith(RESPONDENT_PAGE_PREFIX) ? url.replace(/^\/r\/[^/?#]*/, '/r/[token]') : url;
}
