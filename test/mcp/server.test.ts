// CodeModeServer as an object: options checked at construction, tools added and removed while it lives
// (runs in flight keep their tools), and close() making later use a clear mistake.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import { CodemodeError, SandboxRuntime, defineTool } from '../../src/index.js';
import { CodeModeServer } from '../../src/mcp/index.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { execute, getWeather, signal } from './helpers.js';

const isOptionError = (pattern: RegExp) => (error: unknown) => error instanceof CodemodeError && error.code === 'INVALID_OPTION' && pattern.test(error.message);

describe('CodeModeServer', () => {
  test('bad options throw at construction and show the value', () => {
    assert.throws(() => new CodeModeServer({ maxResultChars: -1 }), isOptionError(/expected `maxResultChars` to be an integer from 0 to 1000000000 \(characters\), got `-1` \(number\)/));
    assert.throws(() => new CodeModeServer({ enableSearch: 'yes' as unknown as boolean }), isOptionError(/`enableSearch`.*`"yes"` \(string\)/));
    assert.throws(() => new CodeModeServer({ timeoutMs: 0 }), isOptionError(/`timeoutMs`/));
  });

  test('adding a tool whose name is taken throws to the caller and leaves the server as it was', async () => {
    const server = new CodeModeServer({ tools: [getWeather] });
    try {
      const before = server.executeDescription();
      assert.throws(() => server.tool(getWeather), (error: unknown) => error instanceof CodemodeError && error.code === 'DUPLICATE_TOOL');
      assert.equal(server.executeDescription(), before);
    } finally {
      await server.close();
    }
  });

  test('a run in flight when a tool is added finishes on the tools it started with', async () => {
    const release = signal<string>();
    const entered = signal();
    const slow = defineTool({
      name: 'slow',
      description: 'Waits for the test.',
      input: z.object({}),
      run: () => {
        entered.resolve();
        return release.promise;
      },
    });
    const server = new CodeModeServer({ tools: [slow] });
    const client = new Client({ name: 'test', version: '1' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    try {
      const first = execute(client, 'const a = await codemode.slow({}); try { await codemode.extra({}) } catch (e) { return [a, e.kind] }');
      await entered.promise;
      server.tool(defineTool({ name: 'extra', description: 'New.', input: z.object({}), run: () => 'new' }));
      release.resolve('old');
      assert.equal((await first).text, 'Result: ["old","runtime"]', 'the old run does not see the new tool');
      assert.equal((await execute(client, 'return await codemode.extra({})')).text, 'Result: "new"');
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('adding a tool keeps the sandbox processes, and closing the server leaves a shared runtime open', async () => {
    const runtime = new SandboxRuntime({ minProcesses: 1, maxProcesses: 2 });
    const server = new CodeModeServer({ tools: [getWeather], runtime });
    const client = new Client({ name: 'test', version: '1' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    try {
      await runtime.warmup();
      const pids = runtime.sandboxPids();
      server.tool(defineTool({ name: 'extra', description: 'New.', input: z.object({}), run: () => 'new' }));
      assert.equal((await execute(client, 'return await codemode.extra({})')).text, 'Result: "new"');
      assert.deepEqual(runtime.sandboxPids(), pids);
      await client.close();
      await server.close();
      assert.equal(runtime.closed, false);
      assert.deepEqual(runtime.sandboxPids(), pids);
    } finally {
      await client.close();
      await server.close();
      await runtime.close();
    }
  });

  test('a connected client sees tools added and removed: list_changed each time, the API on its next tools/list', async () => {
    const server = new CodeModeServer({ tools: [getWeather] });
    const client = new Client({ name: 'test', version: '1' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    let notified = signal();
    let notifications = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      notifications++;
      notified.resolve();
    });
    await server.connect(serverSide);
    await client.connect(clientSide);
    const describeExecute = async () => (await client.listTools()).tools.find((tool) => tool.name === 'execute')!.description!;
    try {
      const before = server.executeDescription();
      server.tools.add(defineTool({ name: 'convert', description: 'Celsius to Fahrenheit.', input: z.object({ celsius: z.number() }), run: ({ celsius }) => celsius * 1.8 + 32 }));
      await notified.promise;
      assert.match(await describeExecute(), /convert\(input: \{ celsius: number \}\): Promise<unknown>;/);
      assert.equal((await execute(client, 'return await codemode.convert({ celsius: 100 })')).text, 'Result: 212');

      notified = signal();
      assert.equal(server.removeTool('convert'), true);
      await notified.promise;
      assert.equal(await describeExecute(), before);
      assert.match((await execute(client, 'return await codemode.convert({ celsius: 100 })')).text, /codemode\.convert is not a tool\. Available: getWeather\./);
      assert.equal(notifications, 2);
      assert.equal(server.removeTool('convert'), false);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('after close, serving again is a CodemodeError', async () => {
    const server = new CodeModeServer();
    await server.close();
    await assert.rejects(server.serveHttp({ port: 0 }), (error: unknown) => error instanceof CodemodeError && error.code === 'EXECUTOR_CLOSED');
    assert.throws(() => server.tool(getWeather), (error: unknown) => error instanceof CodemodeError);
  });
});

describe('tool sources', () => {
  test('a source namespace named like a configured tool or capability does not replace it; free names join', async () => {
    const ping = (name: string) => defineTool({ name, description: `the ${name} tool`, input: z.object({}), run: () => name });
    const listeners: (() => void)[] = [];
    let offered = [{ name: 'getWeather', tools: [ping('fromSource')] }, { name: 'upstream', tools: [ping('one')] }];
    const source = {
      capabilities: () => offered,
      onChange: (listener: () => void) => (listeners.push(listener), () => {}),
    };
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => void (warning.code === 'CODEMODE_HOST_FAULT' && warnings.push(warning.message));
    process.on('warning', onWarning);
    const server = new CodeModeServer({ tools: [getWeather], sources: [source] });
    try {
      assert.deepEqual(server.tools.names().sort(), ['getWeather', 'upstream.one']);
      offered = [{ name: 'getWeather', tools: [ping('fromSource')] }, { name: 'upstream', tools: [ping('two')] }];
      for (const listener of listeners) listener();
      assert.deepEqual(server.tools.names().sort(), ['getWeather', 'upstream.two']);
      await new Promise<void>((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      assert.ok(warnings.length >= 1 && warnings.every((message) => /"getWeather".*taken/.test(message)), warnings.join('\n'));
    } finally {
      process.off('warning', onWarning);
      await server.close();
    }
  });
});
