// McpToolSource on its own: the config it accepts and refuses, policy from hints and from the config,
// what results unwrap to, and declarations from the reference servers' real tool lists that compile under
// `tsc --strict` and type model code correctly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Executor } from '../../src/index.js';
import { McpToolSource } from '../../src/mcp/index.js';
import { reconnectDelay } from '../../src/upstream/backoff.js';
import { approvalFromHints } from '../../src/upstream/tools.js';
import { unwrapResult } from '../../src/upstream/results.js';
import { tempDir } from '../mcp/helpers.js';
import { checkCall } from '../types/typecheck.js';
import { listingUpstream, referenceServers, SECRET_TOKEN, testUpstream } from './helpers.js';
import { UPSTREAM_CAPS } from '../../src/limits/table.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

describe('McpToolSource config', () => {
  const refused: [string, unknown, RegExp][] = [
    ['servers that are not an object', { servers: [] }, /expected `mcpServers` to be an object of servers by name, got an array/],
    ['a server with neither command nor url', { servers: { a: {} } }, /server "a": expected either `command` \(stdio\) or `url` \(streamable HTTP\), got neither/],
    ['a misspelled key', { servers: { a: { command: 'x', arg: [] } } }, /server "a": unknown key "arg" \(did you mean "args"\?\)/],
    ['an HTTP key on a stdio server', { servers: { a: { command: 'x', headers: {} } } }, /server "a": unknown key "headers" \(a key of HTTP servers\)/],
    ['a url that is not http', { servers: { a: { url: 'ftp://x' } } }, /server "a": expected `url` to be an http:\/\/ or https:\/\/ URL, got `"ftp:\/\/x"`/],
    ['credentials in a url', { servers: { a: { url: 'https://u:p@x.example' } } }, /server "a": put credentials in `headers`, not in `url`/],
    ['a server name with a dot', { servers: { 'a.b': { command: 'x' } } }, /server name `"a.b"` \(string\): expected letters/],
    ['a policy for no server', { servers: { github: { command: 'x' } }, policy: { gihub: 'deny' } }, /policy "gihub": no server is named "gihub" \(did you mean "github"\?\)/],
    ['a policy value that is not one', { servers: { github: { command: 'x' } }, policy: { 'github.delete_repo': 'never' } }, /policy "github.delete_repo": expected one of "auto", "ask", "deny", "hide", got `"never"`/],
  ];
  for (const [what, options, message] of refused) {
    test(`refuses ${what}, saying where`, () => {
      assert.throws(() => new McpToolSource(options as never), (error: Error & { code?: string }) => error.code === 'INVALID_OPTION' && message.test(error.message));
    });
  }

  test('a refused env or header value is not shown in the message', () => {
    assert.throws(() => new McpToolSource({ servers: { a: { command: 'x', env: { TOKEN: 5 as unknown as string } } } }), (error: Error) => !error.message.includes('5') || /`env`/.test(error.message));
    assert.throws(() => new McpToolSource({ servers: { a: { url: 'https://x.example', headers: { A: 'secret-value-123', B: 1 as unknown as string } } } }), (error: Error) => !error.message.includes('secret-value-123'));
  });

  test('disabled servers are left out', () => {
    const source = new McpToolSource({ servers: { a: { command: 'x', disabled: true } } });
    assert.deepEqual(source.status(), []);
  });
});

describe('policy from hints', () => {
  test('a destructive tool asks; read-only, unhinted and non-destructive tools run', () => {
    assert.equal(approvalFromHints({ destructiveHint: true }), 'ask');
    assert.equal(approvalFromHints({ destructiveHint: true, readOnlyHint: true }), 'auto');
    assert.equal(approvalFromHints({ destructiveHint: false }), 'auto');
    assert.equal(approvalFromHints(undefined), 'auto');
  });
});

