// Paused durable runs on the inspector page, in a real browser (playwright-core driving Debian's Chromium):
// a run paused by another executor on the same FileStorage is listed with its pending calls, and a person
// approves one, denies the other with a reason, and resumes it from the page; the run then shows live and
// completes, and the page lists nothing paused. A wrong decision body is refused by the API.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { z } from 'zod';
import { CodeModeServer } from '../../src/mcp/index.js';
import { defineTool, Executor } from '../../src/index.js';
import { FileStorage } from '../../src/storage/index.js';

const TOKEN = 'inspector-paused-token-0123456789';
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const deployed: string[] = [];
const deploy = defineTool({
  name: 'deploy',
  description: 'Deploys the site to a target.',
  input: z.object({ target: z.string() }),
  approval: 'ask',
  run: ({ target }) => (deployed.push(target), `deployed ${target}`),
});

describe('paused durable runs on the inspector page in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codemode-inspector-paused-'));
  let server: CodeModeServer;
  let base: string;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = new CodeModeServer({ tools: [deploy], inspector: true, storage: new FileStorage({ dir }), minProcesses: 1 });
    const http = await server.serveHttp({ port: 0, token: TOKEN });
    base = http.url.replace(/\/mcp$/, '');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a paused run is listed with its pending calls and resumes from the page with a decision per call', async () => {
    // Another host on the same storage (a batch job, say) paused the run: no approver was at hand.
    const job = new Executor({ tools: [deploy], storage: new FileStorage({ dir }), minProcesses: 0 });
    const code = "return await Promise.all([codemode.deploy({ target: 'prod' }), codemode.deploy({ target: 'eu' }).catch((e) => e.kind + ': ' + e.message)])";
    const paused = await job.run(code, { runId: 'release-7', durable: true });
    await job.close();
    assert.equal(!paused.ok && paused.error.kind, 'paused');

    await page.goto(`${base}/inspector`);
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.locator('#status', { hasText: 'live' }).waitFor();

    const run = page.locator('li.paused-run', { hasText: 'release-7' });
    await run.waitFor();
    const calls = run.locator('.pending');
    assert.equal(await calls.count(), 2);
    assert.equal(await calls.nth(0).locator('.tool').textContent(), 'codemode.deploy (call 1)');
    assert.match((await calls.nth(0).locator('.input').textContent()) ?? '', /"target": "prod"/);
    assert.match((await calls.nth(1).locator('.input').textContent()) ?? '', /"target": "eu"/);

    mkdirSync('.scratch/test-artifacts', { recursive: true });
    await page.screenshot({ path: '.scratch/test-artifacts/inspector-paused.png', fullPage: true });

    await calls.nth(0).locator('button.approve').click();
    await calls.nth(1).locator('input.reason').fill('not the EU today');
    await calls.nth(1).locator('button.deny').click();
    await run.locator('button.resume').click();

    // The resumed run shows live, completes with both answers, and nothing is paused any more.
    await page.locator('#status', { hasText: 'release-7: completed' }).waitFor();
    await page.locator('#no-paused').waitFor({ state: 'visible' });
    await page.locator('#run-rows tr', { hasText: 'completed' }).first().click();
    await page.locator('#detail-result', { hasText: 'deployed prod' }).waitFor();
    assert.match((await page.locator('#detail-result').textContent()) ?? '', /denied: codemode\.deploy was not approved: not the EU today/);
    assert.deepEqual(deployed, ['prod']);
  });

  test('the resume API refuses a body without decisions and a run that is not paused', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await post('/inspector/api/paused/release-7', { decisions: {} })).status, 400);
    assert.equal((await post('/inspector/api/paused/release-7', { decisions: { 1: { allowed: 'yes' } } })).status, 400);
    const gone = await post('/inspector/api/paused/never-ran', { decisions: { 1: { allowed: true } } });
    assert.equal(gone.status, 404);
    assert.match(((await gone.json()) as { error: string }).error, /no journal of run "never-ran"/);
    const done = await post('/inspector/api/paused/release-7', { decisions: { 1: { allowed: true } } });
    assert.equal(done.status, 409);
    assert.match(((await done.json()) as { error: string }).error, /has no call "1" waiting for a decision \(it waits on none\)/);
    const listed = await fetch(`${base}/inspector/api/paused`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.deepEqual(await listed.json(), { paused: [] });
  });
});
