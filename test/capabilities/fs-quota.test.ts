// The fs write quota: bytes written and files created, per run (the calls sharing one run's signal) and
// over the capability's life. Real temp dirs; the last case goes through a real executor and sandbox.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Executor } from '../../src/index.js';
import { CodemodeError } from '../../capabilities/shared/public-api.js';
import { DEFAULT_MAX_RUN_FILES_CREATED, DEFAULT_MAX_RUN_WRITE_BYTES, FsCapability } from '../../capabilities/index.js';
import { call, refused, tempDir, visible } from './helpers.js';

let base: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir: base, cleanup } = tempDir('quota'));
  mkdirSync(join(base, 'out'));
});
afterEach(() => cleanup());

function capability(options: Record<string, number>): FsCapability {
  return new FsCapability({ allowedPaths: [{ path: join(base, 'out'), write: true }], ...options });
}

/** One run, as the tools see it: every call of a run shares its signal. */
const run = () => new AbortController().signal;

describe('the fs write quota per run', () => {
  it('has documented defaults, shown to the model in the capability description', () => {
    assert.equal(DEFAULT_MAX_RUN_WRITE_BYTES, 64 * 1024 * 1024);
    assert.equal(DEFAULT_MAX_RUN_FILES_CREATED, 1000);
    assert.match(capability({}).description, / One run may write 64 MiB and create 1000 files or directories in all\.$/);
    assert.doesNotMatch(new FsCapability({ allowedPaths: [join(base, 'out')] }).description, /One run may write/);
  });

  it('refuses the write that would pass the bytes quota, with the numbers and a hint, and writes nothing of it', async () => {
    const fs = capability({ maxRunWriteBytes: 10 });
    const signal = run();
    await call(fs, 'writeFile', { path: 'a.txt', content: '123456' }, signal);
    await call(fs, 'appendFile', { path: 'a.txt', content: '7890' }, signal);
    const error = await refused(call(fs, 'writeFile', { path: 'a.txt', content: 'x' }, signal), 'host');
    assert.equal(error.message, `writing 1 bytes to "a.txt" would pass this run's write quota of 10 bytes; 10 written so far`);
    assert.match(visible(error), /the quota starts again with the next run/);
    await refused(call(fs, 'appendFile', { path: 'b.txt', content: 'x' }, signal), 'host');
    assert.equal(readFileSync(join(base, 'out/a.txt'), 'utf8'), '1234567890');
    const big = await refused(call(capability({ maxRunWriteBytes: 2 * 1024 * 1024 }), 'writeFile', { path: 'big.txt', content: 'x'.repeat(3 * 1024 * 1024) }, run()), 'host');
    assert.match(big.message, /write quota of 2 MiB \(2097152 bytes\); 0 written so far$/);
    assert.equal(existsSync(join(base, 'out/b.txt')), false, 'a refused write creates no file');
    // Another run starts with a fresh quota.
    assert.deepEqual(await call(fs, 'writeFile', { path: 'a.txt', content: 'fresh' }, run()), { bytesWritten: 5 });
  });

  it('counts copies, refusing a source larger than what is left before creating the destination', async () => {
    writeFileSync(join(base, 'out/src.txt'), 'abcdefgh');
    const fs = capability({ maxRunWriteBytes: 12 });
    const signal = run();
    assert.deepEqual(await call(fs, 'copy', { from: 'src.txt', to: 'c1.txt' }, signal), { bytesCopied: 8 });
    const error = await refused(call(fs, 'copy', { from: 'src.txt', to: 'c2.txt' }, signal), 'host');
    assert.match(error.message, /^writing 8 bytes to "c2.txt" would pass this run's write quota of 12 bytes/);
    assert.equal(existsSync(join(base, 'out/c2.txt')), false);
  });

  it('counts files and directories created, not files overwritten, and gives back a create that did not happen', async () => {
    const fs = capability({ maxRunFilesCreated: 3 });
    const signal = run();
    await call(fs, 'writeFile', { path: 'one.txt', content: '1' }, signal);
    await call(fs, 'writeFile', { path: 'one.txt', content: '1 again' }, signal);
    await call(fs, 'appendFile', { path: 'one.txt', content: '+' }, signal);
    await call(fs, 'mkdir', { path: 'dir' }, signal);
    // Refused (exists, no overwrite): nothing created, nothing charged.
    await refused(call(fs, 'copy', { from: 'one.txt', to: 'dir' }, signal), 'host');
    await refused(call(fs, 'mkdir', { path: 'dir' }, signal), 'host');
    await call(fs, 'copy', { from: 'one.txt', to: 'dir/two.txt' }, signal);
    const error = await refused(call(fs, 'writeFile', { path: 'three.txt', content: '3' }, signal), 'host');
    assert.equal(error.message, `creating "three.txt" would pass this run's quota of 3 new files and directories`);
    await refused(call(fs, 'mkdir', { path: 'a/b', recursive: true }, signal), 'host');
    assert.deepEqual(readdirSync(join(base, 'out')).sort(), ['dir', 'one.txt']);
    // Overwriting an existing file creates nothing, so it is still allowed.
    await call(fs, 'copy', { from: 'one.txt', to: 'dir/two.txt', overwrite: true }, signal);
  });

  it('holds under concurrent calls of one run: exactly the quota of files is created', async () => {
    const fs = capability({ maxRunFilesCreated: 5 });
    const signal = run();
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => call(fs, 'writeFile', { path: `f${i}.txt`, content: 'x' }, signal)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5);
    assert.equal(readdirSync(join(base, 'out')).length, 5);
  });

  it('holds under concurrent writes of one run: never more bytes than the quota', async () => {
    const fs = capability({ maxRunWriteBytes: 1000 });
    const signal = run();
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => call(fs, 'appendFile', { path: `log${i % 3}.txt`, content: 'y'.repeat(100) }, signal)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
    const written = readdirSync(join(base, 'out')).reduce((sum, name) => sum + readFileSync(join(base, 'out', name)).length, 0);
    assert.equal(written, 1000);
  });
});

