// A stateful server (`CodeModeServer({ workspaces: true })`, `codemode mcp --stateful`): each MCP session
// keeps its variables between runs, `execute` takes `reset`, sessions never see each other's variables, and
// a session's workspace ends with the session. Through the SDK's real Client, in memory, over streamable
// HTTP and over stdio.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CodeModeServer } from '../../src/mcp/index.js';
import { execute, getWeather, httpClient, stdioClient, tempDir } from './helpers.js';

const PERSIST = '- Variables persist: what a run declares at top level is there in your next runs; `reset: true` empties them.';
const FRESH = '- Each run starts fresh: variables do not persist between runs.';

async function memoryClient(server: CodeModeServer): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'codemode-test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

describe('MCP sessions with workspaces', () => {
  test('variables persist between execute calls of a session, and reset empties them', async () => {
    const server = new CodeModeServer({ tools: [getWeather], workspaces: true, minProcesses: 0 });
    const client = await memoryClient(server);
    try {
      const { tools } = await client.listTools();
      const executeTool = tools.find((tool) => tool.name === 'execute')!;
      assert.ok(executeTool.description!.includes(`\n${PERSIST}\n`), executeTool.description);
      assert.deepEqual(Object.keys(executeTool.inputSchema.properties ?? {}), ['code', 'timeoutMs', 'reset']);

      assert.equal((await execute(client, 'const { celsius } = await codemode.getWeather({ city: "Lima" })')).isError, false);
      assert.equal((await execute(client, 'celsius + 1')).text, 'Result: 23');
      assert.equal((await execute(client, 'typeof celsius', { reset: true })).text, 'Result: "undefined"');
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('a run that times out says the variables are gone', async () => {
    const server = new CodeModeServer({ workspaces: true, minProcesses: 0 });
    const client = await memoryClient(server);
    try {
      await execute(client, 'let total = 1');
      const timedOut = await execute(client, 'while (true) {}', { timeoutMs: 200 });
      assert.equal(timedOut.isError, true);
      assert.match(timedOut.text, /The workspace was reset: its variables are gone and the next run starts from an empty workspace/);
      assert.equal((await execute(client, 'typeof total')).text, 'Result: "undefined"');
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('without workspaces the description says runs start fresh, and execute takes no reset', async () => {
    const server = new CodeModeServer({ tools: [getWeather], minProcesses: 0 });
    const client = await memoryClient(server);
    try {
      const [executeTool] = (await client.listTools()).tools;
      assert.ok(executeTool!.description!.includes(`\n${FRESH}\n`), executeTool!.description);
      assert.deepEqual(Object.keys(executeTool!.inputSchema.properties ?? {}), ['code', 'timeoutMs']);
      await execute(client, 'const celsius = 1');
      assert.equal((await execute(client, 'typeof celsius')).text, 'Result: "undefined"');
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('over streamable HTTP two sessions do not see each other’s variables; a session’s workspace ends with it', async () => {
    // One workspace at most: the second session can only get one once the first session's is closed.
    const server = new CodeModeServer({ workspaces: true, minProcesses: 0, maxWorkspaces: 2 });
    const http = await server.serveHttp({ port: 0 });
    const first = await httpClient(http.url);
    const second = await httpClient(http.url);
    try {
      await execute(first, 'const secret = "first"');
      await execute(second, 'const secret = "second"');
      assert.equal((await execute(first, 'secret')).text, 'Result: "first"');
      assert.equal((await execute(second, 'secret')).text, 'Result: "second"');

      const third = await httpClient(http.url);
      const refused = await execute(third, '1');
      assert.equal(refused.isError, true);
      assert.match(refused.text, /^Error: the code did not run: the server has no room for another workspace \(this executor already has 2 live workspaces/);
      // Ending the first session (DELETE) closes its workspace, which makes room.
      await (first.transport as StreamableHTTPClientTransport).terminateSession();
      assert.equal((await execute(third, 'typeof secret')).text, 'Result: "undefined"');
      await third.close();
    } finally {
      await first.close();
      await second.close();
      await server.close();
    }
  });

  test('codemode mcp --stateful keeps the variables of its stdio client', async () => {
    const dir = tempDir({});
    const client = await stdioClient(['--stateful'], dir.path);
    try {
      const [executeTool] = (await client.listTools()).tools;
      assert.ok(executeTool!.description!.includes(PERSIST));
      await execute(client, 'function greet(name) { return `hello ${name}` }');
      assert.equal((await execute(client, 'greet("stdio")')).text, 'Result: "hello stdio"');
    } finally {
      await client.close();
      dir.remove();
    }
  });
});
