// Workflows through MCP, with the SDK's real Client: saved by model code in one `execute`, announced with
// tools/list_changed, listed in the execute description, found by `search`, called by the next `execute`;
// and shared by two processes (a host's executor and a `codemode mcp --redis` server) through one Redis.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Executor } from '../../src/index.js';
import { CodeModeServer } from '../../src/mcp/index.js';
import { FileStorage, RedisStorage } from '../../src/storage/index.js';
import { execute, getWeather, signal, stdioClient, tempDir } from '../mcp/helpers.js';
import { startRedis, type RedisServer } from '../storage/redis-server.js';

const WARMEST = `// Picks the warmest of some cities.
async function run(input: { cities: string[] }): Promise<{ city: string; celsius: number }> {
  const all = await Promise.all(input.cities.map((city) => codemode.getWeather({ city })));
  return all.reduce((best, next) => (next.celsius > best.celsius ? next : best));
}`;

async function connect(server: CodeModeServer): Promise<Client> {
  const client = new Client({ name: 'test', version: '1' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  return client;
}

async function describeExecute(client: Client): Promise<string> {
  return (await client.listTools()).tools.find((tool) => tool.name === 'execute')!.description!;
}

describe('workflows through an MCP server', () => {
  const dir = tempDir({});
  after(() => dir.remove());

  test('a workflow saved by one execute is announced, declared in the description, and called by the next', async () => {
    const server = new CodeModeServer({ tools: [getWeather], storage: new FileStorage({ dir: join(dir.path, 'one') }) });
    const client = await connect(server);
    const changed = signal();
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => changed.resolve());
    try {
      const saved = await execute(client, `return await codemode.workflows.save({ name: 'warmest', description: 'Picks the warmest city.', code: ${JSON.stringify(WARMEST)} })`);
      assert.equal(saved.isError, false, saved.text);
      await changed.promise;
      assert.match(await describeExecute(client), /\/\*\* Picks the warmest city\. \*\/\n {4}warmest\(input: .+\): Promise<.+>;/);
      const called = await execute(client, "const w = await codemode.workflows.warmest({ cities: ['Oslo', 'Lima', 'Paris'] }); return w.city");
      assert.equal(called.text, 'Result: "Lima"');
      const refused = await execute(client, "return await codemode.workflows.warmest({ cities: 'Oslo' })");
      assert.equal(refused.isError, true);
      assert.match(refused.text, /invalid input for codemode\.workflows\.warmest: cities: expected array, received string/);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('with the catalog form, the description lists workflows one line each and search gives their declarations', async () => {
    const storage = new FileStorage({ dir: join(dir.path, 'two') });
    const host = new Executor({ tools: [getWeather], storage, minProcesses: 0 });
    await host.workflows!.save({ name: 'warmest', description: 'Picks the warmest city.', code: WARMEST });
    await host.workflows!.save({ name: 'coldest', description: 'Picks the coldest\ncity.', code: WARMEST.replace('next.celsius > best.celsius', 'next.celsius < best.celsius') });
    await host.close();
    const server = new CodeModeServer({ tools: [getWeather], storage, enableSearch: true, inlineDeclarationChars: 0 });
    await server.warmup();
    const client = await connect(server);
    try {
      const description = await describeExecute(client);
      assert.match(
        description,
        /\n- codemode\.workflows: saved code, called as `await codemode\.workflows\.<name>\(input\)`; save, list, get and delete manage it\n {2}- coldest: Picks the coldest city\.\n {2}- warmest: Picks the warmest city\.$/,
      );
      const found = (await client.callTool({ name: 'search', arguments: { query: 'warmest city' } })) as CallToolResult;
      const text = found.content[0]?.type === 'text' ? found.content[0].text : '';
      assert.match(text, /warmest\(input: .+\): Promise<.+>;/);
      assert.match(text, /cities: string\[\]/);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe('codemode mcp and workflows', () => {
  let redis: RedisServer;
  const cwd = tempDir({});
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
    cwd.remove();
  });

  test('without --storage, workflows live in .codemode/ of the working directory, made only by the first save', async () => {
    const client = await stdioClient([], cwd.path);
    try {
      assert.equal((await execute(client, 'return (await codemode.workflows.list()).length')).text, 'Result: 0');
      assert.equal(existsSync(join(cwd.path, '.codemode')), false);
      const saved = await execute(client, "return (await codemode.workflows.save({ name: 'hello', description: 'Greets.', code: 'async function run(input: { who: string }) { return `hello ${input.who}` }' })).name");
      assert.equal(saved.text, 'Result: "hello"', saved.text);
      assert.equal(existsSync(join(cwd.path, '.codemode')), true);
      assert.equal((await execute(client, "return await codemode.workflows.hello({ who: 'you' })")).text, 'Result: "hello you"');
    } finally {
      await client.close();
    }
  });

  test('two processes on one Redis: a workflow saved by either is callable, typed, from the other', async () => {
    // The default prefix, as the server's: the Redis is this file's own.
    const storage = new RedisStorage({ url: redis.url });
    const host = new Executor({ tools: [getWeather], storage, minProcesses: 0 });
    const client = await stdioClient(['--redis', redis.url, '--search'], cwd.path);
    try {
      // Saved by the host's executor (this process); called and typed in the server (another process).
      await host.workflows!.save({ name: 'double', description: 'Twice n.', code: 'async function run(input: { n: number }): Promise<number> { return input.n * 2 }' });
      assert.equal((await execute(client, 'return await codemode.workflows.double({ n: 21 })')).text, 'Result: 42');
      const found = (await client.callTool({ name: 'search', arguments: { query: 'double' } })) as CallToolResult;
      assert.match(found.content[0]?.type === 'text' ? found.content[0].text : '', /double\(input: .+\): Promise<number>;/);

      // Saved by model code in the server; called and typed here.
      const saved = await execute(client, "return (await codemode.workflows.save({ name: 'quadruple', description: 'Four times n.', code: 'async function run(input: { n: number }): Promise<number> { return await codemode.workflows.double({ n: await codemode.workflows.double(input) }) }' })).name");
      assert.equal(saved.text, 'Result: "quadruple"', saved.text);
      const result = await host.run('return await codemode.workflows.quadruple({ n: 3 })');
      assert.deepEqual(result.ok && result.value, 12);
      assert.match(host.declarations(), /quadruple\(input: .+\): Promise<number>;/);
      const [diagnostic] = await host.check("const s: string = await codemode.workflows.quadruple({ n: 1 });");
      assert.match(diagnostic?.message ?? '', /Type 'number' is not assignable to type 'string'/);
    } finally {
      await client.close();
      await host.close();
      await storage.close();
    }
  });
});
