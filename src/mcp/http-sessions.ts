// The streamable HTTP sessions of one HTTP server: each session is one SDK transport connected to its own
// MCP server instance (the SDK's rule: one transport per server instance). A request without a session id
// may only initialize a new one; an unknown id is a 404, so the client starts over. A session closes on
// DELETE, when the server closes, after `idleMs` without a request, or `goneMs` after its event stream (the
// client's GET) closed with no request since: a client that closes without DELETE (the SDK's
// `client.close()`) drops its stream, while a live one reconnects it within seconds. Running code is
// cancelled only on DELETE and server close: a session with a request open is never idle nor gone.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CodemodeMcp } from './tools.js';

export interface SessionLimits {
  /** Sessions open at once; an initialize beyond it gets 503. */
  maxSessions: number;
  /** A session with no request open for this long is closed. */
  idleMs: number;
  /** A session whose event stream closed, with no request since, is closed after this. */
  goneMs: number;
}

interface Entry {
  transport: StreamableHTTPServerTransport;
  instance: CodemodeMcp;
  /** Requests (including a GET event stream) still open. */
  open: number;
  /** True from when the client's last event stream closed until it opens another. */
  streamLost: boolean;
  lastSeen: number;
  /** Armed when the last event stream closes with nothing else open; any request disarms it. */
  goneTimer: NodeJS.Timeout | undefined;
  /** Set once the session is closed: nothing may arm a timer for it again (a timer would keep it alive). */
  closed: boolean;
}

export class HttpSessions {
  private readonly sessions = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly factory: () => CodemodeMcp,
    private readonly limits: SessionLimits,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(limits.idleMs, 60_000));
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const id = request.headers['mcp-session-id'];
    if (typeof id === 'string') {
      const entry = this.sessions.get(id);
      if (!entry) return sendJsonError(response, 404, -32001, 'Session not found: initialize a new session');
      this.track(entry, request, response);
      return entry.transport.handleRequest(request, response);
    }
    if (request.method !== 'POST') {
      return sendJsonError(response, 400, -32000, 'Bad Request: no Mcp-Session-Id header; send an initialize request first');
    }
    if (this.sessions.size >= this.limits.maxSessions) {
      return sendJsonError(response, 503, -32000, `Too many open sessions (${this.limits.maxSessions}); close one or retry later`);
    }
    return this.open(request, response);
  }

  /** Closes every session; their running code is cancelled. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const entries = [...this.sessions.values()];
    for (const entry of entries) this.forget(entry);
    await Promise.allSettled(entries.map((entry) => entry.instance.mcp.close()));
  }

  /** A request without a session: a new transport and server; kept only if the request initialized it. */
  private async open(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const instance = this.factory();
    let entry: Entry | undefined;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => {
        entry = { transport, instance, open: 0, streamLost: false, lastSeen: Date.now(), goneTimer: undefined, closed: false };
        this.sessions.set(sessionId, entry);
        this.track(entry, request, response);
      },
    });
    // Set before connect(): the SDK keeps this handler and calls it after its own cleanup.
    transport.onclose = () => {
      if (entry) this.forget(entry);
    };
    try {
      await instance.mcp.connect(transport);
      await transport.handleRequest(request, response);
    } finally {
      if (entry === undefined) await instance.mcp.close();
    }
  }

  private track(entry: Entry, request: IncomingMessage, response: ServerResponse): void {
    const stream = request.method === 'GET';
    entry.open++;
    if (stream) entry.streamLost = false;
    entry.lastSeen = Date.now();
    clearTimeout(entry.goneTimer);
    entry.goneTimer = undefined;
    response.once('close', () => {
      entry.open--;
      entry.lastSeen = Date.now();
      if (stream) entry.streamLost = true;
      // The client's stream is gone and nothing else is open: unless it comes back soon, so is the client.
      // A closed session's stream closes last (after DELETE): arming a timer then would hold the session,
      // its transport and its MCP server for `goneMs` after it ended.
      if (!entry.closed && entry.streamLost && entry.open === 0) {
        entry.goneTimer = setTimeout(() => this.drop(entry), this.limits.goneMs);
        entry.goneTimer.unref();
      }
    });
  }

  private drop(entry: Entry): void {
    if (entry.open > 0) return;
    this.forget(entry);
    void entry.instance.mcp.close().catch(() => {});
  }

  /** Takes a closed session out of the map and disarms its timer, so nothing here holds it any more. */
  private forget(entry: Entry): void {
    entry.closed = true;
    clearTimeout(entry.goneTimer);
    entry.goneTimer = undefined;
    const id = entry.transport.sessionId;
    if (id !== undefined && this.sessions.get(id) === entry) this.sessions.delete(id);
  }

  private sweep(): void {
    const cutoff = Date.now() - this.limits.idleMs;
    for (const entry of this.sessions.values()) {
      if (entry.open === 0 && entry.lastSeen <= cutoff) this.drop(entry);
    }
  }
}

/** A JSON-RPC error body with an HTTP status, as the SDK's transport answers its own errors. */
export function sendJsonError(response: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
