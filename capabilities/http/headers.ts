// Request headers: what model code may set, the host's per-host secret headers, and scrubbing secrets out
// of anything returned. Secret values must never appear in a result or an error: they are added to the
// outgoing request here and nowhere else, and they are never read back.
import { CodemodeError, ToolError } from '../shared/public-api.js';
import { invalidOption } from '../shared/options.js';
import { entryMatches, parseEntry, type CheckedUrl, type HostEntry } from './url-policy.js';

/** Headers only the HTTP client may set: framing, routing, and method overrides that smuggle TRACE. */
const RESERVED = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'keep-alive',
  'expect',
  'proxy-authorization',
  'proxy-connection',
  'http2-settings',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
]);

/** Dropped from the model's headers when a redirect leaves the origin, as browsers do. */
const ORIGIN_BOUND = new Set(['authorization', 'cookie', 'proxy-authorization']);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\r\n\0]/;
const MAX_HEADERS = 64;
const MAX_HEADER_BYTES = 16 * 1024;
/** Shorter secrets are not scrubbed from responses: replacing a 3-character value would mangle text. */
const MIN_REDACT_LENGTH = 8;
export const REDACTED = '[REDACTED]';

/** One configured secret header set: the hosts it applies to, and the headers (names lowercase). */
interface SecretSet {
  readonly entry: HostEntry;
  readonly headers: ReadonlyMap<string, string>;
}

/** Host-side headers, by host pattern (same syntax as `allowedHosts`). */
export type SecretHeaders = Readonly<Record<string, Readonly<Record<string, string>>>>;

export class HeaderPolicy {
  private readonly sets: readonly SecretSet[];
  private readonly redactions: readonly Buffer[];

  constructor(where: string, option: unknown) {
    const sets: SecretSet[] = [];
    const values: string[] = [];
    if (option !== undefined) {
      if (typeof option !== 'object' || option === null || Array.isArray(option)) invalidOption(where, 'headers', 'an object of { "<host>": { "<Header>": "<value>" } }', option);
      for (const [pattern, headers] of Object.entries(option as Record<string, unknown>)) {
        const entry = parseEntry(where, `headers[${JSON.stringify(pattern)}]`, pattern);
        if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) invalidOption(where, `headers[${JSON.stringify(pattern)}]`, 'an object of header values', headers);
        const map = new Map<string, string>();
        for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
          // Never echo a secret value in an option error either: show only its type.
          if (!TOKEN.test(name) || RESERVED.has(name.toLowerCase())) invalidOption(where, `headers[${JSON.stringify(pattern)}] name`, 'a header name the client does not reserve', name);
          if (typeof value !== 'string' || BAD_VALUE.test(value)) {
            throw new CodemodeError('INVALID_OPTION', `${where}: expected \`headers[${JSON.stringify(pattern)}][${JSON.stringify(name)}]\` to be a string without CR, LF or NUL, got a ${typeof value} (value not shown)`);
          }
          map.set(name.toLowerCase(), value);
          values.push(value);
          // "Bearer <token>": the token alone may be echoed, so it is scrubbed on its own too.
          const credential = /^\S+\s+(\S.*)$/.exec(value)?.[1];
          if (credential !== undefined) values.push(credential);
        }
        sets.push({ entry, headers: map });
      }
    }
    this.sets = sets;
    this.redactions = [...new Set(values)]
      .filter((v) => v.length >= MIN_REDACT_LENGTH)
      .sort((a, b) => b.length - a.length)
      .map((v) => Buffer.from(v));
  }

  /** Secret headers for one request URL (lowercase names). */
  secretsFor(checked: CheckedUrl): Map<string, string> {
    const port = checked.url.port === '' ? (checked.url.protocol === 'https:' ? 443 : 80) : Number(checked.url.port);
    const out = new Map<string, string>();
    for (const set of this.sets) {
      if (!entryMatches(set.entry, checked.url.protocol, checked.url.hostname, port)) continue;
      for (const [name, value] of set.headers) out.set(name, value);
    }
    return out;
  }

  /** Replaces every configured secret value in bytes with [REDACTED]. Best effort: exact byte matches only. */
  scrubBytes(bytes: Buffer): Buffer {
    let out = bytes;
    for (const secret of this.redactions) {
      if (out.indexOf(secret) === -1) continue;
      const parts: Buffer[] = [];
      let from = 0;
      for (let at = out.indexOf(secret); at !== -1; at = out.indexOf(secret, from)) {
        parts.push(out.subarray(from, at), Buffer.from(REDACTED));
        from = at + secret.length;
      }
      parts.push(out.subarray(from));
      out = Buffer.concat(parts);
    }
    return out;
  }

  scrub(text: string): string {
    return this.redactions.some((s) => text.includes(s.toString())) ? this.scrubBytes(Buffer.from(text)).toString() : text;
  }
}

/** Validates the model's headers: names, values, reserved names, and names the host sets itself. */
export function checkModelHeaders(headers: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  const entries = Object.entries(headers);
  if (entries.length > MAX_HEADERS) throw new ToolError('invalid_input', `${entries.length} headers; the limit is ${MAX_HEADERS}`);
  let bytes = 0;
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) throw new ToolError('invalid_input', `header name ${JSON.stringify(name.slice(0, 80))} is not a valid HTTP token`);
    if (BAD_VALUE.test(value)) throw new ToolError('invalid_input', `header ${JSON.stringify(name)} contains CR, LF or NUL`);
    if (RESERVED.has(lower)) {
      throw new ToolError('denied', `header ${JSON.stringify(name)} cannot be set`, { hint: 'Host, framing, proxy and method-override headers are set by the HTTP client only.' });
    }
    bytes += name.length + value.length;
    out.set(lower, value);
  }
  if (bytes > MAX_HEADER_BYTES) throw new ToolError('invalid_input', `headers total ${bytes} bytes; the limit is ${MAX_HEADER_BYTES}`);
  return out;
}

/** The headers actually sent: the model's, minus origin-bound ones after a cross-origin hop, plus secrets. */
export function outgoingHeaders(model: ReadonlyMap<string, string>, secrets: ReadonlyMap<string, string>, crossedOrigin: boolean, shown: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of model) {
    if (crossedOrigin && ORIGIN_BOUND.has(name)) continue;
    if (secrets.has(name)) {
      throw new ToolError('denied', `${shown}: header ${JSON.stringify(name)} is set by the host for this URL and cannot be set by code`);
    }
    out[name] = value;
  }
  for (const [name, value] of secrets) out[name] = value;
  return out;
}