describe('the fs write quota over the capability life', () => {
  it('is off by default and, when set, counts every run and never resets', async () => {
    const fs = capability({ maxTotalWriteBytes: 8, maxTotalFilesCreated: 2 });
    await call(fs, 'writeFile', { path: 'a.txt', content: '1234' }, run());
    await call(fs, 'writeFile', { path: 'b.txt', content: '5678' }, run());
    const bytes = await refused(call(fs, 'writeFile', { path: 'a.txt', content: '9' }, run()), 'host');
    assert.equal(bytes.message, `writing 1 bytes to "a.txt" would pass the fs capability's write quota of 8 bytes over its life; 8 written so far`);
    assert.match(visible(bytes), /does not reset; the host operator sets it \(maxTotalWriteBytes/);
    const files = await refused(call(fs, 'mkdir', { path: 'd' }, run()), 'host');
    assert.match(files.message, /quota of 2 new files and directories \(over its life\)/);
  });

  it('validates its options like the other limits', () => {
    const bad = (options: Record<string, unknown>, pattern: RegExp) =>
      assert.throws(() => capability(options as Record<string, number>), (e: unknown) => e instanceof CodemodeError && e.code === 'INVALID_OPTION' && pattern.test(e.message));
    bad({ maxRunWriteBytes: 0 }, /expected `maxRunWriteBytes` to be a positive integer, got `0` \(number\)/);
    bad({ maxRunFilesCreated: 1.5 }, /expected `maxRunFilesCreated` to be a positive integer, got `1.5`/);
    bad({ maxTotalWriteBytes: '1GB' }, /expected `maxTotalWriteBytes` to be a positive integer, got `"1GB"` \(string\)/);
    bad({ maxTotalFilesCreated: -1 }, /expected `maxTotalFilesCreated` to be a positive integer/);
    bad({ maxRunWriteByte: 1 }, /unknown option `maxRunWriteByte`/);
  });
});

describe('the fs write quota through an executor', () => {
  it('stops one run at its quota and lets the next run write again', async () => {
    const executor = new Executor({ capabilities: [capability({ maxRunWriteBytes: 1000, maxRunFilesCreated: 50 })] });
    try {
      const flood = await executor.run(`
        let n = 0;
        try { for (;;) { await codemode.fs.writeFile({ path: 'f' + n + '.txt', content: 'z'.repeat(300) }); n++; } }
        catch (e) { return { n, kind: e.kind, message: e.message }; }`);
      assert.ok(flood.ok, JSON.stringify(flood));
      assert.deepEqual(flood.value, { n: 3, kind: 'host', message: `writing 300 bytes to "f3.txt" would pass this run's write quota of 1000 bytes; 900 written so far` });
      const next = await executor.run(`return await codemode.fs.writeFile({ path: 'next.txt', content: 'ok' })`);
      assert.deepEqual(next.ok && next.value, { bytesWritten: 2 });
    } finally {
      await executor.close();
    }
  });
});
