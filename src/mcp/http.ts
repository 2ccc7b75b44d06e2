// The HTTP front of CodeModeServer on node:http: `GET /health` for liveness (no token, says nothing about
// sessions), and the MCP streamable HTTP endpoint at `/mcp` behind the guards. Binds 127.0.0.1 unless told
// otherwise, because whoever reaches this port can run code against the host's tools.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodemodeError } from '../errors.js';
import { OBJECT, TEXT, checked, optional, resolveTable } from '../limits/rules.js';
import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SESSION_GONE_MS,
  DEFAULT_SESSION_IDLE_MS,
  HTTP_LIMITS,
  PORT,
  type LimitOptions,
} from '../limits/table.js';
import { BearerToken, addressedToLoopback, isLoopbackName } from './http-guard.js';
import { HttpSessions, sendJsonError } from './http-sessions.js';
import type { CodemodeMcp } from './tools.js';

export const DEFAULT_HTTP_HOST = '127.0.0.1';
export const MCP_PATH = '/mcp';
export const HEALTH_PATH = '/health';
export { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_SESSIONS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_SESSION_GONE_MS, DEFAULT_SESSION_IDLE_MS };
/** How often node checks the header and request timeouts: a slow client is cut off within this of its limit. */
const TIMEOUT_CHECK_MS = 1_000;

export interface HttpServeOptions extends LimitOptions<typeof HTTP_LIMITS> {
  /** TCP port; 0 picks a free one (read it from the result). */
  port: number;
  /** Interface to bind. Default `127.0.0.1`. Anything else exposes the server to the network: set a token. */
  host?: string;
  /** When set, every MCP request must carry `Authorization: Bearer <token>`; others get 401. */
  token?: string;
}

export interface HttpServer {
  /** The MCP endpoint, e.g. `http://127.0.0.1:8080/mcp`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** True when bound to a loopback address: only this machine can reach it. */
  readonly loopback: boolean;
  /** MCP sessions open now (diagnostics). */
  openSessions(): number;
  /** Stops listening and closes every session (running code is cancelled). */
  close(): Promise<void>;
}

/** Pages served beside the MCP endpoint under `path` (the inspector), which check the token themselves. */
export interface PageFront {
  readonly path: string;
  front(token: BearerToken): (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void>;
}

/**
 * Starts listening; resolves once the port is bound. Each MCP session gets a server from `factory`. `pages`
 * need a token: they log a person in with it.
 */
export async function serveHttp(options: HttpServeOptions, factory: () => CodemodeMcp, pages?: PageFront): Promise<HttpServer> {
  const settings = checkOptions(options);
  const token = settings.token === undefined ? undefined : new BearerToken(settings.token);
  if (pages && !token) throw new CodemodeError('INVALID_OPTION', `serveHttp: the page at ${pages.path} needs a \`token\`: it logs a person in with it`);
  const page = pages && token ? { path: pages.path, serve: pages.front(token) } : undefined;
  const loopback = isLoopbackName(settings.host);
  const sessions = new HttpSessions(factory, { maxSessions: settings.maxSessions, idleMs: settings.sessionIdleMs, goneMs: settings.sessionGoneMs });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (loopback && !addressedToLoopback(request)) {
      return sendJsonError(response, 403, -32000, 'Forbidden: this server answers only requests addressed to localhost');
    }
    if (path === HEALTH_PATH && request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"ok"}');
      return;
    }
    if (page && (path === page.path || path.startsWith(`${page.path}/`))) return page.serve(request, response, path);
    if (path !== MCP_PATH) return sendJsonError(response, 404, -32000, `Not found: the MCP endpoint is ${MCP_PATH}`);
    if (token && !token.matches(request.headers.authorization)) {
      return sendJsonError(response, 401, -32000, 'Unauthorized: send Authorization: Bearer <token>', { 'www-authenticate': 'Bearer' });
    }
    await sessions.handle(request, response);
  };

  const server = createServer(
    {
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_MS, settings.headersTimeoutMs),
    },
    (request, response) => {
      handle(request, response).catch(() => sendJsonError(response, 500, -32603, 'Internal server error'));
    },
  );
  // Beyond it node closes new connections at once: open sockets cost memory even before a request.
  server.maxConnections = settings.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}${MCP_PATH}`,
    host: settings.host,
    port,
    loopback,
    openSessions: () => sessions.size,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await sessions.close();
        server.closeAllConnections();
        await stopped;
      })()),
  };
}

function checkOptions(options: HttpServeOptions): Required<Omit<HttpServeOptions, 'token'>> & { token?: string } {
  const where = 'serveHttp';
  checked('options', OBJECT, options, where);
  // An empty token must not quietly mean "no token": a server that was meant to be protected stays closed.
  const token = options.token === undefined ? undefined : checked('token', TEXT, options.token, where);
  const limits = resolveTable(HTTP_LIMITS, [options], where);
  // node refuses a header timeout longer than the request timeout; say so in our words.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new CodemodeError('INVALID_OPTION', `${where}: expected \`headersTimeoutMs\` to be at most \`requestTimeoutMs\` (${limits.requestTimeoutMs}), got ${limits.headersTimeoutMs}`);
  }
  return {
    port: checked('port', PORT, options.port, where),
    host: optional('host', TEXT, options.host, DEFAULT_HTTP_HOST, where),
    ...limits,
    ...(token === undefined ? {} : { token }),
  };
}
