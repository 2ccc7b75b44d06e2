// ArtifactsCapability: model code saving and loading text, JSON and bytes through the real Executor and
// sandbox, the host seeing the same store, and the store's refusals as model errors that hide where it is.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Executor } from '../../src/index.js';
import { ArtifactsCapability } from '../../capabilities/index.js';
import { Artifacts, FileStorage } from '../../src/storage/index.js';
import { call, refused, tempDir, visible } from './helpers.js';

const { dir, cleanup } = tempDir('artifacts');
const storage = new FileStorage({ dir, maxEntryBytes: 1024, maxEntries: 10 });
const capability = new ArtifactsCapability({ storage });
let executor: Executor;

before(() => {
  executor = new Executor({ capabilities: [capability] });
});
after(async () => {
  await executor?.close();
  await storage.close();
  cleanup();
});

describe('codemode.artifacts in model code', () => {
  it('saves text, JSON and bytes in one run and loads them back, as the same kinds, in the next', async () => {
    const saved = await executor.run(`
      await codemode.artifacts.save({ name: 'notes.txt', data: 'hello\\n' });
      await codemode.artifacts.save({ name: 'rows.json', data: [{ id: 1, ok: true }, null] });
      await codemode.artifacts.save({ name: 'img/dot.png', data: new Uint8Array([137, 80, 78, 71]), contentType: 'image/png' });
      return (await codemode.artifacts.list()).map((a) => [a.name, a.kind, a.contentType, a.size]);
    `);
    assert.ok(saved.ok, JSON.stringify(saved));
    assert.deepEqual(saved.value, [
      ['img/dot.png', 'bytes', 'image/png', 4],
      ['notes.txt', 'text', 'text/plain; charset=utf-8', 6],
      ['rows.json', 'json', 'application/json', 25],
    ]);
    const loaded = await executor.run(`
      const text = await codemode.artifacts.load({ name: 'notes.txt' });
      const rows = await codemode.artifacts.load({ name: 'rows.json' });
      const png = await codemode.artifacts.load({ name: 'img/dot.png' });
      return { text, rows, isBytes: png instanceof Uint8Array, png: Array.from(png) };
    `);
    assert.ok(loaded.ok, JSON.stringify(loaded));
    assert.deepEqual(loaded.value, { text: 'hello\n', rows: [{ id: 1, ok: true }, null], isBytes: true, png: [137, 80, 78, 71] });
  });

  it('shares the store with the host: what the host saves, model code loads, and the other way round', async () => {
    const host = new Artifacts(storage);
    await host.save({ name: 'from-host.json', data: { n: 42 } });
    const result = await executor.run(`
      const { n } = await codemode.artifacts.load({ name: 'from-host.json' });
      await codemode.artifacts.save({ name: 'from-model.txt', data: 'n=' + n });
      return (await codemode.artifacts.delete({ name: 'from-host.json' })).deleted;
    `);
    assert.deepEqual([result.ok, result.ok && result.value], [true, true]);
    assert.equal(await host.load({ name: 'from-model.txt' }), 'n=42');
    assert.ok(!(await host.list()).some((a) => a.name === 'from-host.json'));
  });

  it('a missing artifact rejects inside the run with kind host, the name, and a hint', async () => {
    const result = await executor.run(`
      try { await codemode.artifacts.load({ name: 'nope.txt' }); } catch (e) { return [e.kind, e.message, e.hint]; }
    `);
    assert.ok(result.ok);
    assert.deepEqual(result.value, ['host', 'no artifact named "nope.txt"', 'codemode.artifacts.list() shows the saved names.']);
  });

  it('declares the four tools to the model', () => {
    const declarations = executor.declarations();
    for (const tool of ['save', 'load', 'list', 'delete']) assert.match(declarations, new RegExp(`\\b${tool}\\(`));
    assert.match(declarations, /Text, any JSON value, or bytes \(Uint8Array\)\./);
  });
});

describe('artifacts refusals', () => {
  it('a traversal name or a control character is invalid_input; messages never show the store location', async () => {
    const traversal = await refused(call(capability, 'save', { name: '../../etc/passwd', data: 'x' }), 'invalid_input');
    assert.match(traversal.message, /^expected the artifact name to be "\/"-separated segments that are not empty, "\." or "\.\.", got/);
    await refused(call(capability, 'load', { name: 'a\u0000b' }), 'invalid_input');
    await refused(call(capability, 'save', { name: 'when', data: { at: new Date(0) } }), 'invalid_input');
    const missing = await refused(call(capability, 'load', { name: 'ghost' }), 'host');
    assert.ok(!visible(missing).includes(dir), visible(missing));
  });

  it('too large and too many are host errors with the numbers, without option names', async () => {
    const big = await refused(call(capability, 'save', { name: 'big', data: 'x'.repeat(1025) }), 'host');
    assert.equal(big.message, 'artifacts "big" is 1025 bytes; the limit is 1024 bytes');
    const existing = (await storage.list('artifacts')).length;
    for (let i = existing; i < 10; i++) await call(capability, 'save', { name: `fill-${i}`, data: i });
    const full = await refused(call(capability, 'save', { name: 'one-more', data: 1 }), 'host');
    assert.equal(full.message, 'cannot add artifacts "one-more": the namespace holds 10 entries, the limit is 10; delete some first');
  });

  it('a closed store is a host error that shows neither path nor address', async () => {
    const closed = new FileStorage({ dir });
    await closed.close();
    const error = await refused(call(new ArtifactsCapability({ storage: closed }), 'list', {}), 'host');
    assert.equal(visible(error), 'the artifact store failed (STORAGE_CLOSED)\nTry again later; artifacts saved before are kept.');
  });

  it('bad options throw INVALID_OPTION', () => {
    assert.throws(() => new ArtifactsCapability({ storage: {} as never }), /ArtifactsCapability: expected `storage` to be a Storage/);
  });
});
