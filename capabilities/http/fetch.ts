// One http.fetch call: check the URL, vet its addresses, send through a dispatcher whose sockets can only
// reach vetted addresses, follow redirects by hand (every hop checked again), cap time and size, and
// scrub host secrets from what is returned. Nothing from the host's configuration is ever returned.
import { ToolError } from '../shared/public-api.js';
import { decodeBody, readCapped, requestBody, type ResponseType } from './body.js';
import { checkModelHeaders, outgoingHeaders, type HeaderPolicy } from './headers.js';
import { VettedAddresses, type Resolver } from './resolve.js';
import { checkUrl, type HostEntry } from './url-policy.js';

export interface HttpLimits {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxRequestBytes: number;
  readonly maxRedirects: number;
}

export interface HttpConfig {
  readonly entries: readonly HostEntry[];
  readonly headers: HeaderPolicy;
  readonly resolver: Resolver;
  readonly limits: HttpLimits;
}

export interface FetchInput {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  bodyEncoding?: 'utf8' | 'base64';
  json?: unknown;
  responseType?: ResponseType;
  timeoutMs?: number;
  followRedirects?: boolean;
}

export interface FetchOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  url: string;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** CONNECT opens tunnels and TRACE/TRACK echo requests (headers included) back: never sent. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function checkMethod(method: string | undefined): string {
  const upper = (method ?? 'GET').toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) {
    throw new ToolError('denied', `method ${upper} is not allowed`, { hint: `Use one of ${[...METHODS].join(', ')}.` });
  }
  if (!METHODS.has(upper)) throw new ToolError('invalid_input', `method ${JSON.stringify(method)} is not supported; use one of ${[...METHODS].join(', ')}`);
  return upper;
}

export async function performFetch(config: HttpConfig, input: FetchInput, runSignal: AbortSignal): Promise<FetchOutput> {
  let method = checkMethod(input.method);
  const modelHeaders = checkModelHeaders(input.headers ?? {});
  let body = requestBody(input, method, config.limits.maxRequestBytes);
  const timeoutMs = Math.min(input.timeoutMs ?? config.limits.timeoutMs, config.limits.timeoutMs);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([runSignal, timeout]);
  // undici loads on the first request, so importing the capabilities for fs or env stays cheap.
  const { Agent, request } = await import('undici');
  const vetted = new VettedAddresses(config.resolver);
  // One dispatcher per call: its sockets resolve only through `vetted`, and nothing outlives the call.
  const agent = new Agent({ connect: { lookup: vetted.lookup, timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  let current = input.url;
  let origin: string | undefined;
  let crossedOrigin = false;
  let previous = '';
  try {
    for (let hop = 0; ; hop++) {
      const shown = JSON.stringify(current.length > 200 ? current.slice(0, 200) + '…' : current);
      const checked = await onHop(hop, previous, async () => {
        const result = checkUrl(current, config.entries);
        await vetted.vet(result, shown);
        return result;
      });
      if (origin !== undefined && checked.url.origin !== origin) crossedOrigin = true;
      origin ??= checked.url.origin;
      // Secrets go only to the origin the model asked for: once a server redirects elsewhere, none are
      // sent again on this call (even to a host whose key matches), as browsers do with Authorization.
      const secrets = crossedOrigin ? new Map<string, string>() : config.headers.secretsFor(checked);
      const headers = outgoingHeaders(modelHeaders, secrets, crossedOrigin, shown);
      if (body?.contentType !== undefined && !('content-type' in headers)) headers['content-type'] = body.contentType;
      const response = await request(checked.url, { dispatcher: agent, method: method as 'GET', headers, body: body?.bytes, signal }).catch((error: unknown) => {
        throw networkError(error, shown, runSignal, timeout, timeoutMs);
      });
      const location = response.headers.location;
      if ((input.followRedirects ?? true) && REDIRECTS.has(response.statusCode) && typeof location === 'string') {
        await response.body.dump().catch(() => undefined);
        if (hop >= config.limits.maxRedirects) throw new ToolError('host', `${shown}: more than ${config.limits.maxRedirects} redirects`);
        let next: URL;
        try {
          next = new URL(location, checked.url);
        } catch {
          throw new ToolError('host', `${shown} redirected to an invalid URL ${JSON.stringify(config.headers.scrub(location).slice(0, 200))}`);
        }
        // As browsers do: 303 turns into GET, and so do 301/302 after a POST; the body goes with it.
        if (response.statusCode === 303 || ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
          modelHeaders.delete('content-type');
        }
        previous = shown;
        current = next.href;
        continue;
      }
      const bytes = await readCapped(response.body, config.limits.maxResponseBytes, shown).catch((error: unknown) => {
        throw networkError(error, shown, runSignal, timeout, timeoutMs);
      });
      const responseHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value === undefined) continue;
        responseHeaders[name] = config.headers.scrub(Array.isArray(value) ? value.join(', ') : value);
      }
      const contentType = typeof response.headers['content-type'] === 'string' ? response.headers['content-type'] : undefined;
      return {
        status: response.statusCode,
        headers: responseHeaders,
        body: decodeBody(config.headers.scrubBytes(bytes), input.responseType ?? 'text', contentType, shown),
        url: config.headers.scrub(checked.url.href),
      };
    }
  } catch (error) {
    // A redirect URL or a server message may carry a secret back; errors are scrubbed like results.
    if (!(error instanceof ToolError)) throw error;
    const hint = error.hint === undefined ? {} : { hint: config.headers.scrub(error.hint) };
    throw new ToolError(error.kind, config.headers.scrub(error.message), hint);
  } finally {
    // destroy, not close: a half-read response (over the cap, timed out) must not keep its socket.
    await agent.destroy().catch(() => undefined);
  }
}

/** Runs a hop's checks; a refusal after a redirect says where the redirect came from. */
async function onHop<T>(hop: number, from: string, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (hop === 0 || !(error instanceof ToolError)) throw error;
    throw new ToolError(error.kind, `redirect from ${from}: ${error.message}`, error.hint === undefined ? {} : { hint: error.hint });
  }
}

/** Maps undici and socket failures to `host` errors whose messages carry no host configuration. */
function networkError(error: unknown, shown: string, runSignal: AbortSignal, timeout: AbortSignal, timeoutMs: number): ToolError {
  if (error instanceof ToolError) return error;
  if (runSignal.aborted) return new ToolError('host', `${shown}: the run ended before the response arrived`);
  if (timeout.aborted) return new ToolError('host', `${shown}: timed out after ${timeoutMs} ms`, { hint: 'Pass a larger timeoutMs (up to the host limit), or ask for less.' });
  const code = (error as { code?: string } | undefined)?.code;
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  const why = CODES[code ?? ''] ?? CODES[cause ?? ''] ?? `request failed (${code ?? cause ?? 'network error'})`;
  return new ToolError('host', `${shown}: ${why}`);
}

const CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for response headers',
  UND_ERR_BODY_TIMEOUT: 'timed out reading the response body',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
};
