// Refuses webhook URLs that would make the gateway call into its own network (SSRF): non-HTTP schemes and
// hosts that resolve to loopback, private, shared, link-local, unspecified, multicast or reserved addresses.
// Checked when a URL is configured and again before every delivery, since DNS answers can change.
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export type UrlRefusalReason =
  | 'invalid_url'
  | 'unsupported_scheme'
  | 'unresolvable'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

export class WebhookUrlNotAllowedError extends Error {
  override readonly name = 'WebhookUrlNotAllowedError';

  constructor(
    readonly reason: UrlRefusalReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface UrlGuardOptions {
  /** Allow internal addresses (trusted networks, tests). Schemes are still checked. */
  allowPrivate: boolean;
  /** Resolver, replaceable in tests; defaults to the system resolver (`dns.lookup`, all addresses). */
  lookup?: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

type AddressClass = Exclude<UrlRefusalReason, 'invalid_url' | 'unsupported_scheme' | 'unresolvable'>;

const RANGES: Record<AddressClass, [address: string, prefix: number][]> = {
  loopback: [['127.0.0.0', 8], ['::1', 128]],
  private: [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['100.64.0.0', 10], ['fc00::', 7]],
  link_local: [['169.254.0.0', 16], ['fe80::', 10]],
  unspecified: [['0.0.0.0', 8], ['::', 128]],
  multicast: [['224.0.0.0', 4], ['ff00::', 8]],
  // 240/4 includes the 255.255.255.255 broadcast address.
  reserved: [['240.0.0.0', 4]],
};

const BLOCKS = Object.entries(RANGES).map(([reason, ranges]) => {
  const list = new BlockList();
  for (const [address, prefix] of ranges) list.addSubnet(address, prefix, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  return [reason as AddressClass, list] as const;
});

/** The class of a non-public address (IPv4-mapped IPv6 included), or undefined for a public one. */
function classifyAddress(address: string): AddressClass | undefined {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  return BLOCKS.find(([, list]) => list.check(address, family))?.[0];
}

const systemLookup = (hostname: string) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * @throws WebhookUrlNotAllowedError with a `reason` and a message that says what to fix.
 */
export async function assertWebhookUrlAllowed(url: string, options: UrlGuardOptions): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new WebhookUrlNotAllowedError('invalid_url', 'webhook URL is not a valid absolute URL', { cause: err });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new WebhookUrlNotAllowedError(
      'unsupported_scheme',
      `webhook URL must use http or https, not ${parsed.protocol.slice(0, -1)}`,
    );
  }
  if (options.allowPrivate) return;

  // URL keeps IPv6 literals in brackets; the resolver and isIP want them bare.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await (options.lookup ?? systemLookup)(host)).map((entry) => entry.address);
    } catch (err) {
      throw new WebhookUrlNotAllowedError('unresolvable', `webhook host ${host} does not resolve`, { cause: err });
    }
    if (addresses.length === 0) {
      throw new WebhookUrlNotAllowedError('unresolvable', `webhook host ${host} does not resolve`);
    }
  }
  for (const address of addresses) {
    const refused = classifyAddress(address);
    if (refused) {
      throw new WebhookUrlNotAllowedError(
        refused,
        `webhook host ${host} resolves to ${address}, a ${refused.replace('_', '-')} address; ` +
          'use a public address, or allow private webhook targets in the configuration',
      );
    }
  }
}
