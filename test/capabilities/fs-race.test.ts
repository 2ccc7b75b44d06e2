// The check-then-open race: a path checked by resolve.ts is swapped for a symbolic link (at the end or in
// the middle) before handle.ts opens it. Driven step by step, so the swap lands exactly in the window.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FsCapability } from '../../capabilities/index.js';
import { READ_FLAGS, WRITE_FLAGS, openDir, openFile } from '../../capabilities/fs/handle.js';
import { resolveTarget } from '../../capabilities/fs/resolve.js';
import { Roots, buildRoots } from '../../capabilities/fs/roots.js';
import { call, refused, tempDir } from './helpers.js';

let base: string;
let cleanup: () => void;
let roots: Roots;

beforeEach(() => {
  ({ dir: base, cleanup } = tempDir('race'));
  mkdirSync(join(base, 'root/sub'), { recursive: true });
  mkdirSync(join(base, 'secret'));
  writeFileSync(join(base, 'root/a.txt'), 'inside');
  writeFileSync(join(base, 'root/sub/b.txt'), 'inside');
  writeFileSync(join(base, 'secret/a.txt'), 'SECRET');
  writeFileSync(join(base, 'secret/b.txt'), 'SECRET');
  roots = new Roots(buildRoots('test', [{ path: join(base, 'root'), write: true }]));
});
afterEach(() => cleanup());

describe('a path swapped between the check and the open', () => {
  it('refuses a file replaced by a symlink to outside before it is opened', async () => {
    const target = await resolveTarget(roots, 'a.txt', { access: 'read', follow: true });
    renameSync(join(base, 'root/a.txt'), join(base, 'root/a.old'));
    symlinkSync(join(base, 'secret/a.txt'), join(base, 'root/a.txt'));
    const error = await refused(openFile(target.real, target.real, READ_FLAGS, 'a.txt'), 'denied');
    assert.match(error.message, /changed while it was being opened/);
  });

  it('refuses a directory in the middle of the path replaced by a symlink to outside', async () => {
    const target = await resolveTarget(roots, 'sub/b.txt', { access: 'read', follow: true });
    renameSync(join(base, 'root/sub'), join(base, 'root/sub.old'));
    symlinkSync(join(base, 'secret'), join(base, 'root/sub'));
    // O_NOFOLLOW cannot see this one (the last component is a plain file); the descriptor check does.
    await refused(openFile(target.real, target.real, READ_FLAGS, 'sub/b.txt'), 'denied');
  });

  it('refuses to list a directory that became a symlink to outside', async () => {
    const target = await resolveTarget(roots, 'sub', { access: 'read', follow: true });
    renameSync(join(base, 'root/sub'), join(base, 'root/sub.old'));
    symlinkSync(join(base, 'secret'), join(base, 'root/sub'));
    await refused(openDir(target.real, 'sub'), 'denied');
  });

  it('never creates or truncates a file outside when the parent is swapped before a write', async () => {
    const target = await resolveTarget(roots, 'sub/b.txt', { access: 'write', follow: true });
    renameSync(join(base, 'root/sub'), join(base, 'root/sub.old'));
    symlinkSync(join(base, 'secret'), join(base, 'root/sub'));
    // The write path opens the parent first, verified; it must fail before any name is touched.
    await refused(openDir(join(target.real, '..'), 'sub/b.txt'), 'denied');
    assert.equal(readFileSync(join(base, 'secret/b.txt'), 'utf8'), 'SECRET');
  });

  // Names resolve through /proc/self/fd/N only on Linux; elsewhere this window is the documented weakness.
  it('creates nothing outside when a verified directory is swapped for a link after it was opened', { skip: !existsSync('/proc/self/fd') }, async () => {
    const dir = await openDir(join(base, 'root/sub'), 'sub');
    try {
      renameSync(join(base, 'root/sub'), join(base, 'root/sub.old'));
      symlinkSync(join(base, 'secret'), join(base, 'root/sub'));
      // Names are resolved through the open descriptor, so the create lands in the moved directory
      // (still inside), and the handle no longer matches the checked path, so nothing is written.
      await refused(openFile({ dir, name: 'new.txt' }, join(base, 'root/sub/new.txt'), WRITE_FLAGS, 'sub/new.txt'), 'denied');
      assert.equal(existsSync(join(base, 'secret/new.txt')), false);
      assert.equal(existsSync(join(base, 'root/sub.old/new.txt')), true);
    } finally {
      await dir.close();
    }
  });

  it('refuses a file that became a FIFO without blocking on it', async () => {
    const { execFileSync } = await import('node:child_process');
    const target = await resolveTarget(roots, 'a.txt', { access: 'read', follow: true });
    renameSync(join(base, 'root/a.txt'), join(base, 'root/a.old'));
    execFileSync('mkfifo', [join(base, 'root/a.txt')]);
    await refused(openFile(target.real, target.real, READ_FLAGS, 'a.txt'), 'denied');
  });
});

describe('recursive removal does not follow links', () => {
  it('removes a link to an outside directory, never what it points to', async () => {
    mkdirSync(join(base, 'root/tree/deeper'), { recursive: true });
    writeFileSync(join(base, 'root/tree/deeper/f.txt'), 'x');
    symlinkSync(join(base, 'secret'), join(base, 'root/tree/deeper/escape'));
    const fs = new FsCapability({ allowedPaths: [{ path: join(base, 'root'), write: true }] });
    assert.deepEqual(await call(fs, 'remove', { path: 'tree', recursive: true }), { removed: 4 });
    assert.equal(readFileSync(join(base, 'secret/a.txt'), 'utf8'), 'SECRET');
    assert.equal(existsSync(join(base, 'root/tree')), false);
  });
});
