// CodeModeServer over streamable HTTP with the SDK's real client: tools, results, errors, search, streamed
// console output, cancellation, concurrent calls with a hostile one, adding a tool to a live server, and
// model input that froze the host before it ran (issue 14: F2, F7).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LoggingMessageNotificationSchema, ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import { defineTool, MAX_QUERY_CHARS, type RunResult } from '../../src/index.js';
import { CodeModeServer, type HttpServer, type RunRecord } from '../../src/mcp/index.js';
import { execute, getWeather, httpClient, ping, readResult, signal } from './helpers.js';

const runs: RunRecord[] = [];
let waitingFor: { match: (record: RunRecord) => boolean; resolve: (record: RunRecord) => void } | undefined;
const server = new CodeModeServer({
  tools: [getWeather, ping],
  enableSearch: true,
  maxProcesses: 4,
  onRunEnd: (record) => {
    runs.push(record);
    if (waitingFor?.match(record)) waitingFor.resolve(record);
  },
});
let http: HttpServer;
let client: Client;

/** Resolves with the next run record whose code is `code`. */
function nextRun(code: string): Promise<RunRecord> {
  const found = signal<RunRecord>();
  waitingFor = { match: (record) => record.code === code, resolve: found.resolve };
  return found.promise;
}

before(async () => {
  http = await server.serveHttp({ port: 0 });
  client = await httpClient(http.url);
});
after(async () => {
  await client.close();
  await server.close();
});