describe('startup', () => {
  test('a lazy server does not hold up start(): it connects in the background and joins when ready', async () => {
    const dir = tempDir({});
    const { memory } = referenceServers(dir.path);
    const source = new McpToolSource({ servers: { memory: { ...memory!, startup: 'lazy' } } });
    try {
      await source.start();
      assert.equal(source.status()[0]!.state, 'connecting');
      assert.deepEqual(source.capabilities(), []);
      await source.whenReady('memory');
      assert.equal(source.status()[0]!.state, 'ready');
      assert.equal(source.capabilities()[0]!.tools.length, 9);
    } finally {
      await source.close();
      dir.remove();
    }
  });
});

describe('reconnecting', () => {
  test('the wait grows exponentially with full jitter, never below the first delay nor above the cap', () => {
    assert.equal(reconnectDelay(1, 500, 30_000, () => 0.99), 500, 'the first retry waits the first delay');
    assert.deepEqual([2, 3, 4].map((attempt) => reconnectDelay(attempt, 500, 30_000, () => 0)), [500, 500, 500]);
    assert.deepEqual([2, 3, 4].map((attempt) => reconnectDelay(attempt, 500, 30_000, () => 1)), [1_000, 2_000, 4_000]);
    assert.equal(reconnectDelay(3, 500, 30_000, () => 0.5), 1_250);
    assert.equal(reconnectDelay(1_000, 500, 30_000, () => 1), 30_000);
    for (let attempt = 1; attempt < 100; attempt++) {
      const delay = reconnectDelay(attempt, 500, 30_000);
      assert.ok(delay >= 500 && delay <= 30_000, `attempt ${attempt}: ${delay}`);
    }
  });
});

describe('an HTTP server that refuses our credentials', () => {
  test('a 401 at connect time is not an outage: no retries, and status says to check the headers', async () => {
    const upstream = await testUpstream();
    const events: string[] = [];
    const source = new McpToolSource({
      servers: { remote: { url: upstream.url, headers: { Authorization: 'Bearer wrong-token-0123456789' } } },
      reconnectDelayMs: 1,
      onEvent: (event) => events.push(event.message),
    });
    try {
      await source.start();
      const [status] = source.status();
      assert.equal(status!.state, 'unauthorized');
      assert.equal(status!.error, 'the server refused our credentials (HTTP 401); check the headers of server "remote" in the config');
      assert.equal(status!.tools, 0);
      assert.deepEqual(events, [`${status!.error}; not retrying`]);
      assert.equal(upstream.requests(), 1, 'one initialize request, and no retry scheduled');
      assert.ok(!JSON.stringify(source.status()).includes('wrong-token-0123456789'));
    } finally {
      await source.close();
      await upstream.close();
    }
  });

  test('credentials revoked mid-session: the call fails as UpstreamUnauthorized, and later calls fail at once', async () => {
    const upstream = await testUpstream();
    const source = new McpToolSource({ servers: { remote: { url: upstream.url, headers: { Authorization: `Bearer ${SECRET_TOKEN}` } } } });
    const executor = new Executor({ minProcesses: 0, capabilities: [] });
    const call = 'try { return await codemode.remote.whoami() } catch (e) { return [e.kind, e.name, e.message, e.hint] }';
    try {
      await source.start();
      for (const capability of source.capabilities()) executor.tools.add(capability);
      const before = await executor.run(call);
      assert.equal(before.ok && before.value, 'you sent [redacted]');
      upstream.refuse(403);
      const refused = await executor.run(call);
      const expected = [
        'host',
        'UpstreamUnauthorized',
        'remote.whoami was not called: server "remote" refuses this host\'s credentials (HTTP 403)',
        "Retrying will not help: the host's operator must fix this server's headers in the config. Continue without it.",
      ];
      assert.deepEqual(refused.ok && refused.value, expected);
      assert.equal(source.status()[0]!.state, 'unauthorized');
      const seen = upstream.requests();
      const again = await executor.run(call);
      assert.deepEqual(again.ok && again.value, expected);
      assert.equal(upstream.requests(), seen, 'the second call did not reach the server');
    } finally {
      await executor.close();
      await source.close();
      await upstream.close();
    }
  });
});

