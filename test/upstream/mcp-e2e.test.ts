// Upstream MCP servers behind our MCP server, end to end with real parts: the reference servers from npm
// over stdio, a streamable HTTP server on 127.0.0.1, our CodeModeServer over HTTP, and the SDK's real
// Client in front, as a model's client would be.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  ToolListChangedNotificationSchema,
  type ElicitRequest,
  type ElicitResult,
  ProgressNotificationSchema,
  type CallToolResult,
  type LoggingMessageNotification,
  type ProgressNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { CodeModeServer, McpToolSource, type HttpServer } from '../../src/mcp/index.js';
import { execute, httpClient, readResult, signal, tempDir, type Executed } from '../mcp/helpers.js';
import { referenceServers, SECRET_ENV, SECRET_TOKEN, testUpstream, type TestUpstream } from './helpers.js';

const dir = tempDir({ 'notes.txt': 'first line\nsecond line\n' });
const events: { server: string; message: string }[] = [];
const eventWaiters = new Set<() => void>();
let upstream: TestUpstream;
let source: McpToolSource;
let server: CodeModeServer;
let http: HttpServer;
let client: Client;
let elicitation: ElicitResult['action'] = 'decline';
const asked: ElicitRequest['params'][] = [];

/** Resolves when the source reports an event matching `pattern` (no sleeping). */
function nextEvent(server: string, pattern: RegExp): Promise<void> {
  const seen = signal();
  const check = () => {
    if (events.some((event) => event.server === server && pattern.test(event.message))) seen.resolve();
  };
  eventWaiters.add(check);
  check();
  return seen.promise.finally(() => eventWaiters.delete(check));
}

/** The log messages our client gets from now on (the handler is replaced by the next call). */
function collectLogs(): LoggingMessageNotification['params'][] {
  const logs: LoggingMessageNotification['params'][] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void logs.push(notification.params));
  return logs;
}

/**
 * The progress notifications our client gets from now on. Read from the notifications themselves: the SDK's
 * `onprogress` drops one that arrives right before the result (it forgets the token on the result first).
 */
function collectProgress(): ProgressNotification['params'][] {
  const progress: ProgressNotification['params'][] = [];
  client.setNotificationHandler(ProgressNotificationSchema, (notification) => void progress.push(notification.params));
  return progress;
}

/** An execute call that carries `progressToken`. */
async function watched(code: string, progressToken: string): Promise<Executed> {
  return readResult((await client.callTool({ name: 'execute', arguments: { code }, _meta: { progressToken } })) as CallToolResult);
}

before(async () => {
  upstream = await testUpstream();
  source = new McpToolSource({
    servers: {
      ...referenceServers(dir.path),
      remote: { url: upstream.url, headers: { Authorization: `Bearer ${SECRET_TOKEN}` }, timeoutMs: 1_000 },
    },
    // Long enough that a call right after a server died finds it down, not already back.
    reconnectDelayMs: 1_000,
    onEvent: (event) => {
      events.push(event);
      for (const waiter of eventWaiters) waiter();
    },
  });
  await source.start();
  server = new CodeModeServer({ sources: [source], enableSearch: true, timeoutMs: 20_000 });
  http = await server.serveHttp({ port: 0 });
  client = await httpClient(http.url, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    asked.push(request.params);
    return { action: elicitation };
  });
});

after(async () => {
  await client?.close();
  await server?.close();
  await source?.close();
  await upstream?.close();
  dir.remove();
});

