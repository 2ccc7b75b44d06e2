// What each fs tool does inside the roots: content, limits, types, and how mutations treat links and roots.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CodemodeError } from '../../capabilities/shared/public-api.js';
import { FsCapability } from '../../capabilities/index.js';
import { call, refused, tempDir } from './helpers.js';

let base: string;
let cleanup: () => void;
let fs: FsCapability;

beforeEach(() => {
  ({ dir: base, cleanup } = tempDir('tools'));
  mkdirSync(join(base, 'data/sub'), { recursive: true });
  mkdirSync(join(base, 'out'));
  mkdirSync(join(base, 'secret'));
  writeFileSync(join(base, 'data/a.txt'), 'héllo');
  writeFileSync(join(base, 'data/bin'), Buffer.from([0, 255, 1]));
  writeFileSync(join(base, 'secret/s.txt'), 'SECRET');
  symlinkSync('a.txt', join(base, 'data/link'));
  fs = new FsCapability({ allowedPaths: [join(base, 'data'), { path: join(base, 'out'), write: true }], maxReadBytes: 100, maxWriteBytes: 50, maxDirEntries: 3 });
});
afterEach(() => cleanup());

describe('FsCapability', () => {
  it('is named fs and has the nine fixed tools', () => {
    assert.equal(fs.name, 'fs');
    assert.deepEqual(fs.tools.map((t) => t.name), ['readFile', 'readDir', 'stat', 'writeFile', 'appendFile', 'mkdir', 'remove', 'move', 'copy']);
    assert.match(fs.description, /\(read-only\).*\(writable\)\. Relative paths start at /);
  });

  it('declares only the reading tools when no root is writable', () => {
    const readOnly = new FsCapability({ allowedPaths: [join(base, 'data')] });
    assert.deepEqual(readOnly.tools.map((t) => t.name), ['readFile', 'readDir', 'stat']);
  });

  it('rejects bad options with the value it got', () => {
    const bad = (options: unknown, pattern: RegExp) => assert.throws(() => new FsCapability(options as never), (e: unknown) => e instanceof CodemodeError && e.code === 'INVALID_OPTION' && pattern.test(e.message));
    bad({ allowedPaths: [] }, /expected `allowedPaths` to be a non-empty array/);
    bad({ allowedPaths: [join(base, 'missing')] }, /existing directory or file, got `".*missing"` \(string\) \(ENOENT\)/);
    bad({ allowedPaths: [join(base, 'data/a.txt')] }, /`allowedPaths\[0\]` to be a directory/);
    bad({ allowedPaths: ['/proc/self'] }, /outside \/proc, \/dev and \/sys/);
    bad({ allowedPaths: [{ path: join(base, 'out'), write: 'yes' }] }, /`allowedPaths\[0\].write` to be a boolean, got `"yes"` \(string\)/);
    bad({ allowedPaths: [join(base, 'data')], maxReadBytes: -5 }, /expected `maxReadBytes` to be a positive integer, got `-5` \(number\)/);
    bad({ alowedPaths: [join(base, 'data')] }, /unknown option `alowedPaths`/);
  });

  it('allows a single file as a later root', async () => {
    const one = new FsCapability({ allowedPaths: [join(base, 'out'), join(base, 'secret/s.txt')] });
    assert.equal(await call(one, 'readFile', { path: join(base, 'secret/s.txt') }), 'SECRET');
    await refused(call(one, 'readFile', { path: join(base, 'secret/other.txt') }), 'denied');
  });
});

describe('fs.readFile', () => {
  it('returns UTF-8 text, or base64 bytes', async () => {
    assert.equal(await call(fs, 'readFile', { path: 'a.txt' }), 'héllo');
    assert.equal(await call(fs, 'readFile', { path: 'bin', encoding: 'base64' }), 'AP8B');
  });

  it('refuses a file over maxReadBytes, naming the limit', async () => {
    writeFileSync(join(base, 'data/big'), 'x'.repeat(101));
    const error = await refused(call(fs, 'readFile', { path: 'big' }), 'host');
    assert.match(error.message, /read limit of 100 bytes/);
  });

  it('rejects unknown input keys', async () => {
    await refused(call(fs, 'readFile', { path: 'a.txt', encodig: 'base64' }), 'invalid_input');
  });
});