describe('a server that lists too much', () => {
  const tool = (name: string, inputSchema: Tool['inputSchema'] = { type: 'object' }, description = ''): Tool => ({ name, description, inputSchema });

  test('pages followed, tools kept, schema size and depth, descriptions and the total are capped, and the operator is told', async () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level < 40; level++) deep = { type: 'object', properties: { a: deep } };
    const big = { type: 'object' as const, properties: { x: { type: 'string', description: 'b'.repeat(60_000) } } };
    const heavy = { type: 'object' as const, properties: { x: { type: 'string', description: 'h'.repeat(45_000) } } };
    const greedyTools = [
      tool('big', big),
      tool('deep', deep as Tool['inputSchema']),
      tool('wordy', undefined, 'w'.repeat(5_000)),
      ...Array.from({ length: 30 }, (_, n) => tool(`heavy${n}`, heavy)),
      ...Array.from({ length: 567 }, (_, n) => tool(`small${n}`)),
    ];
    const endless = await listingUpstream((cursor) => {
      const n = Number(cursor ?? 0);
      return { tools: [tool(`t${n}`)], nextCursor: String(n + 1) };
    });
    const greedy = await listingUpstream(() => ({ tools: greedyTools }));
    const events: { server: string; message: string }[] = [];
    const source = new McpToolSource({ servers: { endless: { url: endless.url }, greedy: { url: greedy.url } }, onEvent: (event) => events.push(event) });
    try {
      await source.start();
      const [endlessStatus, greedyStatus] = source.status();
      assert.equal(endlessStatus!.tools, UPSTREAM_CAPS.maxPages);
      assert.deepEqual(endlessStatus!.skipped, ['tools/list has more than 20 pages; the tools after page 20 were not read']);
      const bigSize = JSON.stringify({ input: big }).length;
      const [count, bigLine, deepLine, wordyLine, total, ...rest] = greedyStatus!.skipped;
      assert.equal(count, 'tools/list has more than 500 tools; the first 500 were kept');
      assert.equal(bigLine, `"big": schemas of ${bigSize} characters, more than 50000`);
      assert.equal(deepLine, '"deep": schemas nested deeper than 32 levels');
      assert.equal(wordyLine, '"wordy": description cut to 2000 of its 5000 characters');
      const [, stoppedAt, after] = /^"heavy(\d+)" and the (\d+) tools after it: the server's tools pass 1000000 characters of schemas and descriptions in all$/.exec(total!)!;
      assert.equal(Number(stoppedAt) + 1 + Number(after), 30 + 467, 'the list stops at the first heavy tool past the total');
      assert.deepEqual(rest, []);
      assert.equal(greedyStatus!.tools, 1 + Number(stoppedAt));
      const executor = new Executor({ capabilities: source.capabilities(), minProcesses: 0 });
      const wordy = executor.registry.get('greedy.wordy')!.definition.description;
      assert.equal(wordy.length, 2_000);
      assert.ok(wordy.endsWith('…'));
      assert.equal(executor.registry.get('greedy.deep'), undefined);
      await executor.close();
      const told = events.filter((event) => event.message.startsWith('left out or cut from its tool list: '));
      assert.deepEqual(told.map((event) => event.server).sort(), ['endless', 'greedy'], 'one warning per server');
      const greedyTold = told.find((event) => event.server === 'greedy')!.message;
      assert.ok(greedyTold.includes('"deep": schemas nested deeper than 32 levels'));
      assert.ok(greedyTold.length < 1_000, 'the warning is a line, not the list');
    } finally {
      await source.close();
      await endless.close();
      await greedy.close();
    }
  });
});

