import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Address ranges that are not the public Internet (IANA special-purpose registries). */
const NON_PUBLIC_RANGES: [address: string, prefix: number, family: 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network", unspecified
  ['10.0.0.0', 8, 'ipv4'], // private
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'], // loopback
  ['169.254.0.0', 16, 'ipv4'], // link-local (cloud metadata)
  ['172.16.0.0', 12, 'ipv4'], // private
  ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['192.0.2.0', 24, 'ipv4'], // documentation
  ['192.88.99.0', 24, 'ipv4'], // 6to4 relay anycast
  ['192.168.0.0', 16, 'ipv4'], // private
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['198.51.100.0', 24, 'ipv4'], // documentation
  ['203.0.113.0', 24, 'ipv4'], // documentation
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 96, 'ipv6'], // unspecified, loopback, IPv4-compatible
  ['64:ff9b::', 96, 'ipv6'], // NAT64 (would reach any IPv4 address, private ones included)
  ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
  ['100::', 64, 'ipv6'], // discard
  ['2001::', 23, 'ipv6'], // IETF protocol assignments (Teredo, ORCHID…)
  ['2001:db8::', 32, 'ipv6'], // documentation
  ['2002::', 16, 'ipv6'], // 6to4 (embeds any IPv4 address)
  ['fc00::', 7, 'ipv6'], // unique-local
  ['fe80::', 10, 'ipv6'], // link-local
  ['fec0::', 10, 'ipv6'], // site-local (deprecated)
  ['ff00::', 8, 'ipv6'], // multicast
];

/** Refused even for a host on WEBHOOK_ALLOWED_HOSTS: link-local, where cloud metadata services answer. */
const NEVER_RANGES: [string, number, 'ipv4' | 'ipv6'][] = [
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
  ['::a9fe:0', 112, 'ipv6'], // 169.254/16 written IPv4-compatible
  ['fd00:ec2::254', 128, 'ipv6'], // AWS's IPv6 metadata endpoint
];

function blockList(ranges: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const list = new BlockList();
  for (const [address, prefix, family] of ranges) list.addSubnet(address, prefix, family);
  return list;
}

// BlockList matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1, ::ffff:7f00:1) against IPv4 rules.
const NON_PUBLIC = blockList(NON_PUBLIC_RANGES);
const NEVER = blockList(NEVER_RANGES);

function family(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

export function isNonPublicAddress(address: string): boolean {
  return NON_PUBLIC.check(address, family(address));
}

export function isNeverAllowedAddress(address: string): boolean {
  return NEVER.check(address, family(address));
}

/** A target refused by the policy: at registration a 400, at delivery a failed attempt. */
export class TargetRefusedError extends Error {
  readonly code = 'ERR_WEBHOOK_TARGET_REFUSED';
}

/** dns.lookup with `all: true`, as the policy calls it (replaceable in tests). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The host of a URL as a resolver or allow list sees it: lower case, IPv6 without brackets. */
export function bareHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/**
 * Where webhooks may go: http(s) only, and only to public addresses. Every address a host
 * resolves to is checked (IPv4, IPv6 and IPv4-mapped), once when a URL is registered and again
 * when each delivery connects, through `lookup` on the HTTP agent, so the address the socket
 * uses is the one checked and a DNS answer that changed since registration (rebinding) cannot
 * reach a private network. Hosts on WEBHOOK_ALLOWED_HOSTS skip the public-address rule, never
 * the link-local one.
 */
export class TargetPolicy {
  private readonly allowed: Set<string>;

  constructor(
    allowedHosts: readonly string[] = [],
    private readonly resolve: Resolver = systemResolver,
  ) {
    this.allowed = new Set(
      allowedHosts.map((host) =>
        host
          .trim()
          .toLowerCase()
          .replace(/^\[(.*)\]$/, '$1'),
      ),
    );
  }

  /** Why `url` may not be a target (a sentence starting with the field name), or undefined. */
  async problem(field: string, url: string): Promise<string | undefined> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return `${field} must be an absolute http or https URL`;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${field} must use http or https`;
    if (parsed.username || parsed.password) return `${field} must not contain credentials`;
    try {
      await this.addressesOf(bareHost(parsed));
      return undefined;
    } catch (error) {
      if (error instanceof TargetRefusedError) return `${field} ${error.message}`;
      return `${field} host could not be resolved`;
    }
  }

  /** The host's addresses, or a TargetRefusedError when any of them is refused. */
  async addressesOf(host: string): Promise<LookupAddress[]> {
    const literal = isIP(host);
    const addresses = literal ? [{ address: host, family: literal }] : await this.resolve(host);
    if (addresses.length === 0) throw new Error(`no address for ${host}`);
    const allowed = this.allowed.has(host);
    for (const { address } of addresses) {
      if (isNeverAllowedAddress(address)) throw new TargetRefusedError('resolves to a link-local address');
      if (!allowed && isNonPublicAddress(address)) {
        throw new TargetRefusedError('resolves to a loopback, private or otherwise non-public address');
      }
    }
    return addresses;
  }

  /** For http.Agent's `lookup`: resolves through the policy, so a refused address is never connected to. */
  readonly lookup = (
    hostname: string,
    options: LookupOptions | LookupAllOptions | number,
    callback: LookupCallback,
  ): void => {
    const wanted = typeof options === 'number' ? options : (options.family ?? 0);
    const all = typeof options === 'object' && options.all === true;
    this.addressesOf(hostname.toLowerCase()).then(
      (addresses) => {
        const usable = wanted === 4 || wanted === 6 ? addresses.filter((a) => a.family === wanted) : addresses;
        if (usable.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`no IPv${wanted} address for ${hostname}`);
          error.code = 'ENOTFOUND';
          return callback(error, '');
        }
        if (all) callback(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
