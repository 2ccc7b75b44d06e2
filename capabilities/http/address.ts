// Classifies IP addresses: which ones are ordinary public unicast, and which reach the host itself, its
// networks or the cloud it runs in. It works on bytes, so every textual form (IPv4-mapped IPv6, NAT64,
// 6to4, zone ids) lands on the same answer. Anything it cannot parse or place is never 'public'.
import { isIPv4, isIPv6 } from 'node:net';

export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'multicast'
  | 'unspecified'
  | 'metadata'
  | 'reserved'
  | 'invalid';

/** Cloud instance-metadata endpoints (AWS, GCP, Azure, ECS, EKS, Alibaba, Oracle): credentials live there. */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', '169.254.170.23', '100.100.100.200', '192.0.0.192', 'fd00:ec2::254', 'fd00:ec2::23']);

/** IPv4 ranges that are not public unicast, most specific first. [first octets, prefix length, kind]. */
const V4_RANGES: readonly [number, number, AddressKind][] = [
  [0x00000000, 8, 'unspecified'], // 0.0.0.0/8 "this network"; 0.0.0.0 reaches localhost on Linux
  [0x0a000000, 8, 'private'], // 10.0.0.0/8
  [0x64400000, 10, 'cgnat'], // 100.64.0.0/10
  [0x7f000000, 8, 'loopback'], // 127.0.0.0/8
  [0xa9fe0000, 16, 'link-local'], // 169.254.0.0/16
  [0xac100000, 12, 'private'], // 172.16.0.0/12
  [0xc0000000, 24, 'reserved'], // 192.0.0.0/24 protocol assignments
  [0xc0000200, 24, 'reserved'], // 192.0.2.0/24 documentation
  [0xc0586300, 24, 'reserved'], // 192.88.99.0/24 6to4 relay
  [0xc0a80000, 16, 'private'], // 192.168.0.0/16
  [0xc6120000, 15, 'reserved'], // 198.18.0.0/15 benchmarking
  [0xc6336400, 24, 'reserved'], // 198.51.100.0/24 documentation
  [0xcb007100, 24, 'reserved'], // 203.0.113.0/24 documentation
  [0xe0000000, 4, 'multicast'], // 224.0.0.0/4
  [0xf0000000, 4, 'reserved'], // 240.0.0.0/4 and the broadcast address
];

/** Parses strict dotted-quad IPv4 or any IPv6 text (with an optional zone id) into 4 or 16 bytes. */
export function parseIp(text: string): Uint8Array | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIPv4(bare)) return Uint8Array.from(bare.split('.').map(Number));
  const zoneless = bare.split('%')[0]!;
  if (!isIPv6(zoneless)) return undefined;
  let body = zoneless.toLowerCase();
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = tail.split('.').map(Number);
    body = `${body.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head, rest] = body.split('::') as [string, string | undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...restGroups].map((g) => parseInt(g, 16));
  if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

/** One text per address, for comparing an entry's literal with a resolved address. */
export function canonicalIp(text: string): string | undefined {
  const bytes = parseIp(text);
  if (!bytes) return undefined;
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // Compress the longest run of zero groups, as URL and inet_ntop do.
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best === -1) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`;
}

/** What an address reaches. Only 'public' is open to hosts that did not name the address explicitly. */
export function classifyAddress(text: string): AddressKind {
  const bytes = parseIp(text);
  if (!bytes) return 'invalid';
  if (METADATA.has(canonicalIp(text)!)) return 'metadata';
  return bytes.length === 4 ? classifyV4(bytes) : classifyV6(bytes);
}

function classifyV4(bytes: Uint8Array): AddressKind {
  const value = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  if (METADATA.has(bytes.join('.'))) return 'metadata';
  for (const [base, prefix, kind] of V4_RANGES) {
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    if (((value & mask) >>> 0) === base) return kind;
  }
  return 'public';
}

function classifyV6(b: Uint8Array): AddressKind {
  const zeroUpTo = (n: number) => b.subarray(0, n).every((x) => x === 0);
  const word = (i: number) => (b[i * 2]! << 8) | b[i * 2 + 1]!;
  const v4At = (i: number) => classifyV4(b.subarray(i, i + 4));
  if (zeroUpTo(16)) return 'unspecified';
  if (zeroUpTo(15) && b[15] === 1) return 'loopback';
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-translated ::ffff:0:a.b.c.d carry an IPv4 address: judge that.
  if (zeroUpTo(10) && word(5) === 0xffff) return v4At(12);
  if (zeroUpTo(8) && word(4) === 0xffff && word(5) === 0) return v4At(12);
  // IPv4-compatible ::a.b.c.d is deprecated; nothing legitimate uses it.
  if (zeroUpTo(12)) return 'reserved';
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the embedded IPv4 address.
  if (word(0) === 0x64 && word(1) === 0xff9b && word(2) === 0 && word(3) === 0 && word(4) === 0 && word(5) === 0) return v4At(12);
  if (word(0) === 0x64 && word(1) === 0xff9b && word(2) === 1) return 'private'; // 64:ff9b:1::/48 local NAT64
  if (word(0) === 0x2002) return v4At(2);
  if (word(0) === 0x2001 && word(1) < 0x200) return 'reserved'; // 2001::/23 incl. Teredo
  if (word(0) === 0x2001 && word(1) === 0xdb8) return 'reserved'; // documentation
  if ((word(0) & 0xfff0) === 0x3ff0) return 'reserved'; // 3fff::/20 documentation
  if (word(0) === 0x5f00) return 'reserved'; // SRv6 SIDs
  if ((b[0]! & 0xfe) === 0xfc) return 'private'; // fc00::/7 unique local
  if (word(0) >= 0xfe80 && word(0) <= 0xfebf) return 'link-local'; // fe80::/10
  if (word(0) >= 0xfec0 && word(0) <= 0xfeff) return 'private'; // fec0::/10 site-local (deprecated)
  if (b[0] === 0xff) return 'multicast';
  // Only 2000::/3 is allocated for global unicast; everything else is unassigned or special.
  return (b[0]! & 0xe0) === 0x20 ? 'public' : 'reserved';
}