describe('fs.writeFile and fs.appendFile', () => {
  it('writes, replaces and appends under a writable root', async () => {
    assert.deepEqual(await call(fs, 'writeFile', { path: '../out/f.txt', content: 'one two' }), { bytesWritten: 7 });
    assert.deepEqual(await call(fs, 'writeFile', { path: '../out/f.txt', content: 'one' }), { bytesWritten: 3 });
    assert.deepEqual(await call(fs, 'appendFile', { path: '../out/f.txt', content: '+2' }), { bytesWritten: 2, size: 5 });
    assert.equal(readFileSync(join(base, 'out/f.txt'), 'utf8'), 'one+2');
    await call(fs, 'writeFile', { path: '../out/b', content: 'AP8B', encoding: 'base64' });
    assert.deepEqual([...readFileSync(join(base, 'out/b'))], [0, 255, 1]);
  });

  it('refuses content over maxWriteBytes, and an append that would grow the file past it', async () => {
    await refused(call(fs, 'writeFile', { path: '../out/f.txt', content: 'x'.repeat(51) }), 'invalid_input');
    assert.equal(existsSync(join(base, 'out/f.txt')), false);
    await call(fs, 'writeFile', { path: '../out/f.txt', content: 'x'.repeat(40) });
    const error = await refused(call(fs, 'appendFile', { path: '../out/f.txt', content: 'y'.repeat(20) }), 'host');
    assert.match(error.message, /would grow .* to 60 bytes; the limit is 50/);
  });

  it('rejects malformed base64 instead of writing what Buffer could guess', async () => {
    await refused(call(fs, 'writeFile', { path: '../out/f', content: 'not base64!', encoding: 'base64' }), 'invalid_input');
  });

  it('refuses to write to a FIFO, without blocking', async () => {
    execFileSync('mkfifo', [join(base, 'out/pipe')]);
    await refused(call(fs, 'writeFile', { path: '../out/pipe', content: 'x' }), 'denied');
    await refused(call(fs, 'appendFile', { path: '../out/pipe', content: 'x' }), 'denied');
  });

  it('writes through a link that stays inside a writable root, to its target', async () => {
    writeFileSync(join(base, 'out/target.txt'), 'old');
    symlinkSync('target.txt', join(base, 'out/alias'));
    await call(fs, 'writeFile', { path: '../out/alias', content: 'new' });
    assert.equal(readFileSync(join(base, 'out/target.txt'), 'utf8'), 'new');
  });
});

describe('fs.readDir and fs.stat', () => {
  it('lists names and types sorted by name', async () => {
    const wide = new FsCapability({ allowedPaths: [join(base, 'data')] });
    assert.deepEqual(await call(wide, 'readDir', { path: '.' }), {
      entries: [
        { name: 'a.txt', type: 'file' },
        { name: 'bin', type: 'file' },
        { name: 'link', type: 'symlink' },
        { name: 'sub', type: 'directory' },
      ],
      truncated: false,
    });
    assert.deepEqual(await call(fs, 'readDir', { path: 'sub' }), { entries: [], truncated: false });
  });

  it('stops at maxDirEntries and says it did', async () => {
    const listing = (await call(fs, 'readDir', { path: '.' })) as { entries: { name: string }[]; truncated: boolean };
    assert.equal(listing.entries.length, 3);
    assert.equal(listing.truncated, true);
  });

  it('describes a file or directory, and returns null when nothing is there', async () => {
    const file = (await call(fs, 'stat', { path: 'a.txt' })) as { type: string; size: number; writable: boolean };
    assert.deepEqual([file.type, file.size, file.writable], ['file', 6, false]);
    const dir = (await call(fs, 'stat', { path: '../out' })) as { type: string; writable: boolean };
    assert.deepEqual([dir.type, dir.writable], ['directory', true]);
    assert.equal(await call(fs, 'stat', { path: 'nope' }), null);
  });
});

describe('fs.mkdir', () => {
  it('creates one directory, or a chain with recursive', async () => {
    assert.deepEqual(await call(fs, 'mkdir', { path: '../out/one' }), { created: true });
    await refused(call(fs, 'mkdir', { path: '../out/one' }), 'host');
    await refused(call(fs, 'mkdir', { path: '../out/a/b/c' }), 'host');
    assert.deepEqual(await call(fs, 'mkdir', { path: '../out/a/b/c', recursive: true }), { created: true });
    assert.deepEqual(await call(fs, 'mkdir', { path: '../out/a/b/c', recursive: true }), { created: false });
    assert.ok(lstatSync(join(base, 'out/a/b/c')).isDirectory());
  });

  it('refuses under a read-only root', async () => {
    await refused(call(fs, 'mkdir', { path: 'newdir' }), 'denied');
  });
});

