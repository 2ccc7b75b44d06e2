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
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
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

export interface TestUpstream {
  url: string;
  /** How many times `unlock` was called. */
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
  ];
  const servers = new Set<Server>();
  const call = async (server: Server, name: string, request: IncomingMessage | undefined, signal: AbortSignal): Promise<CallToolResult> => {
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
      case 'unlocked':
        return { content: [{ type: 'text', text: 'open' }] };
      default:
        return { content: [{ type: 'text', text: `no tool ${name}` }], isError: true };
    }
  };

  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http: HttpServer = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${SECRET_TOKEN}`) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end(`unauthorized: ${req.headers.authorization}`);
      return;
    }
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!transport) {
      const server = new Server({ name: 'remote', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } }, instructions: 'A test server on 127.0.0.1.' });
      servers.add(server);
      server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
      server.setRequestHandler(CallToolRequestSchema, (request, extra) => call(server, request.params.name, req, extra.signal));
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
    close: async () => {
      await Promise.allSettled([...servers].map((server) => server.close()));
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
