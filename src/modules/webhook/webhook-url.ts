import { isIP } from 'node:net';
import { isPublicAddress } from './webhook-address';

/**
 * Why `raw` cannot be a webhook endpoint's URL, or null when it can: an absolute https URL
 * (http too when private networks are allowed) without user name or password, whose host,
 * when it is an IP address or `localhost`, is public unless private networks are allowed.
 * Host names are resolved and checked again at every attempt.
 */
export function webhookUrlProblem(raw: string, allowPrivateNetworks: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && !(allowPrivateNetworks && url.protocol === 'http:')) {
    return allowPrivateNetworks
      ? 'must start with https:// or http://'
      : 'must start with https:// (http:// only with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true)';
  }
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.hash) return 'must not contain a #fragment';
  if (!allowPrivateNetworks) {
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const lower = host.toLowerCase().replace(/\.$/, '');
    if ((isIP(host) && !isPublicAddress(host)) || lower === 'localhost' || lower.endsWith('.localhost')) {
      return `must be a public address, not ${url.hostname}`;
    }
  }
  return null;
}
