// Resolves a checked host once, refuses addresses it may not reach, and hands the connection exactly the
// vetted addresses (as the socket's `lookup`), so DNS cannot answer differently between check and connect.
// It must never let a socket resolve a name by itself, and never accept an address it could not classify.
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { ToolError } from '../shared/public-api.js';
import { canonicalIp, classifyAddress, type AddressKind } from './address.js';
import type { CheckedUrl, HostEntry } from './url-policy.js';

/** How host names become addresses. Default: the system resolver (`dns.lookup`, all addresses). */
export type Resolver = (hostname: string) => Promise<readonly { address: string; family?: number }[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Kinds an `allowPrivateAddresses` entry opens. Metadata, multicast and 0.0.0.0 stay closed. */
const PRIVATE_KINDS: ReadonlySet<AddressKind> = new Set(['loopback', 'private', 'link-local', 'cgnat', 'reserved']);

/** Whether an entry lets a request reach an address of this kind. */
export function addressAllowed(entry: HostEntry, address: string, kind: AddressKind): boolean {
  if (kind === 'invalid') return false;
  if (kind === 'public') return true;
  // An entry that is itself an IP literal names exactly that address.
  if (entry.ip) return canonicalIp(entry.host) === canonicalIp(address);
  // `localhost` can only mean this machine: naming it names the loopback addresses.
  if (entry.host === 'localhost' && !entry.wildcard) return kind === 'loopback';
  return entry.allowPrivate && !entry.wildcard && PRIVATE_KINDS.has(kind);
}

/** Addresses vetted during one fetch call, by hostname; the only answers its sockets ever get. */
export class VettedAddresses {
  private readonly byHost = new Map<string, LookupAddress[]>();
  constructor(private readonly resolver: Resolver) {}

  /** Resolves (once per call) and vets every address of the URL's host; refuses if any is off-limits. */
  async vet(checked: CheckedUrl, shown: string): Promise<void> {
    const { hostname, entry } = checked;
    const literal = canonicalIp(hostname);
    if (literal !== undefined) {
      refuseUnless(entry, hostname, shown, undefined);
      return;
    }
    if (this.byHost.has(hostname)) return;
    let answers: readonly { address: string; family?: number }[];
    try {
      answers = await this.resolver(hostname);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      throw new ToolError('host', `cannot resolve ${hostname}${code ? ` (${code})` : ''}`);
    }
    if (answers.length === 0) throw new ToolError('host', `cannot resolve ${hostname} (no addresses)`);
    const vetted: LookupAddress[] = [];
    // Every answer must pass: a name that resolves to one public and one private address is an attack
    // (or a misconfiguration) either way, and connecting would pick between them behind our back.
    for (const answer of answers) {
      refuseUnless(entry, answer.address, shown, hostname);
      vetted.push({ address: canonicalIp(answer.address)!, family: canonicalIp(answer.address)!.includes(':') ? 6 : 4 });
    }
    this.byHost.set(hostname, vetted);
  }

  /** The `lookup` for net/tls.connect: answers only with vetted addresses, and fails for anything else. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const vetted = this.byHost.get(hostname);
    if (vetted === undefined || vetted.length === 0) {
      callback(Object.assign(new Error(`${hostname} was not vetted`), { code: 'ENOTFOUND' }), '');
      return;
    }
    // With autoSelectFamily, net asks for all addresses; otherwise for one.
    if (options.all) callback(null, vetted);
    else callback(null, vetted[0]!.address, vetted[0]!.family);
  };
}

function refuseUnless(entry: HostEntry, address: string, shown: string, hostname: string | undefined): void {
  const kind = classifyAddress(address);
  if (addressAllowed(entry, address, kind)) return;
  const what = kind === 'invalid' ? 'an invalid address' : `a ${kind} address`;
  // A resolved address is not named: it would map the host's internal network for the model.
  const subject = hostname === undefined ? `${address} is ${what}` : `${hostname} resolves to ${what}`;
  throw new ToolError('denied', `${shown}: ${subject}, which is not reachable`, {
    hint:
      kind === 'metadata'
        ? 'Cloud metadata endpoints are reachable only through an allowlist entry naming their address.'
        : 'Only public addresses are reachable unless the host allows this one explicitly.',
  });
}