describe('upstream MCP servers through our MCP server', () => {
  test('one execute calls tools of all three reference servers at once with Promise.all', async () => {
    const result = await execute(
      client,
      `const [sum, file, created] = await Promise.all([
         codemode.everything['get-sum']({ a: 2, b: 3 }),
         codemode.filesystem.read_text_file({ path: ${JSON.stringify(`${dir.path}/notes.txt`)}, head: 1 }),
         codemode.memory.create_entities({ entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote code'] }] }),
       ]);
       return { sum, file, created };`,
    );
    assert.equal(result.isError, false, result.text);
    assert.deepEqual(result.structured.value, {
      sum: 'The sum of 2 and 3 is 5.',
      file: { content: 'first line' },
      created: { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote code'] }] },
    });
  });

  test('a tool with an output schema resolves to its structured content', async () => {
    const result = await execute(client, `return await codemode.everything['get-structured-content']({ location: 'Chicago' })`);
    const value = result.structured.value as Record<string, unknown>;
    assert.deepEqual(Object.keys(value).sort(), ['conditions', 'humidity', 'temperature']);
    assert.equal(typeof value.temperature, 'number');
  });

  test('several content items come back as an array of typed items, an image with its base64 data', async () => {
    const result = await execute(client, `const items = await codemode.everything['get-tiny-image'](); return items.map((item) => item.type === 'image' ? [item.type, item.mimeType, item.data.length > 100] : item.type)`);
    assert.deepEqual(result.structured.value, ['text', ['image', 'image/png', true], 'text']);
  });

  test('an isError result rejects as kind host with the server text, and model code can catch it', async () => {
    const result = await execute(client, `try { await codemode.filesystem.read_text_file({ path: '/etc/hostname' }); return 'read' } catch (e) { return [e.kind, e.name, e.message] }`);
    const [kind, name, message] = result.structured.value as string[];
    assert.equal(kind, 'host');
    assert.equal(name, 'UpstreamToolError');
    assert.match(message!, /^Access denied - path outside allowed directories/);
  });

  test('a destructive tool asks the user first, and runs only when allowed', async () => {
    const code = `try { return await codemode.memory.delete_entities({ entityNames: ['Nobody'] }) } catch (e) { return [e.kind, e.message] }`;
    elicitation = 'decline';
    asked.length = 0;
    const declined = await execute(client, code);
    assert.equal((declined.structured.value as string[])[0], 'denied');
    assert.match(asked[0]!.message, /^Allow codemode\.memory\.delete_entities\?\nDelete multiple entities/);
    elicitation = 'accept';
    const accepted = await execute(client, code);
    assert.deepEqual(accepted.structured.value, { success: true, message: 'Entities deleted successfully' });
  });

  test('a read-only tool runs without asking', async () => {
    asked.length = 0;
    const result = await execute(client, `return (await codemode.memory.read_graph()).entities.length >= 0`);
    assert.equal(result.structured.value, true);
    assert.equal(asked.length, 0);
  });

  test('a call that takes longer than the server timeout fails as UpstreamTimeout', async () => {
    const result = await execute(client, `try { await codemode.remote.slow(); return 'answered' } catch (e) { return [e.kind, e.name, e.message] }`);
    assert.deepEqual(result.structured.value, ['host', 'UpstreamTimeout', 'remote.slow did not answer within 1000 ms']);
  });

  test('a result that breaks its output schema fails as UpstreamProtocolError', async () => {
    const result = await execute(client, `try { return await codemode.remote.bad_output() } catch (e) { return [e.kind, e.name, e.message] }`);
    const [kind, name, message] = result.structured.value as string[];
    assert.equal(kind, 'host');
    assert.equal(name, 'UpstreamProtocolError');
    assert.match(message!, /^remote\.bad_output: server "remote" answered with an error: .*output schema/);
  });

  test('a secret header or env value never reaches the model: not in results, errors or the API', async () => {
    const result = await execute(
      client,
      `const env = await codemode.everything['get-env']();
       const who = await codemode.remote.whoami();
       let failed; try { await codemode.remote.fail() } catch (e) { failed = e.message }
       return { env: JSON.parse(env).UPSTREAM_TEST_SECRET, who, failed };`,
    );
    assert.deepEqual(result.structured.value, { env: '[redacted]', who: 'you sent [redacted]', failed: 'refused token [redacted]' });
    const listed = JSON.stringify(await client.listTools());
    const found = JSON.stringify(await client.callTool({ name: 'search', arguments: { query: '' } }));
    for (const text of [result.text, listed, found, server.executeDescription()]) {
      assert.ok(!text.includes(SECRET_TOKEN) && !text.includes(SECRET_ENV), 'no secret in what the model reads');
    }
  });

  test('search returns the full declarations of the best matching upstream tools', async () => {
    const found = await client.callTool({ name: 'search', arguments: { query: 'create entities', limit: 1 } });
    const text = (found.content as Array<{ text: string }>)[0]!.text;
    assert.match(text, /^1 tool for "create entities", best first:\n/);
    assert.match(text, /\ninterface Entity \{\n {2}\/\*\* The name of the entity \*\/\n {2}name: string;/);
    assert.match(text, /\n {4}create_entities\(input: MemoryCreateEntitiesInput\): Promise<MemoryCreateEntitiesOutput>;/);
  });

  test("execute's description lists each server as one line with its tool count and points to search", () => {
    const text = server.executeDescription();
    const catalog = text.slice(text.indexOf('\n\nTools'));
    assert.equal(
      catalog,
      [
        '\n\nTools (use `search` to get their types before calling them):',
        '- codemode.everything: 13 tools: Everything Reference Server',
        '- codemode.filesystem: 14 tools: read_file, read_text_file, read_media_file, …',
        '- codemode.memory: 9 tools: create_entities, create_relations, add_observations, …',
        '- codemode.remote: 7 tools: whoami, fail, slow, …',
      ].join('\n'),
    );
  });

  test('list_changed from an upstream server reaches our client, and the new tool is callable', async () => {
    const changed = signal();
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => changed.resolve());
    const relisted = nextEvent('remote', /^tool list changed/);
    const changes: (readonly string[])[] = [];
    const stop = server.tools.onChange((change) => changes.push(change.added));
    const result = await execute(client, `return await codemode.remote.unlock()`);
    assert.equal(result.structured.value, 'unlocked');
    await relisted;
    await changed.promise;
    stop();
    assert.equal(changes.length, 1, 'one upstream change is one change of the live tool set');
    assert.ok(changes[0]!.includes('remote.unlocked'));
    const { tools } = await client.listTools();
    assert.match(tools.find((tool) => tool.name === 'execute')!.description!, /\n- codemode\.remote: 8 tools: /);
    const after = await execute(client, `return await codemode.remote.unlocked({ x: 1 })`);
    assert.equal(after.structured.value, 'open');
  });

  test("an upstream tool's progress reaches our client against the execute call's progress token", async () => {
    const progress = collectProgress();
    const result = await watched(`return await codemode.everything['trigger-long-running-operation']({ duration: 0.3, steps: 3 })`, 'watch-1');
    assert.equal(result.structured.value, 'Long running operation completed. Duration: 0.3 seconds, Steps: 3.');
    assert.deepEqual(
      progress,
      [1, 2, 3].map((step) => ({ progressToken: 'watch-1', progress: step, message: `everything.trigger-long-running-operation: ${step}/3` })),
    );
  });

  test("an upstream server's log lines during a call reach our client as log messages under upstream:<server>", async () => {
    const logs = collectLogs();
    await client.setLoggingLevel('debug');
    // The server logs once at a random level when logging is switched on; the second call switches it off.
    const result = await execute(client, `await codemode.everything['toggle-simulated-logging'](); return await codemode.everything['toggle-simulated-logging']()`);
    assert.match(String(result.structured.value), /^Stopped simulated logging/);
    const upstreamLogs = logs.filter((log) => log.logger === 'upstream:everything');
    assert.equal(upstreamLogs.length, 1, JSON.stringify(logs));
    assert.match(String(upstreamLogs[0]!.data), /^[A-Z][a-z]+[- ]level[- ]message$/);
    assert.ok(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'].includes(upstreamLogs[0]!.level));
  });

  test("upstream log lines respect the client's level, are cut to size, and lose their credentials; progress too", async () => {
    const logs = collectLogs();
    const progress = collectProgress();
    await client.setLoggingLevel('info');
    const result = await watched(`return await codemode.remote.chatty()`, 'watch-2');
    assert.equal(result.structured.value, 'said it all');
    const upstreamLogs = logs.filter((log) => log.logger === 'upstream:remote');
    assert.deepEqual(
      upstreamLogs.map((log) => [log.level, String(log.data).length > 100 ? `${String(log.data).slice(0, 3)}… ${String(log.data).length}` : log.data]),
      [
        ['info', 'xxx… 2001'],
        ['error', 'loud [redacted]'],
      ],
    );
    assert.deepEqual(progress, [{ progressToken: 'watch-2', progress: 1, message: 'remote.chatty: 1/2 half [redacted]' }]);
    await client.setLoggingLevel('debug');
  });

  test('an upstream server that floods log lines is cut to a rate, and the client is told once', async () => {
    const logs = collectLogs();
    await client.setLoggingLevel('debug');
    const result = await execute(client, `return await codemode.remote.flood({ count: 400 })`);
    assert.equal(result.structured.value, 'flooded', result.text);
    const lines = logs.filter((log) => log.logger === 'upstream:remote');
    // 50 at once, then 20 per second: the first 50 in order, and never all 400, however slow the machine.
    assert.ok(lines.length >= 50 && lines.length < 400, `${lines.length} lines`);
    assert.deepEqual(lines.slice(0, 50).map((log) => log.data), Array.from({ length: 50 }, (_, n) => `line ${n}`));
    const told = logs.filter((log) => log.logger === 'codemode' && /more than 20 notices per second/.test(String(log.data)));
    assert.equal(told.length, 1);
    assert.equal(told[0]!.level, 'warning');
  });

  test('an upstream server killed mid-session fails calls cleanly, then comes back and works', async () => {
    const pid = source.status().find((status) => status.name === 'memory')!.pid!;
    const down = nextEvent('memory', /reconnecting in/);
    process.kill(pid, 'SIGKILL');
    await down;
    const during = await execute(client, `try { await codemode.memory.read_graph(); return 'answered' } catch (e) { return [e.kind, e.name, e.message] }`);
    const [kind, name, message] = during.structured.value as string[];
    assert.equal(kind, 'host');
    assert.equal(name, 'UpstreamUnavailable');
    assert.match(message!, /^memory\.read_graph was not called: server "memory" is not connected \(the connection closed.*; reconnecting \(attempt 1\)\)$/);
    await source.whenReady('memory');
    const back = await execute(client, `return (await codemode.memory.open_nodes({ names: ['Ada'] })).entities.map((e) => e.name)`);
    assert.deepEqual(back.structured.value, ['Ada']);
    assert.notEqual(source.status().find((status) => status.name === 'memory')!.pid, pid);
  });
});
