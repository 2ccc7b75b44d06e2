// Address classification: every textual form of a special address lands on the same, non-public kind.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalIp, classifyAddress, type AddressKind } from '../../capabilities/http/address.js';

const cases: [address: string, kind: AddressKind][] = [
  ['93.184.216.34', 'public'],
  ['8.8.8.8', 'public'],
  ['127.0.0.1', 'loopback'],
  ['127.255.0.9', 'loopback'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.1', 'public'],
  ['192.168.1.1', 'private'],
  ['169.254.1.1', 'link-local'],
  ['169.254.169.254', 'metadata'],
  ['169.254.170.2', 'metadata'],
  ['100.100.100.200', 'metadata'],
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['100.128.0.1', 'public'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['255.255.255.255', 'reserved'],
  ['192.0.2.5', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['::', 'unspecified'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['[::ffff:7f00:1]', 'loopback'],
  ['::ffff:169.254.169.254', 'metadata'],
  ['::ffff:a9fe:a9fe', 'metadata'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:8.8.8.8', 'public'],
  ['::ffff:0:127.0.0.1', 'loopback'],
  ['::127.0.0.1', 'reserved'],
  ['64:ff9b::127.0.0.1', 'loopback'],
  ['64:ff9b::8.8.8.8', 'public'],
  ['64:ff9b:1::1', 'private'],
  ['2002:7f00:1::', 'loopback'],
  ['2002:0808:0808::1', 'public'],
  ['2001::1', 'reserved'],
  ['2001:db8::1', 'reserved'],
  ['fc00::1', 'private'],
  ['fd12:3456::1', 'private'],
  ['fd00:ec2::254', 'metadata'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf::1', 'link-local'],
  ['fec0::1', 'private'],
  ['ff02::1', 'multicast'],
  ['2606:4700::1111', 'public'],
  ['4000::1', 'reserved'],
  ['0x7f.0.0.1', 'invalid'],
  ['2130706433', 'invalid'],
  ['localhost', 'invalid'],
  ['1.2.3', 'invalid'],
];

describe('classifyAddress', () => {
  for (const [address, kind] of cases) {
    it(`classifies ${address} as ${kind}`, () => assert.equal(classifyAddress(address), kind));
  }

  it('classifies what the URL parser makes of decimal, octal, hex and short IPv4 forms', () => {
    for (const host of ['2130706433', '0177.0.0.1', '0x7f.0.0.1', '0x7f000001', '127.1', '127.0.1', '%31%32%37.0.0.1', '１２７.0.0.1', '127.0.0.1.']) {
      const parsed = new URL(`http://${host}/`).hostname;
      assert.equal(classifyAddress(parsed), 'loopback', `${host} → ${parsed}`);
    }
    assert.equal(classifyAddress(new URL('http://0xa9.0xfe.0xa9.0xfe/').hostname), 'metadata');
    assert.equal(classifyAddress(new URL('http://[::ffff:169.254.169.254]/').hostname), 'metadata');
    assert.equal(classifyAddress(new URL('http://0/').hostname), 'unspecified');
  });
});

describe('canonicalIp', () => {
  it('writes one form per address', () => {
    assert.equal(canonicalIp('0:0:0:0:0:ffff:7f00:1'), canonicalIp('::ffff:127.0.0.1'));
    assert.equal(canonicalIp('[::1]'), '::1');
    assert.equal(canonicalIp('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
    assert.equal(canonicalIp('127.0.0.1'), '127.0.0.1');
    assert.equal(canonicalIp('example.com'), undefined);
  });
});
