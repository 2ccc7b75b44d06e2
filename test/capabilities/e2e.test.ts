// The capabilities through the real Executor: model code in the sandbox calling fs, env and http, and
// refusals arriving inside the isolate as errors with `kind`.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Executor } from '../../src/index.js';
import { EnvCapability, FsCapability, HttpCapability } from '../../capabilities/index.js';
import { tempDir } from './helpers.js';
import { valueOf } from '../run-result.js';

const { dir, cleanup } = tempDir('e2e');
let server: Server;
let executor: Executor;
let base: string;

before(async () => {
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'out'));
  mkdirSync(join(dir, 'secret'));
  writeFileSync(join(dir, 'data/notes.txt'), 'from disk');
  writeFileSync(join(dir, 'secret/key'), 'SECRET');
  symlinkSync('../secret/key', join(dir, 'data/key-link'));
  server = createServer((req, res) => res.end(JSON.stringify({ path: req.url, auth: req.headers.authorization ?? null })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  executor = new Executor({
    capabilities: [
      new FsCapability({ allowedPaths: [join(dir, 'data'), { path: join(dir, 'out'), write: true }] }),
      new EnvCapability({ allowedKeys: ['APP_*'], env: { APP_NAME: 'demo', DB_PASSWORD: 'hunter2' } }),
      new HttpCapability({ allowedHosts: [base], headers: { [base]: { Authorization: 'Bearer e2e-secret-value' } } }),
    ],
  });
});
after(async () => {
  await executor?.close();
  server?.close();
  cleanup();
});

describe('capabilities through the Executor', () => {
  it('lets model code read an allowed file and write under a writable root', async () => {
    const result = await executor.run(`
      const text = await codemode.fs.readFile({ path: 'notes.txt' });
      await codemode.fs.writeFile({ path: '../out/copy.txt', content: text.toUpperCase() });
      return (await codemode.fs.readDir({ path: '../out' })).entries.map((e) => e.name);
    `);
    assert.deepEqual(valueOf(result), ['copy.txt']);
  });

  it('rejects a denied path inside the isolate with kind "denied", catchable by model code', async () => {
    const result = await executor.run(`
      const out = [];
      for (const path of ['../secret/key', 'key-link']) {
        try { await codemode.fs.readFile({ path }); out.push('read!'); } catch (e) { out.push(e.kind); }
      }
      return out;
    `);
    assert.deepEqual(valueOf(result), ['denied', 'denied']);
  });

  it('fails the run with the denial when model code does not catch it', async () => {
    const result = await executor.run(`return await codemode.fs.writeFile({ path: 'x.txt', content: 'no' })`);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'denied');
    assert.match((!result.ok && result.error.hint) || '', /Writable roots: .*out/);
  });

  it('shows model code allowed variables only', async () => {
    const result = await executor.run(`
      let denied;
      try { await codemode.env.get({ key: 'DB_PASSWORD' }); } catch (e) { denied = e.kind; }
      return { name: await codemode.env.get({ key: 'APP_NAME' }), all: await codemode.env.list({}), denied };
    `);
    assert.deepEqual(valueOf(result), { name: 'demo', all: { APP_NAME: 'demo' }, denied: 'denied' });
  });

  it('fetches from an allowed host with the host secret attached but invisible', async () => {
    const result = await executor.run(`
      const r = await codemode.http.fetch({ url: ${JSON.stringify(base + '/hello')}, responseType: 'json' });
      let other;
      try { await codemode.http.fetch({ url: 'http://169.254.169.254/latest/meta-data/' }); } catch (e) { other = e.kind; }
      return { status: r.status, body: r.body, other };
    `);
    assert.deepEqual(valueOf(result), { status: 200, body: { path: '/hello', auth: '[REDACTED]' }, other: 'denied' });
    assert.ok(!JSON.stringify(result).includes('e2e-secret-value'));
  });
});