describe('results', () => {
  const text = (t: string) => ({ type: 'text' as const, text: t });
  test('a single text item is that string, never parsed as JSON', () => {
    assert.equal(unwrapResult({ content: [text('{"a":1}')] }, false), '{"a":1}');
  });
  test('several items are an array of typed items, without _meta', () => {
    const result: CallToolResult = { content: [text('a'), { type: 'image', data: 'AAAA', mimeType: 'image/png', _meta: { x: 1 } }] };
    assert.deepEqual(unwrapResult(result, false), [text('a'), { type: 'image', data: 'AAAA', mimeType: 'image/png' }]);
  });
  test('a single resource is that item, with its data', () => {
    const item = { type: 'resource' as const, resource: { uri: 'file:///a', mimeType: 'text/plain', text: 'hi' } };
    assert.deepEqual(unwrapResult({ content: [item] }, false), item);
  });
  test('structured content wins when the tool has an output schema; no content is undefined', () => {
    assert.deepEqual(unwrapResult({ content: [text('ignored')], structuredContent: { n: 1 } }, true), { n: 1 });
    assert.equal(unwrapResult({ content: [] }, false), undefined);
  });
});

describe('the reference servers as declarations', () => {
  const dir = tempDir({ 'a.txt': 'a' });
  let source: McpToolSource;
  let executor: Executor;
  before(async () => {
    source = new McpToolSource({ servers: referenceServers(dir.path), policy: { 'everything.get-env': 'hide', 'filesystem.move_file': 'deny', memory: 'ask' } });
    await source.start();
    executor = new Executor({ capabilities: source.capabilities(), minProcesses: 0 });
  });
  after(async () => {
    await executor.close();
    await source.close();
    dir.remove();
  });

  test('every server is ready with its tools; a hidden tool is gone', () => {
    const status = Object.fromEntries(source.status().map(({ name, state, tools }) => [name, [state, tools]]));
    assert.deepEqual(status, { everything: ['ready', 12], filesystem: ['ready', 14], memory: ['ready', 9] });
    assert.equal(executor.registry.get('everything.get-env'), undefined);
  });

  test('config policy wins over hints: per tool, then per server', () => {
    assert.equal(executor.registry.get('filesystem.move_file')!.approval, 'deny');
    assert.equal(executor.registry.get('filesystem.write_file')!.approval, 'ask', 'destructiveHint');
    assert.equal(executor.registry.get('filesystem.read_text_file')!.approval, 'auto');
    assert.equal(executor.registry.get('memory.read_graph')!.approval, 'ask', 'the server-wide policy');
  });

  test('names that are not identifiers stay quoted; titles that add words and hints go into JSDoc', () => {
    const text = executor.declarations();
    assert.match(text, /\n    "get-sum"\(input: EverythingGetSumInput\): Promise<unknown>;/);
    assert.match(text, /\* Read File \(Deprecated\)\. Read the complete contents of a file as text\. DEPRECATED: Use read_text_file instead\.\n     \* @readOnly\n     \*\/\n    read_file\(/);
    assert.match(text, /\/\*\* Read the entire knowledge graph @readOnly \*\/\n    read_graph\(/, 'idempotent is not said of a read-only tool');
    assert.match(text, /\* @destructive\n     \* @idempotent\n     \*\/\n    delete_entities\(/);
    assert.match(text, /interface Entity \{\n/, 'a shape the memory server repeats is declared once');
  });

  test('the declarations compile under tsc --strict and type calls to all three servers', () => {
    const text = executor.declarations();
    const ok = [
      `const sum: unknown = await codemode.everything["get-sum"]({ a: 1, b: 2 });`,
      `const file: string = (await codemode.filesystem.read_text_file({ path: 'a', head: 1 })).content;`,
      `const names: string[] = (await codemode.memory.read_graph()).entities.map((e) => e.name);`,
      `await codemode.memory.create_entities({ entities: [{ name: 'a', entityType: 't', observations: [] }] });`,
    ];
    for (const code of ok) assert.deepEqual(checkCall(text, code), [], code);
    const bad = [
      `await codemode.filesystem.read_text_file({ path: 1 });`,
      `await codemode.memory.create_entities({ entities: [{ name: 'a' }] });`,
      `await codemode.everything.get_sum({ a: 1, b: 2 });`,
      `const n: number = (await codemode.memory.read_graph()).entities[0]!.name;`,
    ];
    for (const code of bad) assert.notDeepEqual(checkCall(text, code), [], code);
  });
});
