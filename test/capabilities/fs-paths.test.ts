// Which model paths FsCapability allows, as a table of verdicts over a real tree with real symlinks.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FsCapability } from '../../capabilities/index.js';
import { call, refused, tempDir, visible } from './helpers.js';

const { dir: base, cleanup } = tempDir('paths');
let fs: FsCapability;

before(() => {
  mkdirSync(join(base, 'data/sub'), { recursive: true });
  mkdirSync(join(base, 'data/%2e%2e'));
  mkdirSync(join(base, 'data2'));
  mkdirSync(join(base, 'data-secret'));
  mkdirSync(join(base, 'secret'));
  mkdirSync(join(base, 'out'));
  writeFileSync(join(base, 'data/a.txt'), 'A');
  writeFileSync(join(base, 'data/sub/b.txt'), 'B');
  writeFileSync(join(base, 'data/%2e%2e/literal.txt'), 'L');
  writeFileSync(join(base, 'data2/x.txt'), 'X');
  writeFileSync(join(base, 'data-secret/y.txt'), 'Y');
  writeFileSync(join(base, 'secret/s.txt'), 'S');
  symlinkSync('a.txt', join(base, 'data/in-link'));
  symlinkSync('sub', join(base, 'data/dir-in-link'));
  symlinkSync('../out', join(base, 'data/to-out'));
  symlinkSync('../secret/s.txt', join(base, 'data/out-file-link'));
  symlinkSync('../secret', join(base, 'data/out-dir-link'));
  symlinkSync('../secret/nope.txt', join(base, 'data/dangling'));
  symlinkSync('loop2', join(base, 'data/loop1'));
  symlinkSync('loop1', join(base, 'data/loop2'));
  symlinkSync('../data2', join(base, 'data/sibling-link'));
  symlinkSync('/proc/self/environ', join(base, 'data/proc-link'));
  execFileSync('mkfifo', [join(base, 'data/fifo')]);
  fs = new FsCapability({ allowedPaths: [join(base, 'data'), { path: join(base, 'out'), write: true }] });
});
after(cleanup);

type Verdict = 'ok' | 'denied' | 'invalid_input' | 'host';
const readCases: [path: string | (() => string), verdict: Verdict, why: string][] = [
  ['a.txt', 'ok', 'a file in the first root'],
  ['./sub/b.txt', 'ok', 'a nested file'],
  ['sub/../a.txt', 'ok', '".." that stays inside'],
  [() => join(base, 'data/a.txt'), 'ok', 'an absolute path inside'],
  ['in-link', 'ok', 'a file link whose target is inside'],
  ['dir-in-link/b.txt', 'ok', 'a directory link in the middle that stays inside'],
  ['to-out/../a.txt', 'ok', '".." is resolved on the written path, before links (the OS would climb out of out/)'],
  ['%2e%2e/literal.txt', 'ok', 'an encoded ".." is a literal name, never decoded'],
  ['%2e%2e/%2e%2e/secret/s.txt', 'host', 'an encoded ".." never climbs (it simply does not exist)'],
  ['../data2/x.txt', 'denied', 'a sibling whose name starts with the root name'],
  ['../data-secret/y.txt', 'denied', 'a sibling with a prefix-and-dash name'],
  [() => join(base, 'data2/x.txt'), 'denied', 'an absolute sibling path'],
  ['../secret/s.txt', 'denied', 'a parent escape'],
  ['sub/../../secret/s.txt', 'denied', 'an escape through a subdirectory'],
  ['out-file-link', 'denied', 'a file link to outside'],
  ['out-dir-link/s.txt', 'denied', 'a directory link to outside in the middle of the path'],
  ['out-dir-link/nope.txt', 'denied', 'a missing file behind a link to outside'],
  ['sibling-link/x.txt', 'denied', 'a link to a prefix-named sibling'],
  ['dangling', 'denied', 'a dangling link'],
  ['loop1', 'denied', 'a link loop'],
  ['proc-link', 'denied', 'a link into /proc'],
  ['fifo', 'denied', 'a FIFO (and the open must not block)'],
  ['/etc/passwd', 'denied', 'an absolute path outside'],
  ['/proc/self/environ', 'denied', '/proc'],
  ['/dev/null', 'denied', '/dev'],
  ['sub', 'host', 'a directory is not a file'],
  ['nope.txt', 'host', 'a missing file inside'],
  ['a.txt/x', 'host', 'a file used as a directory'],
  ['a\0b', 'invalid_input', 'a NUL byte'],
  ['', 'invalid_input', 'an empty path'],
  ['x/'.repeat(2100), 'invalid_input', 'a path over 4096 bytes'],
  ['y'.repeat(256), 'invalid_input', 'a component over 255 bytes'],
];

