// Hard links: a file with a second name outside the writable root (made by the host with link(2), which
// model code cannot do) must never change through the fs tools. Real temp dirs, real `linkSync`.
import assert from 'node:assert/strict';
import { linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FsCapability } from '../../capabilities/index.js';
import { READ_FLAGS, WRITE_FLAGS, openDir, openFile, openForWriting } from '../../capabilities/fs/handle.js';
import { resolveTarget } from '../../capabilities/fs/resolve.js';
import { Roots, buildRoots } from '../../capabilities/fs/roots.js';
import { call, refused, tempDir, visible } from './helpers.js';

let base: string;
let cleanup: () => void;
let fs: FsCapability;
const outside = () => join(base, 'secret/keep.txt');

beforeEach(() => {
  ({ dir: base, cleanup } = tempDir('hardlinks'));
  mkdirSync(join(base, 'out'));
  mkdirSync(join(base, 'secret'));
  writeFileSync(outside(), 'SECRET');
  linkSync(outside(), join(base, 'out/linked.txt'));
  writeFileSync(join(base, 'out/plain.txt'), 'plain');
  fs = new FsCapability({ allowedPaths: [{ path: join(base, 'out'), write: true }] });
});
afterEach(() => cleanup());

function assertOutsideUnchanged(): void {
  assert.equal(readFileSync(outside(), 'utf8'), 'SECRET');
}

describe('a file with more than one hard link', () => {
  it('refuses writeFile, and the file outside is neither truncated nor written', async () => {
    const error = await refused(call(fs, 'writeFile', { path: 'linked.txt', content: 'pwned' }), 'denied');
    assert.equal(error.message, '"linked.txt" has 2 hard links (other names for the same file, which may lie outside the allowed roots), so it is read-only');
    assert.match(visible(error), /copy it to a new path and change the copy/);
    assertOutsideUnchanged();
  });

  it('refuses appendFile', async () => {
    await refused(call(fs, 'appendFile', { path: 'linked.txt', content: 'more' }), 'denied');
    assertOutsideUnchanged();
  });

  it('refuses copy with overwrite onto it, and copy without overwrite as an existing file', async () => {
    await refused(call(fs, 'copy', { from: 'plain.txt', to: 'linked.txt', overwrite: true }), 'denied');
    await refused(call(fs, 'copy', { from: 'plain.txt', to: 'linked.txt' }), 'host');
    assertOutsideUnchanged();
  });

  it('refuses a copy onto another name of the same file, which would have emptied it', async () => {
    linkSync(outside(), join(base, 'out/twin.txt'));
    await refused(call(fs, 'copy', { from: 'linked.txt', to: 'twin.txt', overwrite: true }), 'denied');
    assertOutsideUnchanged();
  });

  it('can be read, copied to a new file that is writable, and is reported as not writable', async () => {
    assert.equal(await call(fs, 'readFile', { path: 'linked.txt' }), 'SECRET');
    assert.deepEqual(await call(fs, 'copy', { from: 'linked.txt', to: 'mine.txt' }), { bytesCopied: 6 });
    assert.equal(lstatSync(join(base, 'out/mine.txt')).nlink, 1);
    assert.deepEqual(await call(fs, 'appendFile', { path: 'mine.txt', content: '+' }), { bytesWritten: 1, size: 7 });
    assert.equal(((await call(fs, 'stat', { path: 'linked.txt' })) as { writable: boolean }).writable, false);
    assert.equal(((await call(fs, 'stat', { path: 'mine.txt' })) as { writable: boolean }).writable, true);
    assertOutsideUnchanged();
  });

  // Replacing or removing a name changes the directory inside the root, never the shared file: the other
  // name keeps its content (POSIX semantics of a read-only file in a writable directory).
  it('may have its name replaced by a move or removed, leaving the other name intact', async () => {
    assert.deepEqual(await call(fs, 'move', { from: 'plain.txt', to: 'linked.txt', overwrite: true }), { overwritten: true });
    assert.equal(readFileSync(join(base, 'out/linked.txt'), 'utf8'), 'plain');
    assertOutsideUnchanged();
    linkSync(outside(), join(base, 'out/again.txt'));
    assert.deepEqual(await call(fs, 'remove', { path: 'again.txt' }), { removed: 1 });
    assertOutsideUnchanged();
    assert.equal(lstatSync(outside()).nlink, 1);
  });

  it('refuses a write when the link is made between the check and the open (checked on the opened handle)', async () => {
    const roots = new Roots(buildRoots('test', [{ path: join(base, 'out'), write: true }]));
    for (const append of [false, true]) {
      const name = `late-${append}.txt`;
      const target = await resolveTarget(roots, name, { access: 'write', follow: true });
      assert.equal(target.exists, false);
      // The host links a new name in the root to the outside file after the path was checked.
      linkSync(outside(), join(base, 'out', name));
      const dir = await openDir(join(base, 'out'), name);
      let reserved = 0;
      const reserveCreate = () => ((reserved += 1), () => void (reserved -= 1));
      try {
        await refused(openForWriting({ dir, name }, target.real, name, { append, exists: false, reserveCreate }), 'denied');
        await refused(openFile({ dir, name }, target.real, WRITE_FLAGS, name), 'denied');
      } finally {
        await dir.close();
      }
      // The exclusive create found the name taken, so no create was counted.
      assert.equal(reserved, 0);
    }
    // Reading through the same path is allowed.
    const read = await openFile(join(base, 'out/linked.txt'), join(base, 'out/linked.txt'), READ_FLAGS, 'linked.txt');
    await read.handle.close();
    assertOutsideUnchanged();
  });
});

describe('model code and hard links', () => {
  it('cannot make one through any fs tool: every file the tools leave has exactly one link', async () => {
    writeFileSync(join(base, 'out/plain.txt'), 'plain');
    await call(fs, 'writeFile', { path: 'a.txt', content: 'a' });
    await call(fs, 'appendFile', { path: 'a.txt', content: 'b' });
    await call(fs, 'appendFile', { path: 'new.txt', content: 'n' });
    await call(fs, 'mkdir', { path: 'd/e', recursive: true });
    await call(fs, 'copy', { from: 'a.txt', to: 'd/e/b.txt' });
    await call(fs, 'copy', { from: 'plain.txt', to: 'd/e/b.txt', overwrite: true });
    await call(fs, 'move', { from: 'new.txt', to: 'd/moved.txt' });
    await call(fs, 'move', { from: 'd/moved.txt', to: 'a.txt', overwrite: true });
    await call(fs, 'remove', { path: 'linked.txt' });
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
    const files = walk(join(base, 'out'));
    assert.deepEqual(files.map((f) => f.slice(base.length)).sort(), ['/out/a.txt', '/out/d/e/b.txt', '/out/plain.txt']);
    for (const file of files) assert.equal(lstatSync(file).nlink, 1, file);
    assert.equal(lstatSync(outside()).nlink, 1);
    assertOutsideUnchanged();
  });
});
