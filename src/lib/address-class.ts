// Owns the deny list of outbound requests: which IP addresses are not public (RFC 6890 and the IANA
// special-purpose registries), including IPv6 forms that carry an IPv4 address inside them.
import { isIP } from 'node:net';

export type AddressClass = 'loopback' | 'private' | 'link_local' | 'unspecified' | 'multicast' | 'reserved';

type Range = [network: bigint, prefix: number, bits: 32 | 128, refused: AddressClass];

const IPV4: [string, AddressClass][] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'private'], // shared address space (carrier-grade NAT)
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link_local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments
  ['192.0.2.0/24', 'reserved'], // documentation
  ['192.88.99.0/24', 'reserved'], // 6to4 relay anycast
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'], // benchmarking
  ['198.51.100.0/24', 'reserved'], // documentation
  ['203.0.113.0/24', 'reserved'], // documentation
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // includes the 255.255.255.255 broadcast address
];

const IPV6: [string, AddressClass][] = [
  ['64:ff9b:1::/48', 'reserved'], // local-use NAT64: where the IPv4 sits depends on the operator's prefix length
  ['100::/64', 'reserved'], // discard-only
  ['2001::/23', 'reserved'], // IETF protocol assignments, Teredo 2001::/32 among them
  ['2001:db8::/32', 'reserved'], // documentation
  ['3fff::/20', 'reserved'], // documentation
  ['fc00::/7', 'private'], // unique local
  ['fe80::/10', 'link_local'],
  ['fec0::/10', 'private'], // site local (deprecated)
  ['ff00::/8', 'multicast'],
];

const ranges = (table: [string, AddressClass][], bits: 32 | 128): Range[] =>
  table.map(([cidr, refused]) => {
    const [network = '', prefix = ''] = cidr.split('/');
    return [toBigInt(network), Number(prefix), bits, refused];
  });

const IPV4_RANGES = ranges(IPV4, 32);
const IPV6_RANGES = ranges(IPV6, 128);

const within = (value: bigint, [network, prefix, bits]: Range) => value >> BigInt(bits - prefix) === network >> BigInt(bits - prefix);
const top = (value: bigint, prefix: number) => value >> BigInt(128 - prefix);
const lowIPv4 = (value: bigint) => value & 0xffff_ffffn;

/** The class of a non-public address, or undefined for a public one. `address` must be an IP literal. */
export function classifyAddress(address: string): AddressClass | undefined {
  const value = toBigInt(address);
  if (isIP(address) === 4) return classifyIPv4(value);

  if (value === 0n) return 'unspecified';
  if (value === 1n) return 'loopback';
  // Forms that reach an IPv4 host: they are as public as that host.
  if (top(value, 96) === 0xffffn) return classifyIPv4(lowIPv4(value)); // IPv4-mapped ::ffff:a.b.c.d
  if (top(value, 96) === 0x64_ff9b_0000_0000_0000_0000n) return classifyIPv4(lowIPv4(value)); // NAT64 64:ff9b::/96
  if (top(value, 16) === 0x2002n) return classifyIPv4((value >> 80n) & 0xffff_ffffn); // 6to4 2002:aabb:ccdd::/48
  // Deprecated forms nothing legitimate uses: refused even around a public IPv4 address.
  if (top(value, 96) === 0n || top(value, 96) === 0xffff_0000n) {
    return classifyIPv4(lowIPv4(value)) ?? 'reserved'; // IPv4-compatible ::a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d
  }
  const refused = IPV6_RANGES.find((range) => within(value, range))?.[3];
  if (refused) return refused;
  // Only 2000::/3 is allocated for global unicast.
  return top(value, 3) === 1n ? undefined : 'reserved';
}

function classifyIPv4(value: bigint): AddressClass | undefined {
  return IPV4_RANGES.find((range) => within(value, range))?.[3];
}

function toBigInt(address: string): bigint {
  if (isIP(address) === 4) return address.split('.').reduce((sum, octet) => (sum << 8n) | BigInt(octet), 0n);
  // A trailing dotted quad becomes two hex groups; a zone (%eth0) is not part of the address.
  const text = address.split('%')[0]!.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}`,
  );
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const words = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return words.reduce((sum, word) => (sum << 16n) | BigInt(parseInt(word, 16)), 0n);
}
