// HttpCapability: HTTP(S) requests to allowlisted hosts only, from vetted addresses only, with host-side
// secret headers the model can neither read nor override. Options are checked once, here.
import { defineTool, type Capability, type ToolDefinition } from '../shared/public-api.js';
import { MAX_TIMER_MS, invalidOption, knownKeys, optionsObject, positiveInteger } from '../shared/options.js';
import { performFetch, type HttpConfig, type FetchInput } from './fetch.js';
import { HeaderPolicy, type SecretHeaders } from './headers.js';
import { systemResolver, type Resolver } from './resolve.js';
import { fetchInput, fetchOutput } from './schemas.js';
import { parseEntry, type AllowedHost } from './url-policy.js';
import { formatBytes } from '../shared/text.js';

/** Default and largest whole-request time, redirects and body included. */
export const DEFAULT_TIMEOUT_MS = 30_000;
// 4 MiB: as base64 (5.6M characters) a body this size still fits the executor's default cap on values
// crossing the bridge (8M characters), so the limit the model meets is this one, with its clear message.
/** Largest response body read, in bytes. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Largest request body sent, in bytes. */
export const DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Redirects followed before giving up. */
export const DEFAULT_MAX_REDIRECTS = 5;

export interface HttpCapabilityOptions {
  /**
   * Hosts model code may reach: `api.example.com` (https, port 443), `*.example.com` (subdomains only),
   * `host:8443`, `http://127.0.0.1:8080` (plain http only when written). Private, loopback, link-local
   * and CGNAT addresses are refused unless the entry is that IP literal, is `localhost`, or is written
   * `{ host, allowPrivateAddresses: true }`.
   */
  readonly allowedHosts: readonly AllowedHost[];
  /** Secret headers added by the host, by host pattern: `{ 'api.example.com': { Authorization: 'Bearer …' } }`. */
  readonly headers?: SecretHeaders;
  /** Default and maximum whole-request time in ms. Default {@link DEFAULT_TIMEOUT_MS} (30 s). */
  readonly timeoutMs?: number;
  /** Largest response body in bytes. Default {@link DEFAULT_MAX_RESPONSE_BYTES} (4 MiB). */
  readonly maxResponseBytes?: number;
  /** Largest request body in bytes. Default {@link DEFAULT_MAX_REQUEST_BYTES} (4 MiB). */
  readonly maxRequestBytes?: number;
  /** Redirects followed per call. Default {@link DEFAULT_MAX_REDIRECTS} (5). */
  readonly maxRedirects?: number;
  /** Name resolution, e.g. for tests. Default: the system resolver (`dns.lookup`, all addresses). */
  readonly lookup?: Resolver;
}

const WHERE = 'HttpCapability';

/** `codemode.http.fetch`: requests to the allowed hosts, and nowhere else. */
export class HttpCapability implements Capability {
  readonly name = 'http';
  readonly description: string;
  readonly tools: readonly ToolDefinition[];

  constructor(options: HttpCapabilityOptions) {
    const raw = optionsObject(WHERE, options);
    knownKeys(WHERE, raw, ['allowedHosts', 'headers', 'timeoutMs', 'maxResponseBytes', 'maxRequestBytes', 'maxRedirects', 'lookup']);
    if (!Array.isArray(raw.allowedHosts) || raw.allowedHosts.length === 0) {
      invalidOption(WHERE, 'allowedHosts', 'a non-empty array of host entries', raw.allowedHosts);
    }
    if (raw.lookup !== undefined && typeof raw.lookup !== 'function') invalidOption(WHERE, 'lookup', 'a function', raw.lookup);
    const maxRedirects = raw.maxRedirects === 0 ? 0 : positiveInteger(WHERE, 'maxRedirects', raw.maxRedirects, DEFAULT_MAX_REDIRECTS);
    const config: HttpConfig = Object.freeze({
      entries: Object.freeze((raw.allowedHosts as unknown[]).map((entry, i) => parseEntry(WHERE, `allowedHosts[${i}]`, entry))),
      headers: new HeaderPolicy(WHERE, raw.headers),
      resolver: (raw.lookup as Resolver | undefined) ?? systemResolver,
      limits: Object.freeze({
        timeoutMs: positiveInteger(WHERE, 'timeoutMs', raw.timeoutMs, DEFAULT_TIMEOUT_MS, { max: MAX_TIMER_MS, unit: 'milliseconds' }),
        maxResponseBytes: positiveInteger(WHERE, 'maxResponseBytes', raw.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES),
        maxRequestBytes: positiveInteger(WHERE, 'maxRequestBytes', raw.maxRequestBytes, DEFAULT_MAX_REQUEST_BYTES),
        maxRedirects,
      }),
    });
    this.description = `HTTP requests to: ${config.entries.map((e) => e.shown).join(', ')}.`;
    this.tools = Object.freeze([
      defineTool({
        name: 'fetch',
        description: `HTTP request to an allowed host. Resolves to { status, headers, body, url } for any status; rejects on network errors. Bodies over ${formatBytes(config.limits.maxResponseBytes)} are refused.`,
        input: fetchInput,
        output: fetchOutput,
        run: (input, { signal }) => performFetch(config, input as FetchInput, signal),
      }),
    ]);
  }
}
