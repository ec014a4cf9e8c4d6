// Owns the decision whether the gateway may call a URL (SSRF guard): http(s) only, the host resolved once, and
// every address it resolves to public unless private targets are allowed. Also the one error type of outbound
// requests, whose messages say what to fix without revealing resolved addresses or what answered.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress, type AddressClass } from './address-class.js';

export type UrlRefusalReason = 'invalid_url' | 'unsupported_scheme' | 'unresolvable' | AddressClass;
export type OutboundFailure = UrlRefusalReason | 'too_many_redirects' | 'timeout' | 'aborted' | 'network' | 'too_large';

export class OutboundRequestError extends Error {
  override readonly name = 'OutboundRequestError';

  constructor(
    readonly reason: OutboundFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface TargetOptions {
  /** Skip the address check (WAYGATE_WEBHOOK_ALLOW_PRIVATE: trusted networks, tests). Schemes are still checked. */
  allowPrivate: boolean;
  /** Replaces the system resolver (`dns.lookup`, all addresses), for tests. */
  lookup?: Resolver;
  /** Names the URL in messages: "webhook", "picture URL". Default "URL". */
  label?: string;
}

/** A URL whose host has been resolved once; requests must connect to these addresses only. */
export interface OutboundTarget {
  url: URL;
  /** The host without IPv6 brackets. */
  hostname: string;
  addresses: { address: string; family: 4 | 6 }[];
}

const systemLookup: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const ALLOW_HINT = 'use a public address, or set WAYGATE_WEBHOOK_ALLOW_PRIVATE=true to allow private targets';

/** @throws OutboundRequestError unless `url` is an absolute http(s) URL. */
export function parseOutboundUrl(url: string | URL, label = 'URL'): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new OutboundRequestError('invalid_url', `${label} is not a valid absolute URL`, { cause: err });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new OutboundRequestError('unsupported_scheme', `${label} must use http or https, not ${parsed.protocol.slice(0, -1)}`);
  }
  return parsed;
}

/**
 * @param redirected the URL came from a redirect: messages do not name its host, which the remote chose.
 * @throws OutboundRequestError with a refusal `reason`.
 */
export async function resolveTarget(url: string | URL, options: TargetOptions, redirected = false): Promise<OutboundTarget> {
  const label = options.label ?? 'URL';
  const parsed = parseOutboundUrl(url, label);
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const subject = `${label} refused: ${redirected ? 'it redirects to a host that' : `host ${hostname}`}`;
  const family = isIP(hostname);
  const addresses = family ? [{ address: hostname }] : await resolve(hostname, options.lookup ?? systemLookup, subject);
  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const refused = classifyAddress(address);
      if (refused) {
        const verb = family ? 'is' : 'resolves to';
        throw new OutboundRequestError(refused, `${subject} ${verb} a ${refused.replace('_', '-')} address; ${ALLOW_HINT}`);
      }
    }
  }
  return { url: parsed, hostname, addresses: addresses.map(({ address }) => ({ address, family: isIP(address) === 6 ? 6 : 4 })) };
}

async function resolve(hostname: string, lookup: Resolver, subject: string): Promise<{ address: string }[]> {
  let addresses: { address: string }[];
  try {
    addresses = await lookup(hostname);
  } catch (err) {
    throw new OutboundRequestError('unresolvable', `${subject} does not resolve; check the host name`, { cause: err });
  }
  if (addresses.length === 0) throw new OutboundRequestError('unresolvable', `${subject} does not resolve; check the host name`);
  return addresses;
}
