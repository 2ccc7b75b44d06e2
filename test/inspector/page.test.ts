// The inspector page end to end in a real browser: playwright-core driving Debian's Chromium against a real
// CodeModeServer over streamable HTTP, with the MCP SDK's real Client (without elicitation) sending the
// runs. A screenshot of the run view is kept in .scratch/test-artifacts/ (not in git).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { z } from 'zod';
import { CodeModeServer } from '../../src/mcp/index.js';
import { defineTool } from '../../src/index.js';
import { execute, httpClient, ping, signal } from '../mcp/helpers.js';

const TOKEN = 'inspector-test-token-0123456789';
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const deploy = defineTool({
  name: 'deploy',
  description: 'Deploys the site to a target.',
  input: z.object({ target: z.string() }),
  approval: 'ask',
  run: ({ target }) => `deployed ${target}`,
});

describe('the inspector page in Chromium', () => {
  let server: CodeModeServer;
  let base: string;
  let mcpUrl: string;
  let browser: Browser;
  let page: Page;
  let client: Client;

  before(async () => {
    server = new CodeModeServer({ tools: [deploy, ping], inspector: true });
    const http = await server.serveHttp({ port: 0, token: TOKEN });
    mcpUrl = http.url;
    base = http.url.replace(/\/mcp$/, '');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    client = await httpClient(mcpUrl, {}, { authorization: `Bearer ${TOKEN}` });
  });

  after(async () => {
    await client?.close();
    await browser?.close();
    await server?.close();
  });

  test('a wrong token sees the login form again and no run data', async () => {
    await page.goto(`${base}/inspector`);
    await page.fill('#token', 'not-the-token');
    await page.click('button[type=submit]');
    assert.match((await page.textContent('.error')) ?? '', /not the server’s token/);
    assert.equal(await page.locator('#run-rows').count(), 0);
    assert.equal(await page.locator('#approval-list').count(), 0);
    assert.equal(await page.locator('#detail').count(), 0);
  });

  test('logged in, a run shows live with its console and host calls; an approval on the page lets execute go on', async () => {
    await page.goto(`${base}/inspector`);
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.locator('#status', { hasText: 'live' }).waitFor();

    const code = [
      "console.log('<script>window.pwned = 1</script><b>bold</b>');",
      'await codemode.ping({});',
      "const done = await codemode.deploy({ target: 'prod' });",
      'return done;',
    ].join('\n');
    const result = execute(client, code);

    // The call waits for a person: it is at the top, with the line of code that makes it.
    const question = page.locator('li.approval');
    await question.waitFor();
    assert.equal(await question.locator('.tool').textContent(), 'codemode.deploy');
    assert.match((await question.locator('.input').textContent()) ?? '', /"target": "prod"/);
    assert.match((await question.locator('.around').first().textContent()) ?? '', /^3: const done = await codemode\.deploy/);

    // The run is listed as running, and its detail shows the console line as text and the finished call.
    await page.locator('#run-rows tr .outcome', { hasText: 'running' }).waitFor();
    await page.locator('#detail-logs li', { hasText: '<script>window.pwned = 1</script><b>bold</b>' }).waitFor();
    assert.equal(await page.locator('#detail-logs b').count(), 0, 'HTML from model code is never parsed');
    assert.equal(await page.evaluate(() => (globalThis as { pwned?: number }).pwned), undefined);
    const pingRow = page.locator('#detail-calls tr', { hasText: 'ping' });
    await pingRow.locator('.outcome', { hasText: 'ok' }).waitFor();
    assert.equal(await pingRow.locator('.answer').textContent(), '"pong"');

    mkdirSync('.scratch/test-artifacts', { recursive: true });
    await page.screenshot({ path: '.scratch/test-artifacts/inspector-run.png', fullPage: true });

    await question.locator('button.approve').click();
    const answer = await result;
    assert.equal(answer.isError, false, answer.text);
    assert.match(answer.text, /deployed prod/);
    await page.locator('#run-rows tr .outcome', { hasText: 'completed' }).first().waitFor();
    await page.locator('#detail-calls tr', { hasText: 'deploy' }).locator('.decision', { hasText: 'approved' }).waitFor();
    await page.locator('#detail-result', { hasText: 'deployed prod' }).waitFor();
    assert.equal(await page.locator('li.approval').count(), 0);
  });

  test('a denial on the page reaches the model code as denied, with the reason', async () => {
    const result = execute(client, "try { await codemode.deploy({ target: 'staging' }); return 'ran'; } catch (error) { return `${error.kind}: ${error.message}`; }");
    const question = page.locator('li.approval');
    await question.waitFor();
    await question.locator('input.reason').fill('not on Fridays');
    await question.locator('button.deny').click();
    const answer = await result;
    assert.equal(answer.isError, false, answer.text);
    assert.match(answer.text, /denied: .*not on Fridays/);
  });

  test('beside elicitation the first answer wins: approved on the page, the client’s question is withdrawn', async () => {
    const eliciting = await httpClient(mcpUrl, { capabilities: { elicitation: { form: {} } } }, { authorization: `Bearer ${TOKEN}` });
    const asked = signal<string | number>();
    const withdrawn = signal<string | number>();
    // The withdrawal as it arrives on the wire: the SDK client ignores a cancellation of request id 0 (its
    // check is `if (!requestId)`), so the handler's own signal is not a reliable witness.
    const transport = eliciting.transport!;
    const deliver = transport.onmessage!;
    transport.onmessage = (message, extra) => {
      if ('method' in message && message.method === 'elicitation/create' && 'id' in message) asked.resolve(message.id);
      if ('method' in message && message.method === 'notifications/cancelled') withdrawn.resolve((message.params as { requestId: string | number }).requestId);
      deliver.call(transport, message, extra);
    };
    eliciting.setRequestHandler(ElicitRequestSchema, () => new Promise(() => {})); // never answers: the page does
    try {
      const result = execute(eliciting, "return await codemode.deploy({ target: 'canary' });");
      const question = await asked.promise;
      await page.locator('li.approval button.approve').click();
      const answer = await result;
      assert.equal(answer.isError, false, answer.text);
      assert.match(answer.text, /deployed canary/);
      assert.equal(await withdrawn.promise, question);
    } finally {
      await eliciting.close();
    }
  });
});
