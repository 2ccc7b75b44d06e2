// The allowlist of an HttpCapability and the URL check every request and every redirect hop goes through.
// A URL is parsed once with the WHATWG parser, and that same parsed URL is both checked and requested;
// nothing is decoded or re-parsed afterwards. It must never touch the network (no DNS here).
import { CodemodeError, ToolError } from '../shared/public-api.js';
import { invalidOption } from '../shared/options.js';
import { describeValue } from '../shared/public-api.js';
import { canonicalIp } from './address.js';

/** Entry type accepted by `allowedHosts`. */
export type AllowedHost = string | { readonly host: string; readonly allowPrivateAddresses?: boolean };

/** One parsed allowlist entry. */
export interface HostEntry {
  /** As the user wrote it; the only form hints show. */
  readonly shown: string;
  readonly scheme: 'http:' | 'https:';
  /** Lowercase, punycode, no trailing dot; IPv6 in brackets as the URL parser writes it. */
  readonly host: string;
  /** `*.example.com`: any subdomain of `host`, never `host` itself. */
  readonly wildcard: boolean;
  readonly port: number;
  /** The host is an IP literal: that exact address is allowed whatever its range. */
  readonly ip: boolean;
  /** Opted in to private, loopback, link-local and CGNAT addresses (never metadata, multicast, 0.0.0.0). */
  readonly allowPrivate: boolean;
}

/** A URL that passed the allowlist: the parsed URL to request and the entry that allowed it. */
export interface CheckedUrl {
  readonly url: URL;
  readonly entry: HostEntry;
  /** Hostname to connect to: no brackets, no trailing dot. */
  readonly hostname: string;
}

export const MAX_URL_LENGTH = 8192;
const DEFAULT_PORTS = { 'http:': 80, 'https:': 443 } as const;

/** Parses one allowlist entry (also used for the keys of per-host `headers`). Throws INVALID_OPTION. */
export function parseEntry(where: string, name: string, value: unknown): HostEntry {
  let text: unknown = value;
  let allowPrivate = false;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { host, allowPrivateAddresses, ...rest } = value as { host?: unknown; allowPrivateAddresses?: unknown };
    if (Object.keys(rest).length > 0) invalidOption(where, name, '{ host, allowPrivateAddresses? } (unknown key ' + Object.keys(rest)[0] + ')', value);
    if (allowPrivateAddresses !== undefined && typeof allowPrivateAddresses !== 'boolean') invalidOption(where, `${name}.allowPrivateAddresses`, 'a boolean', allowPrivateAddresses);
    text = host;
    allowPrivate = allowPrivateAddresses === true;
  }
  if (typeof text !== 'string' || text.length === 0) invalidOption(where, name, 'a host such as "api.example.com", "*.example.com", "host:8443" or "http://127.0.0.1:8080"', text);
  const bad = (why: string): never => {
    throw new CodemodeError('INVALID_OPTION', `${where}: expected \`${name}\` to be a host entry, got ${describeValue(text)}: ${why}`);
  };
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text);
  const scheme = schemeMatch ? `${schemeMatch[1]!.toLowerCase()}:` : 'https:';
  if (scheme !== 'http:' && scheme !== 'https:') bad('only http:// and https:// entries exist');
  let rest = schemeMatch ? text.slice(schemeMatch[0].length) : text;
  const wildcard = rest.startsWith('*.');
  if (wildcard) rest = rest.slice(2);
  if (rest.includes('*')) bad('"*" is only allowed as a leading "*." label');
  let url: URL;
  try {
    url = new URL(`${scheme}//${rest}`);
  } catch {
    return bad('not a valid host');
  }
  if (url.username !== '' || url.password !== '' || rest.includes('@')) bad('entries cannot carry credentials; use the `headers` option');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || /[/?#]/.test(rest)) bad('entries name a host, not a path');
  const host = stripDot(url.hostname);
  if (host === '') bad('the host is empty');
  const ip = canonicalIp(host) !== undefined;
  if (wildcard && ip) bad('a wildcard cannot apply to an IP address');
  // Anyone who can add a subdomain could point it inward: private addresses need an exact name.
  if (wildcard && allowPrivate) bad('allowPrivateAddresses needs an exact host, not a wildcard');
  const port = url.port === '' ? DEFAULT_PORTS[scheme as 'http:' | 'https:'] : Number(url.port);
  return { shown: text, scheme: scheme as 'http:' | 'https:', host, wildcard, port, ip, allowPrivate };
}

function stripDot(hostname: string): string {
  // `example.com.` is the same DNS name as `example.com`; one spelling keeps matching and Host exact.
  return hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
}

/** Whether an entry covers a URL's scheme, host and port. */
export function entryMatches(entry: HostEntry, scheme: string, host: string, port: number): boolean {
  if (entry.scheme !== scheme || entry.port !== port) return false;
  if (!entry.wildcard) return entry.host === host;
  return host.endsWith(`.${entry.host}`) && canonicalIp(host) === undefined;
}

function denied(shown: string, why: string, hint: string): ToolError {
  return new ToolError('denied', `${shown} ${why}`, { hint });
}

/** Checks a URL against the allowlist. Throws `invalid_input` for what is not a URL, `denied` for the rest. */
export function checkUrl(raw: string, entries: readonly HostEntry[]): CheckedUrl {
  const shown = JSON.stringify(raw.length > 200 ? raw.slice(0, 200) + '…' : raw);
  const hint = `Allowed hosts: ${entries.map((e) => e.shown).join(', ')}.`;
  if (raw.length > MAX_URL_LENGTH) throw new ToolError('invalid_input', `URL is ${raw.length} characters; the limit is ${MAX_URL_LENGTH}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ToolError('invalid_input', `${shown} is not a valid absolute URL`, { hint: 'Write the full URL, e.g. "https://api.example.com/v1/items".' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw denied(shown, `uses the ${url.protocol} scheme; only http: and https: are allowed`, hint);
  // The parser drops an empty "@" silently; any userinfo at all is refused, as written or as parsed.
  const authority = /^[a-zA-Z][a-zA-Z0-9+.-]*:[\\/]*([^\\/?#]*)/.exec(raw.trim())?.[1] ?? '';
  if (url.username !== '' || url.password !== '' || authority.includes('@')) {
    throw denied(shown, 'carries credentials (user:password@); they are not allowed in URLs', 'Send credentials in a header, or ask the host to configure them.');
  }
  const host = stripDot(url.hostname);
  const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  // Exact entries first: they decide whether private addresses are allowed for this host.
  const entry =
    entries.find((e) => !e.wildcard && entryMatches(e, url.protocol, host, port)) ??
    entries.find((e) => e.wildcard && entryMatches(e, url.protocol, host, port));
  if (!entry) throw denied(shown, `is not allowed (${url.protocol}//${host}:${port} is not in the allowed hosts)`, hint);
  if (host !== url.hostname) url.hostname = host;
  url.hash = '';
  const hostname = host.startsWith('[') ? host.slice(1, -1) : host;
  return { url, entry, hostname };
}
