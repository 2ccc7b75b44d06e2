// FileStorage: the shared storage suite on a real temp directory, then what only files have: the lock
// against a crashed or live holder, temp-file cleanup, names that never become paths, and damaged files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FileStorage } from '../../src/storage/index.js';
import { refusedWith, storageSuite } from './suite.js';

const root = mkdtempSync(join(tmpdir(), 'codemode-storage-'));
after(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const freshDir = () => join(root, `store-${++count}`);

storageSuite('FileStorage', {
  async create(limits = {}) {
    const dir = freshDir();
    return { storage: new FileStorage({ dir, ...limits }), spec: { kind: 'file', dir }, second: () => new FileStorage({ dir, ...limits }) };
  },
});

/** A pid that was alive a moment ago and is not now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('FileStorage on disk', () => {
  test("a crashed writer's lock is broken and the temp files it left are removed", async () => {
    const dir = freshDir();
    const storage = new FileStorage({ dir });
    await storage.put('artifacts', 'kept', new TextEncoder().encode('old'));
    const ns = join(dir, 'artifacts');
    writeFileSync(join(ns, '.lock'), `${deadPid()}\n${hostname()}\nabc\n`);
    writeFileSync(join(ns, '.tmp-0123456789abcdef'), 'half a write');
    await storage.put('artifacts', 'next', new TextEncoder().encode('new'));
    assert.deepEqual(readdirSync(ns).filter((file) => file.startsWith('.')).sort(), ['.version']);
    assert.equal(new TextDecoder().decode((await storage.get('artifacts', 'kept'))?.data), 'old');
  });

  test('a lock held by a live process makes a save wait, then fail with STORAGE_BUSY naming the holder', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'artifacts'), { recursive: true });
    writeFileSync(join(dir, 'artifacts', '.lock'), `${process.pid}\n${hostname()}\nsomeone\n`);
    const storage = new FileStorage({ dir, lockTimeoutMs: 0 });
    await assert.rejects(storage.put('artifacts', 'a', new Uint8Array(1)), refusedWith('STORAGE_BUSY', new RegExp(`within 0 ms: held by ${process.pid} on `)));
    assert.equal(await storage.get('artifacts', 'a'), undefined);
  });

  test('entries are files named by a hash of the name, inside the namespace folder, whatever the name says', async () => {
    const dir = freshDir();
    const storage = new FileStorage({ dir });
    for (const name of ['reports/q1.csv', 'A', 'a', '%2e%2e', '~root']) await storage.put('artifacts', name, new TextEncoder().encode(name));
    assert.deepEqual(readdirSync(dir), ['artifacts']);
    const files = readdirSync(join(dir, 'artifacts')).filter((file) => !file.startsWith('.'));
    assert.equal(files.length, 5);
    assert.ok(files.every((file) => /^[0-9a-f]{64}\.entry$/.test(file)));
    assert.deepEqual((await storage.list('artifacts')).map((info) => info.name), ['%2e%2e', 'A', 'a', 'reports/q1.csv', '~root']);
  });

  test('a damaged entry file is reported as STORAGE_CORRUPT with its path, not read as data', async () => {
    const dir = freshDir();
    const storage = new FileStorage({ dir });
    await storage.put('artifacts', 'x', new TextEncoder().encode('fine'));
    const file = readdirSync(join(dir, 'artifacts')).find((name) => name.endsWith('.entry'))!;
    writeFileSync(join(dir, 'artifacts', file), 'garbage');
    await assert.rejects(storage.get('artifacts', 'x'), refusedWith('STORAGE_CORRUPT', new RegExp(`${file} is not a codemode entry`)));
  });

  test('a journal line torn by a crash is never read and the next append cuts it off; whole lines the info missed are counted', async () => {
    const dir = freshDir();
    const storage = new FileStorage({ dir });
    await storage.appendJournal('r', ['one'], { at: 0, ttlMs: 60_000, maxBytes: 1000 });
    const [runDir] = readdirSync(join(dir, 'journals', 'runs'));
    const log = join(dir, 'journals', 'runs', runDir!, 'log');
    appendFileSync(log, 'torn half of a rec');
    assert.deepEqual((await storage.readJournal('r'))?.records, ['one']);
    await storage.appendJournal('r', ['two'], { at: 1, ttlMs: 60_000, maxBytes: 1000 });
    assert.deepEqual((await storage.readJournal('r'))?.records, ['one', 'two']);
    assert.equal(readFileSync(log, 'utf8'), 'one\ntwo\n');
    // Fsynced lines whose info update was lost to a crash.
    appendFileSync(log, 'three\n');
    assert.deepEqual(await storage.readJournal('r').then((journal) => [journal?.info.records, journal?.records]), [3, ['one', 'two', 'three']]);
    await assert.rejects(storage.appendJournal('r', ['four'], { at: 2, ttlMs: 60_000, maxBytes: 1000 }), refusedWith('VERSION_CONFLICT', /expected 2 records, but it holds 3/));
    assert.equal((await storage.appendJournal('r', ['four'], { at: 3, ttlMs: 60_000, maxBytes: 1000 })).records, 4);
  });

  test('a damaged journal info is STORAGE_CORRUPT on read and left out of the listing', async () => {
    const dir = freshDir();
    const storage = new FileStorage({ dir });
    await storage.appendJournal('r', ['one'], { at: 0, ttlMs: 60_000, maxBytes: 1000 });
    await storage.appendJournal('s', ['one'], { at: 0, ttlMs: 60_000, maxBytes: 1000 });
    const runs = join(dir, 'journals', 'runs');
    const damaged = readdirSync(runs).find((name) => readFileSync(join(runs, name, 'info'), 'utf8').includes('"r"'))!;
    writeFileSync(join(runs, damaged, 'info'), JSON.stringify({ runId: 'r', records: 'many' }));
    await assert.rejects(storage.readJournal('r'), refusedWith('STORAGE_CORRUPT', /info has the wrong shape/));
    assert.deepEqual((await storage.listJournals()).map((info) => info.runId), ['s']);
  });

  test('bad options throw INVALID_OPTION showing the value', () => {
    assert.throws(() => new FileStorage({ dir: '' }), refusedWith('INVALID_OPTION', /expected `dir` to be a path, got `""`/));
    assert.throws(() => new FileStorage({ dir: 'x', maxEntries: -1 }), refusedWith('INVALID_OPTION', /`maxEntries` to be a positive integer, got `-1`/));
    assert.throws(() => new FileStorage({ dir: 'x', direcotry: 'y' } as never), refusedWith('INVALID_OPTION', /unknown option `direcotry`/));
  });
});
