// A closed MCP HTTP session is released: nothing of the server (its session map, a timer) keeps the session's
// MCP server alive once it ended by DELETE or was reclaimed after its client left. Checked with a WeakRef
// and a full gc, through the SDK's real client.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, test } from 'node:test';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { z } from 'zod';
import { serveHttp, type HttpServer } from '../../src/mcp/http.js';
import type { CodemodeMcp } from '../../src/mcp/tools.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A session's server as the HTTP front sees it: the SDK's McpServer with one tool. */
function factory(made: WeakRef<McpServer>[]): () => CodemodeMcp {
  return () => {
    const mcp = new McpServer({ name: 'sessions-test', version: '1.0.0' });
    mcp.registerTool('echo', { inputSchema: { text: z.string() } }, ({ text }) => ({ content: [{ type: 'text', text }] }));
    made.push(new WeakRef(mcp));
    return { mcp, refresh: () => {} };
  };
}

async function client(http: HttpServer): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(http.url));
  const client = new Client({ name: 'sessions-test', version: '1.0.0' });
  await client.connect(transport);
  const result = await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
  assert.deepEqual(result.content, [{ type: 'text', text: 'hi' }]);
  return { client, transport };
}

/**
 * Collects until every session server is gone. The client's sockets and the server's response objects
 * close a few turns after the call returns, so look again on later turns: far more of them than needed
 * (a retained server never goes, however long this waits).
 */
async function released(made: WeakRef<McpServer>[]): Promise<number> {
  for (let turn = 0; turn < 400; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    gc();
    if (made.every((ref) => ref.deref() === undefined)) return 0;
  }
  return made.filter((ref) => ref.deref() !== undefined).length;
}

describe('closed MCP HTTP sessions', () => {
  // Regression: the client's event stream closes after DELETE, and its close armed the "client gone" timer
  // for a session already closed, which held the session's transport and MCP server for `sessionGoneMs`.
  test('a session closed with DELETE is released at once, its event stream closing last', async () => {
    const made: WeakRef<McpServer>[] = [];
    // An hour: if anything arms the gone timer for a closed session, the session stays for this test's life.
    const http = await serveHttp({ port: 0, sessionGoneMs: 3_600_000 }, factory(made));
    try {
      for (let i = 0; i < 5; i++) {
        const { client: c, transport } = await client(http);
        await transport.terminateSession();
        await c.close();
      }
      assert.equal(http.openSessions(), 0);
      assert.equal(made.length, 5);
      assert.equal(await released(made), 0, 'session servers still reachable after DELETE');
    } finally {
      await http.close();
    }
  });

  test('a session whose client left without DELETE is released once reclaimed', async () => {
    const made: WeakRef<McpServer>[] = [];
    const http = await serveHttp({ port: 0, sessionGoneMs: 20 }, factory(made));
    try {
      const { client: c } = await client(http);
      await c.close();
      while (http.openSessions() > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(await released(made), 0, 'a reclaimed session server is still reachable');
    } finally {
      await http.close();
    }
  });
});
