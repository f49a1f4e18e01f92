import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

// Every range that is not the public internet: RFC 6890 special-purpose blocks, private
// networks, loopback, link-local, CGNAT, multicast, documentation, and the IPv6 forms that
// carry an IPv4 address (mapped, NAT64, 6to4), which are checked by that address instead.
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) IPv6 address. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const groups = expandIpv6(lower);
  if (!groups) return null;
  const toV4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return toV4(groups[6], groups[7]);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0))
    return toV4(groups[6], groups[7]);
  if (groups[0] === 0x2002) return toV4(groups[1], groups[2]);
  return null;
}

function expandIpv6(address: string): number[] | null {
  if (address.includes('.')) return null;
  const [head, tail] = address.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const h = parse(head);
  const t = parse(tail);
  const groups = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** True for an IP address of the public internet (not private, loopback, link-local, reserved, …). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NON_PUBLIC.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return !NON_PUBLIC.check(v4, 'ipv4');
    return !NON_PUBLIC.check(address, 'ipv6');
  }
  return false;
}

/** A host that may not be sent to; the message says why (it is recorded with the attempt). */
export class DisallowedAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DisallowedAddressError';
  }
}

/** One address to connect to, checked. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves `host` (a name or an IP literal) and returns the address to connect to. Unless
 * private networks are allowed, every address the name resolves to must be public: a name
 * with one private address among public ones is refused too. The caller connects to exactly
 * this address, so a second resolution (DNS rebinding) cannot lead elsewhere.
 */
export async function resolveDeliveryAddress(host: string, allowPrivate: boolean): Promise<ResolvedAddress> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const family = isIP(bare);
  const addresses = family
    ? [{ address: bare, family: family as 4 | 6 }]
    : ((await lookup(bare, { all: true, verbatim: true })) as ResolvedAddress[]);
  if (addresses.length === 0) throw new DisallowedAddressError(`${host} resolves to no address`);
  if (!allowPrivate) {
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked) {
      throw new DisallowedAddressError(
        `${host} resolves to ${blocked.address}, which is not a public address (set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow it)`,
      );
    }
  }
  return addresses[0];
}
