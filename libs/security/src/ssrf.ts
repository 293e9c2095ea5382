import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Stable reasons a URL or address is refused; `UnsafeUrlError.message` says it for people. */
export type UnsafeUrlReason =
  | 'invalid_url'
  | 'url_too_long'
  | 'scheme_not_allowed'
  | 'https_required'
  | 'credentials_in_url'
  | 'port_not_allowed'
  | 'internal_hostname'
  | 'private_address'
  | 'invalid_address'
  | 'unresolvable_host';

export class UnsafeUrlError extends Error {
  readonly code = 'unsafe_url' as const;
  constructor(
    readonly reason: UnsafeUrlReason,
    message: string,
    readonly address?: string,
  ) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

export interface TargetPolicy {
  /** PINGBACK_ALLOW_PRIVATE_TARGETS: allows http, any port, private addresses and internal names. */
  allowPrivate: boolean;
}

/** Resolves a host name to every address it has. Injectable, so tests never resolve a real name. */
export type Resolver = (hostname: string) => Promise<readonly string[]>;

export const MAX_URL_LENGTH = 2048;

/** Names that only ever mean something inside a network: the name itself or any name under it. */
const INTERNAL_NAME_SUFFIXES = ['localhost', 'local', 'localdomain', 'internal', 'intranet', 'lan', 'home', 'corp', 'home.arpa'];
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * The checks that need no DNS: scheme, credentials, port, URL length, internal names and literal addresses
 * (in any form WHATWG URL accepts: decimal, hex, octal, short, IPv4-mapped IPv6). Returns the parsed URL.
 */
export function checkUrlSyntax(url: string | URL, { allowPrivate }: TargetPolicy): URL {
  const text = String(url);
  if (text.length > MAX_URL_LENGTH) throw new UnsafeUrlError('url_too_long', `URL is longer than ${MAX_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new UnsafeUrlError('invalid_url', 'not a valid absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UnsafeUrlError('scheme_not_allowed', `scheme "${parsed.protocol.replace(/:$/, '')}" is not allowed: use https`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new UnsafeUrlError('credentials_in_url', 'URLs with embedded credentials are not allowed');
  }
  if (allowPrivate) return parsed;

  if (parsed.protocol !== 'https:') throw new UnsafeUrlError('https_required', 'only https URLs are allowed');
  if (parsed.port !== '') throw new UnsafeUrlError('port_not_allowed', `port ${parsed.port} is not allowed: only 443`);
  const host = hostOf(parsed);
  if (isIP(host) !== 0) {
    checkResolvedAddress(host, { allowPrivate });
  } else if (isInternalName(host)) {
    throw new UnsafeUrlError('internal_hostname', `host "${host}" is an internal name`);
  }
  return parsed;
}

/** Throws unless the address is public unicast (or allowPrivate is on). Accepts any form ipaddr.js parses. */
export function checkResolvedAddress(address: string, { allowPrivate }: TargetPolicy): void {
  const range = addressRange(address);
  if (range === undefined) throw new UnsafeUrlError('invalid_address', `"${address}" is not an IP address`, address);
  if (!allowPrivate && range !== 'public') {
    throw new UnsafeUrlError('private_address', `address ${address} is not public (${range})`, address);
  }
}

/**
 * Registration-time check: the syntax checks, then every address the host resolves to. A name that does not
 * resolve is refused too. With allowPrivate nothing is resolved.
 */
export async function assertUrlSafe(
  url: string | URL,
  { allowPrivate, resolver = systemResolver }: TargetPolicy & { resolver?: Resolver },
): Promise<URL> {
  const parsed = checkUrlSyntax(url, { allowPrivate });
  const host = hostOf(parsed);
  if (allowPrivate || isIP(host) !== 0) return parsed;
  let addresses: readonly string[];
  try {
    addresses = await resolver(host);
  } catch {
    throw new UnsafeUrlError('unresolvable_host', `host "${host}" does not resolve`);
  }
  if (addresses.length === 0) throw new UnsafeUrlError('unresolvable_host', `host "${host}" does not resolve`);
  for (const address of addresses) checkResolvedAddress(address, { allowPrivate });
  return parsed;
}

/**
 * `'public'` for a globally routable unicast address, otherwise the special range it falls in (`'loopback'`,
 * `'private'`, `'linkLocal'`, `'carrierGradeNat'`, `'ipv4Mapped'`, `'uniqueLocal'`, `'reserved'`, …);
 * undefined when it is not an IP address.
 */
export function addressRange(address: string): string | undefined {
  const text = address.replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(text)) return undefined;
  const parsed = ipaddr.parse(text);
  const range = parsed.range();
  if (range !== 'unicast') return range;
  if (parsed.kind() === 'ipv6' && !(parsed as ipaddr.IPv6).match(GLOBAL_UNICAST_V6)) return 'reserved';
  return 'public';
}

export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'public';
}

/** The system resolver: every address, in the order the system returns them. */
export const systemResolver: Resolver = async (hostname) =>
  (await dns.lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '').toLowerCase();
}

function isInternalName(host: string): boolean {
  if (!host.includes('.')) return true; // a single label resolves through local search domains only
  return INTERNAL_NAME_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}
