import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAddress, type AddressClass } from './address-class.js';

describe('classifyAddress', () => {
  const refused: [string, AddressClass][] = [
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link_local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['192.88.99.1', 'reserved'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['febf::1', 'link_local'],
    ['fec0::1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['3fff::1', 'reserved'],
    ['100::1', 'reserved'],
    // IPv4 inside IPv6: the embedded address decides.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::7f00:1', 'loopback'], // IPv4-compatible
    ['::127.0.0.1', 'loopback'],
    ['::ffff:0:7f00:1', 'loopback'], // IPv4-translated
    ['::ffff:0:a9fe:a9fe', 'link_local'],
    ['64:ff9b::7f00:1', 'loopback'], // NAT64
    ['64:ff9b::10.1.2.3', 'private'],
    ['64:ff9b:1::1', 'reserved'], // local-use NAT64
    ['2002:7f00:1::', 'loopback'], // 6to4
    ['2002:a9fe:a9fe::1', 'link_local'],
    ['2002:c000:0201::1', 'reserved'],
    ['2001::1', 'reserved'], // Teredo
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ['2001:2::1', 'reserved'], // benchmarking
    // Deprecated embeddings are refused even around a public IPv4 address.
    ['::8.8.8.8', 'reserved'],
    ['::ffff:0:8.8.8.8', 'reserved'],
    // Outside 2000::/3, nothing is allocated for global unicast.
    ['4000::1', 'reserved'],
    ['5f00::1', 'reserved'],
  ];
  for (const [address, expected] of refused) {
    it(`refuses ${address} as ${expected}`, () => assert.equal(classifyAddress(address), expected));
  }

  const allowed = [
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '11.0.0.1',
    '100.128.0.1',
    '172.32.0.1',
    '192.0.1.1',
    '198.20.0.1',
    '223.255.255.255',
    '2606:4700::1111',
    '2a00:1450:4001::1',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:0808:0808::1',
    '2001:4860:4860::8888',
  ];
  for (const address of allowed) {
    it(`allows the public address ${address}`, () => assert.equal(classifyAddress(address), undefined));
  }
});
