// Upstream servers for the upstream suites: the three reference servers from npm over stdio, and one server
// over streamable HTTP on 127.0.0.1 built here from the SDK's low-level `Server`, so a test can make it
// fail in each way (isError, a slow call, a result that breaks its output schema, a changed tool list)
// and can check that its bearer token never reaches the model. Not a test file itself.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolRequest,
  type CallToolResult,
  type LoggingLevel,
  type ServerNotification,
  type ServerRequest,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig } from '../../src/mcp/index.js';

const require = createRequire(import.meta.url);

/** The bin script of a reference server package, run with this Node. */
function reference(name: 'everything' | 'filesystem' | 'memory'): string {
  return require.resolve(`@modelcontextprotocol/server-${name}/dist/index.js`);
}

export const SECRET_ENV = 'sk-env-0123456789abcdef';
export const SECRET_TOKEN = 'tok-http-0123456789abcdef';

/** The three reference servers over stdio: `dir` is what filesystem may touch and where memory keeps its graph. */
export function referenceServers(dir: string): Record<string, ServerConfig> {
  return {
    everything: { command: process.execPath, args: [reference('everything'), 'stdio'], env: { UPSTREAM_TEST_SECRET: SECRET_ENV } },
    filesystem: { command: process.execPath, args: [reference('filesystem'), dir] },
    memory: { command: process.execPath, args: [reference('memory')], env: { MEMORY_FILE_PATH: `${dir}/memory.jsonl` } },
  };
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface TestUpstream {
  url: string;
  /** HTTP requests received so far. */
  requests(): number;
  /** From now on every request is answered with `status` (as when a token is revoked). */
  refuse(status: 401 | 403): void;
  close(): Promise<void>;
}

/**
 * A streamable HTTP MCP server that answers only `Authorization: Bearer SECRET_TOKEN` (a 401 otherwise,
 * which repeats the header it got) and offers tools that each do one thing:
 *   whoami      a text that repeats the Authorization header (the model must see it masked)
 *   fail        isError with a message that contains the token
 *   slow        never answers until cancelled
 *   bad_output  structuredContent that breaks its own output schema
 *   unlock      adds the tool `unlocked` and sends notifications/tools/list_changed
 *   chatty      logs at debug, info (10 000 characters) and error (with the token), and reports progress
 *               1/2 (with the token) when the call carries a progress token
 *   flood       logs `count` info lines as fast as it can
 */
export async function testUpstream(): Promise<TestUpstream> {
  const tools: Tool[] = [
    { name: 'whoami', description: `Says which credentials reached the server.`, inputSchema: { type: 'object' } },
    { name: 'fail', description: 'Always fails.', inputSchema: { type: 'object' } },
    { name: 'slow', description: 'Answers when cancelled.', inputSchema: { type: 'object' } },
    {
      name: 'bad_output',
      description: 'Breaks its output schema.',
      inputSchema: { type: 'object' },
      outputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
    },
    { name: 'unlock', description: 'Adds the tool `unlocked`.', inputSchema: { type: 'object' } },
    { name: 'chatty', description: 'Logs and reports progress.', inputSchema: { type: 'object' } },
    { name: 'flood', description: 'Logs many lines.', inputSchema: { type: 'object', properties: { count: { type: 'number' } }, required: ['count'] } },
  ];
  const servers = new Set<Server>();
  const call = async (server: Server, params: CallToolRequest['params'], request: IncomingMessage | undefined, extra: Extra): Promise<CallToolResult> => {
    const { name } = params;
    const signal = extra.signal;
    const log = (level: LoggingLevel, data: unknown) => extra.sendNotification({ method: 'notifications/message', params: { level, logger: 'test', data } });
    switch (name) {
      case 'whoami':
        return { content: [{ type: 'text', text: `you sent ${request?.headers.authorization}` }] };
      case 'fail':
        return { content: [{ type: 'text', text: `refused token ${SECRET_TOKEN}` }], isError: true };
      case 'slow':
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        return { content: [] };
      case 'bad_output':
        return { content: [{ type: 'text', text: '{"n":"x"}' }], structuredContent: { n: 'x' } };
      case 'unlock':
        if (!tools.some((tool) => tool.name === 'unlocked')) tools.push({ name: 'unlocked', description: 'Exists after unlock.', inputSchema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } });
        await server.sendToolListChanged();
        return { content: [{ type: 'text', text: 'unlocked' }] };
      case 'chatty': {
        await log('debug', 'quiet');
        await log('info', 'x'.repeat(10_000));
        await log('error', `loud ${SECRET_TOKEN}`);
        const progressToken = params._meta?.progressToken;
        if (progressToken !== undefined) {
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: 1, total: 2, message: `half ${SECRET_TOKEN}` } });
        }
        return { content: [{ type: 'text', text: 'said it all' }] };
      }
      case 'flood':
        await Promise.all(Array.from({ length: Number(params.arguments?.count) }, (_, n) => log('info', `line ${n}`)));
        return { content: [{ type: 'text', text: 'flooded' }] };
      case 'unlocked':
        return { content: [{ type: 'text', text: 'open' }] };
      default:
        return { content: [{ type: 'text', text: `no tool ${name}` }], isError: true };
    }
  };

  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let requests = 0;
  let refusing: number | undefined;
  const http: HttpServer = createServer((req, res) => {
    requests++;
    if (req.headers.authorization !== `Bearer ${SECRET_TOKEN}` || refusing !== undefined) {
      res.writeHead(refusing ?? 401, { 'content-type': 'text/plain' }).end(`unauthorized: ${req.headers.authorization}`);
      return;
    }
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!transport) {
      const server = new Server({ name: 'remote', version: '1.0.0' }, { capabilities: { tools: { listChanged: true }, logging: {} }, instructions: 'A test server on 127.0.0.1.' });
      servers.add(server);
      server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
      server.setRequestHandler(CallToolRequestSchema, (request, extra) => call(server, request.params, req, extra));
      const created = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, onsessioninitialized: (sessionId) => void sessions.set(sessionId, created) });
      transport = created;
      void server.connect(created).then(() => created.handleRequest(req, res));
      return;
    }
    void transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests: () => requests,
    refuse: (status) => void (refusing = status),
    close: async () => {
      await Promise.allSettled([...servers].map((server) => server.close()));
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/**
 * A streamable HTTP MCP server on 127.0.0.1 (stateless) whose tools/list is `list(cursor)`: for the caps on
 * what a server may list. Not a test file itself.
 */
export async function listingUpstream(list: (cursor: string | undefined) => { tools: Tool[]; nextCursor?: string }): Promise<{ url: string; close(): Promise<void> }> {
  const http: HttpServer = createServer((req, res) => {
    const server = new Server({ name: 'listing', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, (request) => list(request.params?.cursor));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void server.close());
    void server.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