describe('CodeModeServer over streamable HTTP', () => {
  test('lists execute and search, with the API in the execute description', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name), ['execute', 'search']);
    const execute = tools[0]!;
    assert.match(execute.description!, /getWeather\(input: \{ city: string \}\): Promise<\{ city: string; celsius: number \}>;/);
    assert.deepEqual(Object.keys(execute.inputSchema.properties ?? {}), ['code', 'timeoutMs']);
    assert.deepEqual(execute.inputSchema.required, ['code']);
    assert.ok(execute.outputSchema, 'execute declares its structured output');
  });

  test('runs code that calls a host tool and returns the value as JSON text and structured content', async () => {
    const result = await execute(client, `
      const readings = await Promise.all(['Paris', 'Oslo', 'Lima'].map((city) => codemode.getWeather({ city })));
      console.log('fetched', readings.length);
      return readings.sort((a, b) => b.celsius - a.celsius)[0];`);
    assert.equal(result.isError, false);
    assert.equal(result.text, 'Result: {"city":"Lima","celsius":22}\nConsole:\n[log] fetched 3');
    assert.deepEqual(result.structured, { ok: true, value: { city: 'Lima', celsius: 22 }, logs: [{ level: 'log', text: 'fetched 3' }] });
  });

  test('a runtime error comes back as isError with kind, line, frame and hint', async () => {
    const result = await execute(client, 'const reading = await codemode.getWeather({ city: "Oslo" });\nreturn reading.wind.speed;');
    assert.equal(result.isError, true);
    assert.equal(
      result.text,
      [
        "Error (runtime) at line 2: TypeError: Cannot read properties of undefined (reading 'speed')",
        '  1 | const reading = await codemode.getWeather({ city: "Oslo" });',
        '> 2 | return reading.wind.speed;',
        '    |                     ^',
        'Hint: Fix the error at the line shown (lines refer to your code) and run again.',
      ].join('\n'),
    );
    const error = result.structured.error as Record<string, unknown>;
    assert.deepEqual([result.structured.ok, error.kind, error.line], [false, 'runtime', 2]);
  });

  test('a syntax error names the line', async () => {
    const result = await execute(client, 'const a = 1;\nreturn a +;');
    assert.equal(result.isError, true);
    assert.match(result.text, /^Error \(syntax\) at line 2: SyntaxError: /);
    assert.match(result.text, /> 2 \| return a \+;/);
  });

  test('an input that breaks a tool schema rejects inside the code with kind invalid_input', async () => {
    const result = await execute(client, 'try { await codemode.getWeather({ town: "Oslo" }) } catch (e) { return e.kind }');
    assert.equal(result.text, 'Result: "invalid_input"');
  });

  test('timeoutMs lowers the limit of one run but cannot raise it past the server limit', async () => {
    const result = await execute(client, 'while (true) {}', { timeoutMs: 300 });
    assert.equal((result.structured.error as { kind: string }).kind, 'timeout');
    assert.match(result.text, /longer than 300 ms/);
    const capped = await execute(client, 'return 1', { timeoutMs: 10 ** 12 });
    assert.equal(capped.text, 'Result: 1');
  });

  test('code that returns nothing says so', async () => {
    const result = await execute(client, 'console.warn("careful")');
    assert.equal(result.text, 'Result: undefined (the code returned nothing)\nConsole:\n[warn] careful');
    assert.deepEqual(result.structured, { ok: true, logs: [{ level: 'warn', text: 'careful' }] });
  });

  test('search returns matching tools with their declarations, and names every tool when nothing matches', async () => {
    const found = await client.callTool({ name: 'search', arguments: { query: 'weather' } });
    const text = (found.content as Array<{ text: string }>)[0]!.text;
    assert.match(text, /^1 tool for "weather", best first:\n\ndeclare const codemode: \{\n {2}\/\*\* Current temperature/);
    assert.deepEqual((found.structuredContent as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name), ['getWeather']);
    const none = await client.callTool({ name: 'search', arguments: { query: 'invoice' } });
    assert.equal((none.content as Array<{ text: string }>)[0]!.text, 'No tool matches "invoice". Tools: getWeather, ping');
  });

  test('console output streams to the client as log messages and progress while the code runs', async () => {
    const logs: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      logs.push(`${notification.params.level}:${String(notification.params.data)}`);
    });
    const progress: string[] = [];
    const result = await execute(client, 'console.log("one"); await codemode.ping({}); console.error("two"); return 2', {}, {
      onprogress: (update) => progress.push(`${update.progress}:${update.message}`),
    });
    assert.equal(result.text, 'Result: 2\nConsole:\n[log] one\n[error] two');
    assert.deepEqual(logs, ['info:one', 'error:two']);
    assert.deepEqual(progress, ['1:one', '2:two']);
  });

  test('logging/setLevel filters the streamed console output', async () => {
    const logs: string[] = [];
    const quiet = await httpClient(http.url);
    try {
      quiet.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void logs.push(String(notification.params.data)));
      await quiet.setLoggingLevel('warning');
      await execute(quiet, 'console.log("chatter"); console.warn("careful"); await codemode.ping({}); return 1');
      assert.deepEqual(logs, ['careful']);
    } finally {
      await quiet.close();
    }
  });

  test('a client that cancels its request ends the run as cancelled, and the next call works', async () => {
    const code = 'console.log("started"); await codemode.ping({}); while (true) {}';
    const ended = nextRun(code);
    const started = signal();
    const abort = new AbortController();
    const call = execute(client, code, {}, { signal: abort.signal, onprogress: () => started.resolve() });
    await started.promise;
    abort.abort();
    await assert.rejects(call);
    const record = await ended;
    assert.equal(record.result.ok, false);
    assert.equal((record.result as Extract<RunResult, { ok: false }>).error.kind, 'cancelled');
    assert.equal((await execute(client, 'return "still here"')).text, 'Result: "still here"');
  });

  test('concurrent calls each get their own run, and a hostile one does not stall the others', async () => {
    const hostileCode = 'console.log("spinning"); await codemode.ping({}); while (true) {}';
    const spinning = signal();
    const abort = new AbortController();
    let hostileSettled = false;
    const hostile = execute(client, hostileCode, {}, { signal: abort.signal, onprogress: () => spinning.resolve() }).finally(() => {
      hostileSettled = true;
    });
    hostile.catch(() => {});
    await spinning.promise;
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => execute(client, `return (await codemode.getWeather({ city: "Paris" })).celsius + ${n}`)));
    assert.deepEqual(results.map((result) => result.text), [19, 20, 21, 22, 23, 24].map((n) => `Result: ${n}`));
    assert.equal(hostileSettled, false, 'the hostile run is still spinning in its own process');
    const ended = nextRun(hostileCode);
    abort.abort();
    assert.equal((await ended).result.ok, false);
  });

  test('a tool added to a live server reaches the next run and the execute description', async () => {
    const changed = signal();
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => changed.resolve());
    server.tool(defineTool({ name: 'convert', description: 'Celsius to Fahrenheit.', input: z.object({ celsius: z.number() }), run: ({ celsius }) => celsius * 1.8 + 32 }));
    await changed.promise;
    const { tools } = await client.listTools();
    assert.match(tools[0]!.description!, /convert\(input: \{ celsius: number \}\): Promise<unknown>;/);
    assert.equal((await execute(client, 'return await codemode.convert({ celsius: 100 })')).text, 'Result: 212');
  });

  test('every execute call is recorded with its code and result', () => {
    assert.ok(runs.some((record) => record.code === 'return 1' && record.result.ok && record.sessionId !== undefined));
  });
});

describe('MCP: model input that used to freeze the host', () => {
  test('176 bytes of nested async calls fail execute as timeout, and the next execute succeeds (F2)', async () => {
    const nested = 'async (' + 'async ('.repeat(26) + ')'.repeat(27);
    const failed = await execute(client, nested, { timeoutMs: 1000 });
    assert.equal(failed.isError, true);
    assert.equal((failed.structured.error as { kind: string }).kind, 'timeout', failed.text);
    assert.match(failed.text, /while its code was being prepared/);
    const next = await execute(client, 'return 1 + 1');
    assert.equal(next.isError, false, next.text);
    assert.deepEqual(next.structured.value, 2);
  });

  test('a search query over MAX_QUERY_CHARS is a clean tool error, and the next search answers (F7)', async () => {
    const tooLong = readResult((await client.callTool({ name: 'search', arguments: { query: 'weather '.repeat(4e5) } })) as CallToolResult);
    assert.equal(tooLong.isError, true);
    assert.match(tooLong.text, new RegExp(`a query has at most ${MAX_QUERY_CHARS} characters: send a few words`));
    const found = readResult((await client.callTool({ name: 'search', arguments: { query: 'weather' } })) as CallToolResult);
    assert.equal(found.isError, false);
    assert.match(found.text, /getWeather/);
  });
});