describe('fs.remove', () => {
  it('removes a file, and a directory only with recursive', async () => {
    mkdirSync(join(base, 'out/d/e'), { recursive: true });
    writeFileSync(join(base, 'out/d/e/f'), '');
    writeFileSync(join(base, 'out/g'), '');
    assert.deepEqual(await call(fs, 'remove', { path: '../out/g' }), { removed: 1 });
    await refused(call(fs, 'remove', { path: '../out/d' }), 'host');
    assert.deepEqual(await call(fs, 'remove', { path: '../out/d', recursive: true }), { removed: 3 });
    assert.equal(existsSync(join(base, 'out/d')), false);
  });

  it('removes a link itself, never its target', async () => {
    symlinkSync(join(base, 'secret/s.txt'), join(base, 'out/escape'));
    assert.deepEqual(await call(fs, 'remove', { path: '../out/escape' }), { removed: 1 });
    assert.equal(readFileSync(join(base, 'secret/s.txt'), 'utf8'), 'SECRET');
  });

  it('never removes a root', async () => {
    await refused(call(fs, 'remove', { path: '../out', recursive: true }), 'denied');
    const nested = new FsCapability({ allowedPaths: [{ path: join(base, 'out'), write: true }, join(base, 'out')] });
    mkdirSync(join(base, 'out/inner'));
    const inner = new FsCapability({ allowedPaths: [{ path: join(base, 'out'), write: true }, join(base, 'out/inner')] });
    await refused(call(inner, 'remove', { path: 'inner', recursive: true }), 'denied');
    await refused(call(nested, 'remove', { path: '.', recursive: true }), 'denied');
  });

  it('refuses under a read-only root', async () => {
    await refused(call(fs, 'remove', { path: 'a.txt' }), 'denied');
  });
});

describe('fs.move and fs.copy', () => {
  it('moves within writable roots, and replaces only with overwrite', async () => {
    writeFileSync(join(base, 'out/a'), 'A');
    writeFileSync(join(base, 'out/b'), 'B');
    await refused(call(fs, 'move', { from: '../out/a', to: '../out/b' }), 'host');
    assert.deepEqual(await call(fs, 'move', { from: '../out/a', to: '../out/b', overwrite: true }), { overwritten: true });
    assert.equal(readFileSync(join(base, 'out/b'), 'utf8'), 'A');
    assert.deepEqual(await call(fs, 'move', { from: '../out/b', to: '../out/c' }), { overwritten: false });
  });

  it('needs write access at both ends of a move', async () => {
    await refused(call(fs, 'move', { from: 'a.txt', to: '../out/a.txt' }), 'denied');
    writeFileSync(join(base, 'out/x'), 'X');
    await refused(call(fs, 'move', { from: '../out/x', to: 'x' }), 'denied');
    await refused(call(fs, 'move', { from: '../out/x', to: '../secret/x' }), 'denied');
    assert.equal(readFileSync(join(base, 'out/x'), 'utf8'), 'X');
  });

  it('copies a readable file to a writable root, and replaces only with overwrite', async () => {
    assert.deepEqual(await call(fs, 'copy', { from: 'a.txt', to: '../out/a.txt' }), { bytesCopied: 6 });
    await refused(call(fs, 'copy', { from: 'a.txt', to: '../out/a.txt' }), 'host');
    await call(fs, 'copy', { from: 'bin', to: '../out/a.txt', overwrite: true });
    assert.deepEqual([...readFileSync(join(base, 'out/a.txt'))], [0, 255, 1]);
  });

  it('refuses to copy from outside, to a read-only root, a directory, or past maxWriteBytes', async () => {
    await refused(call(fs, 'copy', { from: '../secret/s.txt', to: '../out/s.txt' }), 'denied');
    await refused(call(fs, 'copy', { from: 'a.txt', to: 'a2.txt' }), 'denied');
    const dir = await refused(call(fs, 'copy', { from: 'sub', to: '../out/sub' }), 'host');
    assert.match(dir.hint ?? '', /copy each file/);
    writeFileSync(join(base, 'data/big'), 'x'.repeat(60));
    await refused(call(fs, 'copy', { from: 'big', to: '../out/big' }), 'host');
  });
});
