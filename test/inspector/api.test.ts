// The inspector's HTTP API and its guards, without a browser: who may see what, the cookie's flags, the
// CSRF check, the caps on what is kept, and that a server shows only its own runs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CodeModeServer } from '../../src/mcp/index.js';
import { BOOK_CAPS, type RunDetail } from '../../src/inspector/recorder.js';
import { preview } from '../../src/inspector/preview.js';
import { parseFlags } from '../../src/cli/args.js';
import { resolveSettings } from '../../src/cli/settings.js';
import { execute, httpClient, ping } from '../mcp/helpers.js';

const TOKEN = 'inspector-api-token-0123456789';

async function login(base: string, token: string): Promise<Response> {
  return fetch(`${base}/inspector/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
    redirect: 'manual',
  });
}

describe('the inspector API', () => {
  let server: CodeModeServer;
  let base: string;
  let client: Client;

  before(async () => {
    server = new CodeModeServer({ tools: [ping], inspector: true, inspectorRuns: 3 });
    const http = await server.serveHttp({ port: 0, token: TOKEN });
    base = http.url.replace(/\/mcp$/, '');
    client = await httpClient(http.url, {}, { authorization: `Bearer ${TOKEN}` });
  });

  after(async () => {
    await client?.close();
    await server?.close();
  });

  test('without the cookie or the token the API answers 401 and the page is the login form', async () => {
    assert.equal((await fetch(`${base}/inspector/api/runs`)).status, 401);
    assert.equal((await fetch(`${base}/inspector/api/runs`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    assert.equal((await fetch(`${base}/inspector/api/events`)).status, 401);
    const page = await fetch(`${base}/inspector`);
    const html = await page.text();
    assert.match(html, /<form method="post" action="\/inspector\/login">/);
    assert.doesNotMatch(html, /csrf-token/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  });

  test('logging in sets an HttpOnly, SameSite=Strict cookie; a wrong token sets none', async () => {
    const wrong = await login(base, 'nope');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get('set-cookie'), null);
    const right = await login(base, TOKEN);
    assert.equal(right.status, 303);
    const cookie = right.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^codemode_inspector=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/inspector; Max-Age=\d+$/);
    const page = await (await fetch(`${base}/inspector`, { headers: { cookie: cookie.split(';')[0]! } })).text();
    assert.match(page, /<meta name="csrf-token" content="[\w-]{43}">/);
    assert.doesNotMatch(page, new RegExp(TOKEN), 'the token never reaches the page');
  });

  test('a POST with the cookie needs the page’s CSRF token and the same origin', async () => {
    const cookie = ((await login(base, TOKEN)).headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = /content="([\w-]+)"/.exec(await (await fetch(`${base}/inspector`, { headers: { cookie } })).text())![1]!;
    const decide = (headers: Record<string, string>) =>
      fetch(`${base}/inspector/api/approvals/run-1:1`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: '{"allowed":true}' });
    assert.equal((await decide({})).status, 403);
    assert.equal((await decide({ 'x-csrf-token': 'x'.repeat(43) })).status, 403);
    assert.equal((await decide({ 'x-csrf-token': csrf, origin: 'http://evil.example' })).status, 403);
    // Past the guards: no such call is waiting.
    assert.equal((await decide({ 'x-csrf-token': csrf })).status, 404);
    const logout = await fetch(`${base}/inspector/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    assert.equal(logout.status, 200);
    assert.equal((await fetch(`${base}/inspector/api/runs`, { headers: { cookie } })).status, 401, 'the session ended');
  });

  test('runs are kept newest first, at most inspectorRuns, each with its console and calls cut to the caps', async () => {
    const many = BOOK_CAPS.logEntries + 25;
    await execute(client, "return 'first';");
    for (const value of ['a', 'b', 'c']) await execute(client, `return '${value}';`);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const { runs } = (await (await fetch(`${base}/inspector/api/runs`, { headers: auth })).json()) as { runs: { runId: string; status: string }[] };
    assert.equal(runs.length, 3, 'the oldest run was forgotten');
    const details = await Promise.all(runs.map(async ({ runId }) => (await (await fetch(`${base}/inspector/api/runs/${runId}`, { headers: auth })).json()) as RunDetail));
    assert.deepEqual(
      details.map((detail) => detail.value),
      ['"c"', '"b"', '"a"'],
    );
    // Long lines first (the run's own maxLogChars keeps 64 000 characters of console), then short ones.
    await execute(client, `console.log('y'.repeat(${BOOK_CAPS.logChars * 2})); for (let i = 1; i < ${many}; i++) console.log(i); await codemode.ping({}); return 1;`);
    const newest = (await (await fetch(`${base}/inspector/api/runs`, { headers: auth })).json()) as { runs: { runId: string }[] };
    const detail = (await (await fetch(`${base}/inspector/api/runs/${newest.runs[0]!.runId}`, { headers: auth })).json()) as RunDetail;
    assert.equal(detail.logs.length, BOOK_CAPS.logEntries);
    assert.equal(detail.droppedLogs, many - BOOK_CAPS.logEntries);
    assert.equal(detail.logs[0]!.text.length, BOOK_CAPS.logChars + 1);
    assert.equal(detail.callRecords.length, 1);
    assert.equal(detail.callRecords[0]!.name, 'ping');
    assert.equal(detail.callRecords[0]!.outcome, 'ok');
    assert.equal(detail.status, 'completed');
    assert.equal((await fetch(`${base}/inspector/api/runs/no-such-run`, { headers: auth })).status, 404);
  });

  test('a server shows only its own runs, not those of another server in the same process', async () => {
    const other = new CodeModeServer({ tools: [ping], inspector: true });
    const otherHttp = await other.serveHttp({ port: 0, token: TOKEN });
    try {
      await execute(client, 'return 42;');
      const { runs } = (await (await fetch(otherHttp.url.replace(/\/mcp$/, '/inspector/api/runs'), { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { runs: unknown[] };
      assert.deepEqual(runs, []);
    } finally {
      await other.close();
    }
  });

  test('serving the inspector without a token is refused', async () => {
    const open = new CodeModeServer({ inspector: true });
    try {
      await assert.rejects(open.serveHttp({ port: 0 }), { code: 'INVALID_OPTION', message: /the page at \/inspector needs a `token`/ });
    } finally {
      await open.close();
    }
  });
});

describe('preview', () => {
  test('cuts a large value after the budget without walking all of it', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => ({ i, text: 'x'.repeat(100) }));
    const text = preview(big, 200);
    assert.equal(text.length, 201);
    assert.ok(text.endsWith('…'));
    assert.equal(preview({ a: [1, 'two', null], b: 3n }, 1000), '{"a": [1, "two", null], "b": 3n}');
  });
});

describe('codemode mcp --inspector', () => {
  test('needs --http and a token: the page can approve calls', () => {
    assert.throws(() => resolveSettings(parseFlags('mcp', ['--inspector']), {}), { message: /--inspector needs --http PORT/ });
    assert.throws(() => resolveSettings(parseFlags('mcp', ['--inspector', '--http', '0']), {}), { message: /--inspector needs --token TOKEN \(or CODEMODE_TOKEN\)/ });
    assert.equal(resolveSettings(parseFlags('mcp', ['--inspector', '--http', '0']), { CODEMODE_TOKEN: 'secret-token' }).inspector, true);
    assert.throws(() => parseFlags('run', ['x.js', '--inspector']), { message: /--inspector is a flag of codemode mcp, not of run/ });
  });
});