describe('fs.readFile path verdicts', () => {
  for (const [path, verdict, why] of readCases) {
    const label = typeof path === 'string' ? JSON.stringify(path.length > 40 ? path.slice(0, 40) + '…' : path) : '(absolute)';
    it(`${verdict === 'ok' ? 'allows' : `refuses (${verdict})`} ${why}: ${label}`, async () => {
      const p = typeof path === 'string' ? path : path();
      if (verdict === 'ok') {
        assert.equal(typeof (await call(fs, 'readFile', { path: p })), 'string');
        return;
      }
      const error = await refused(call(fs, 'readFile', { path: p }), verdict);
      assert.ok(!visible(error).includes(join(base, 'secret')), 'no message names the outside directory');
      assert.ok(!visible(error).includes('/proc/self/fd'), 'no message names a descriptor path');
    });
  }
});

describe('fs refusals reveal nothing outside the roots', () => {
  it('says the same about an outside file that exists and one that does not', async () => {
    const exists = await refused(call(fs, 'readFile', { path: '../secret/s.txt' }), 'denied');
    const missing = await refused(call(fs, 'readFile', { path: '../secret/nope.txt' }), 'denied');
    assert.equal(exists.message.replace('s.txt', 'X'), missing.message.replace('nope.txt', 'X'));
    assert.equal(exists.hint, missing.hint);
  });

  it('says the same about a link to an existing outside file and a dangling one', async () => {
    const out = await refused(call(fs, 'readFile', { path: 'out-file-link' }), 'denied');
    const dangling = await refused(call(fs, 'readFile', { path: 'dangling' }), 'denied');
    assert.equal(out.message.replace('out-file-link', 'X'), dangling.message.replace('dangling', 'X'));
  });

  it('says the same about an existing and a missing file behind a link to outside', async () => {
    const exists = await refused(call(fs, 'stat', { path: 'out-dir-link/s.txt' }), 'denied');
    const missing = await refused(call(fs, 'stat', { path: 'out-dir-link/nope.txt' }), 'denied');
    assert.equal(exists.message.replace('s.txt', 'X'), missing.message.replace('nope.txt', 'X'));
  });

  it('names the roots that would allow the path, as they were written', async () => {
    const error = await refused(call(fs, 'readFile', { path: '../secret/s.txt' }), 'denied');
    assert.match(error.hint ?? '', /Allowed roots: .*\/data, .*\/out \(writable\)/);
    const write = await refused(call(fs, 'writeFile', { path: 'a.txt', content: 'x' }), 'denied');
    assert.match(write.message, /read-only root/);
    assert.equal(write.hint, `Writable roots: ${join(base, 'out')}. Relative paths start at ${join(base, 'data')}.`);
  });
});

describe('fs write path verdicts', () => {
  const writeCases: [string, Verdict, string][] = [
    ['../out/new.txt', 'ok', 'a new file in the writable root'],
    ['to-out/via-link.txt', 'ok', 'a link from a read-only root into the writable one (decided by the real path)'],
    ['new.txt', 'denied', 'the read-only root'],
    ['../secret/new.txt', 'denied', 'outside'],
    ['out-dir-link/new.txt', 'denied', 'through a link to outside'],
    ['../out/missing/new.txt', 'host', 'a missing parent directory'],
  ];
  for (const [path, verdict, why] of writeCases) {
    it(`${verdict === 'ok' ? 'allows' : `refuses (${verdict})`} ${why}: ${JSON.stringify(path)}`, async () => {
      if (verdict === 'ok') assert.deepEqual(await call(fs, 'writeFile', { path, content: 'w' }), { bytesWritten: 1 });
      else await refused(call(fs, 'writeFile', { path, content: 'w' }), verdict);
    });
  }
});

describe('a root of "/" still keeps /proc, /dev and /sys out', () => {
  for (const path of ['/proc/self/environ', '/proc/self/root/etc/hostname', '/dev/zero', '/sys/kernel/mm']) {
    it(`refuses ${path}`, async () => {
      const everything = new FsCapability({ allowedPaths: ['/'] });
      await refused(call(everything, 'readFile', { path }), 'denied');
    });
  }

  it('refuses a link into /proc even when the link itself is allowed', async () => {
    const everything = new FsCapability({ allowedPaths: ['/'] });
    await refused(call(everything, 'readFile', { path: join(base, 'data/proc-link') }), 'denied');
  });
});
