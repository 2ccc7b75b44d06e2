// The storage behaviours every store must have, run against FileStorage and RedisStorage alike (one suite,
// two stores): round trips, versions and conflicts (in one process and across real processes), names,
// caps, atomicity under SIGKILL, artifacts of every kind, and workflow records.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { CodemodeError } from '../../src/index.js';
import { Artifacts, Workflows, type Storage } from '../../src/storage/index.js';
import type { StoreSpec, Task } from './child.js';

export interface StoreFactory {
  /** A fresh, empty store, and a spec another process can open it with. */
  create(limits?: { maxEntryBytes?: number; maxEntries?: number }): Promise<{ storage: Storage; spec: StoreSpec; second: () => Storage }>;
}

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));
const text = (value: string) => new TextEncoder().encode(value);
const read = (data: Uint8Array | undefined) => (data === undefined ? undefined : new TextDecoder().decode(data));

export const refusedWith = (code: string, message?: RegExp) => (error: unknown) =>
  error instanceof CodemodeError && error.code === code && (message === undefined || message.test(error.message));

/** Runs `task` in a new Node process; resolves with the JSON lines it printed. */
export function runChild(task: Task, onLine?: (line: Record<string, unknown>, kill: () => void) => void): Promise<{ lines: Record<string, unknown>[]; signal: NodeJS.Signals | null }> {
  return runScript(CHILD, task, onLine);
}

/** Runs `script` with `task` (as JSON) in a new Node process; resolves with the JSON lines it printed. `kill` sends SIGKILL. */
export function runScript(script: string, task: unknown, onLine?: (line: Record<string, unknown>, kill: () => void) => void): Promise<{ lines: Record<string, unknown>[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(task)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Record<string, unknown>[] = [];
    let buffer = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
        buffer = buffer.slice(newline + 1);
        lines.push(line);
        onLine?.(line, () => child.kill('SIGKILL'));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve({ lines, signal });
    });
  });
}

export function storageSuite(label: string, factory: StoreFactory): void {
  describe(`${label}: the Storage contract`, () => {
    test('an entry saves and loads byte for byte, with its meta, version and times', async () => {
      const { storage } = await factory.create();
      const bytes = new Uint8Array(256).map((_, i) => i);
      const info = await storage.put('artifacts', 'all-bytes', bytes, { meta: { contentType: 'application/octet-stream' } });
      assert.equal(info.size, 256);
      assert.ok(info.version > 0);
      assert.equal(info.createdAt, info.updatedAt);
      const entry = await storage.get('artifacts', 'all-bytes');
      assert.deepEqual(entry && [...entry.data], [...bytes]);
      assert.deepEqual(entry && { ...entry, data: undefined }, { ...info, data: undefined });
      assert.equal(await storage.get('artifacts', 'missing'), undefined);
      // Namespaces are separate keyspaces.
      assert.equal(await storage.get('workflows', 'all-bytes'), undefined);
      await storage.close();
    });

    test('versions grow with each save and are not reused after a delete; createdAt is kept', async () => {
      const { storage } = await factory.create();
      const first = await storage.put('artifacts', 'a', text('1'));
      const second = await storage.put('artifacts', 'a', text('2'));
      assert.ok(second.version > first.version);
      assert.equal(second.createdAt, first.createdAt);
      assert.equal(await storage.delete('artifacts', 'a'), true);
      assert.equal(await storage.delete('artifacts', 'a'), false);
      const again = await storage.put('artifacts', 'a', text('3'));
      assert.ok(again.version > second.version, `version ${again.version} after ${second.version}`);
      await storage.close();
    });

    test('the revision of a namespace grows with every save and delete, by any instance, and with nothing else', async () => {
      const { storage, second } = await factory.create();
      const other = second();
      const start = await storage.revision('workflows');
      await storage.put('workflows', 'one', text('1'));
      const saved = await other.revision('workflows');
      assert.ok(saved > start, `revision ${saved} after ${start}`);
      await storage.get('workflows', 'one');
      await storage.list('workflows');
      await storage.put('artifacts', 'elsewhere', text('x'));
      await storage.delete('workflows', 'missing');
      assert.equal(await other.revision('workflows'), saved, 'reads, other namespaces and deleting nothing leave it');
      assert.equal(await other.delete('workflows', 'one'), true);
      assert.ok((await storage.revision('workflows')) > saved, 'a delete moves it');
      await Promise.all([storage.close(), other.close()]);
    });

    test('a save with the version it read is refused when someone saved in between, and changes nothing', async () => {
      const { storage, second } = await factory.create();
      const other = second();
      const base = await storage.put('artifacts', 'doc', text('base'));
      await other.put('artifacts', 'doc', text('theirs'), { ifVersion: base.version });
      await assert.rejects(storage.put('artifacts', 'doc', text('mine'), { ifVersion: base.version }), refusedWith('VERSION_CONFLICT', /expected version \d+, but it is at version \d+/));
      assert.equal(read((await storage.get('artifacts', 'doc'))?.data), 'theirs');
      await assert.rejects(storage.put('artifacts', 'doc', text('new'), { ifVersion: null }), refusedWith('VERSION_CONFLICT', /expected no entry/));
      await assert.rejects(storage.delete('artifacts', 'doc', { ifVersion: base.version }), refusedWith('VERSION_CONFLICT'));
      await assert.rejects(storage.put('artifacts', 'fresh', text('x'), { ifVersion: 7 }), refusedWith('VERSION_CONFLICT', /but none is there/));
      await assert.rejects(storage.put('artifacts', 'doc', text('x'), { ifVersion: 0 }), refusedWith('INVALID_DATA', /got `0` \(number\)/));
      assert.equal(read((await other.get('artifacts', 'doc'))?.data), 'theirs');
      await Promise.all([storage.close(), other.close()]);
    });

    test('two instances saving with the same read version at once: exactly one wins', async () => {
      const { storage, second } = await factory.create();
      const other = second();
      const base = await storage.put('artifacts', 'race', text('base'));
      const results = await Promise.allSettled(
        [storage, other, storage, other].map((store, i) => store.put('artifacts', 'race', text(`writer ${i}`), { ifVersion: base.version })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1);
      assert.ok(results.every((r) => r.status === 'fulfilled' || refusedWith('VERSION_CONFLICT')(r.reason)));
      await Promise.all([storage.close(), other.close()]);
    });

    test('list gives every entry without data, sorted by name; names may have "/" segments and any script', async () => {
      const { storage } = await factory.create();
      for (const name of ['b', 'reports/2024.csv', 'a', 'données', 'Z']) await storage.put('artifacts', name, text(name));
      const list = await storage.list('artifacts');
      assert.deepEqual(list.map((info) => info.name), ['Z', 'a', 'b', 'données', 'reports/2024.csv']);
      assert.deepEqual(list.map((info) => info.size), [1, 1, 1, 8, 16]);
      assert.deepEqual(await storage.list('journals'), []);
      await storage.close();
    });

    test('traversal, control characters, backslashes and overlong names are refused before anything is touched', async () => {
      const { storage } = await factory.create();
      const bad: [unknown, RegExp][] = [
        ['../escape', /segments that are not empty, "." or ".."/],
        ['a/../../b', /segments/],
        ['/etc/passwd', /segments/],
        ['dir/', /segments/],
        ['.', /segments/],
        ['a\\b', /free of "\\"/],
        ['line\nbreak', /free of control characters, got `"line\\nbreak"` \(string\)/],
        ['nul\0', /control characters/],
        ['bell\u0007', /control characters/],
        ['\u2028', /control characters/],
        ['\ud800', /lone surrogates/],
        ['', /1 to 200 characters/],
        ['x'.repeat(201), /1 to 200 characters/],
        [42, /a string, got `42` \(number\)/],
      ];
      for (const [name, message] of bad) {
        await assert.rejects(storage.put('artifacts', name as string, text('x')), refusedWith('INVALID_NAME', message), String(name));
        await assert.rejects(storage.get('artifacts', name as string), refusedWith('INVALID_NAME'));
        await assert.rejects(storage.delete('artifacts', name as string), refusedWith('INVALID_NAME'));
      }
      await assert.rejects(storage.put('secrets' as 'artifacts', 'a', text('x')), refusedWith('INVALID_NAME', /expected a namespace \(workflows, artifacts, journals\), got `"secrets"`/));
      assert.deepEqual(await storage.list('artifacts'), []);
      await storage.close();
    });

    test('entries over maxEntryBytes and namespaces at maxEntries are refused with the numbers; replacing at the cap is fine', async () => {
      const { storage } = await factory.create({ maxEntryBytes: 10, maxEntries: 2 });
      await assert.rejects(storage.put('artifacts', 'big', new Uint8Array(11)), refusedWith('TOO_LARGE', /"big" is 11 bytes; the limit is 10 bytes \(maxEntryBytes\)/));
      await storage.put('artifacts', 'one', new Uint8Array(10));
      await storage.put('artifacts', 'two', text('2'));
      await assert.rejects(storage.put('artifacts', 'three', text('3')), refusedWith('STORAGE_FULL', /holds 2 entries, the limit \(maxEntries\) is 2/));
      await storage.put('artifacts', 'two', text('22'));
      await storage.put('workflows', 'other', text('w'));
      await storage.delete('artifacts', 'one');
      await storage.put('artifacts', 'three', text('3'));
      assert.deepEqual((await storage.list('artifacts')).map((info) => info.name), ['three', 'two']);
      await assert.rejects(storage.put('artifacts', 'x', 'text' as unknown as Uint8Array), refusedWith('INVALID_DATA', /to be a Uint8Array, got `"text"` \(string\)/));
      await storage.close();
    });

    test('a closed store refuses calls with STORAGE_CLOSED', async () => {
      const { storage } = await factory.create();
      await storage.put('artifacts', 'a', text('a'));
      await storage.close();
      await assert.rejects(storage.get('artifacts', 'a'), refusedWith('STORAGE_CLOSED', /is closed/));
    });
  });

  describe(`${label}: across processes`, () => {
    test('three processes incrementing one entry with read-then-save-if-unchanged lose no increment', async () => {
      const { storage, spec } = await factory.create();
      const times = 15;
      const runs = await Promise.all([0, 1, 2].map(() => runChild({ op: 'increment', store: spec, name: 'counter', times })));
      assert.ok(runs.every((run) => run.lines.at(-1)?.done === true));
      assert.equal(read((await storage.get('artifacts', 'counter'))?.data), String(3 * times));
      await storage.close();
    });

    test('two processes saving with the same read version: one saves, the other gets VERSION_CONFLICT; each sees the other', async () => {
      const { storage, spec } = await factory.create();
      const base = await storage.put('artifacts', 'shared', text('base'));
      const runs = await Promise.all(['left', 'right'].map((side) => runChild({ op: 'put', store: spec, name: 'shared', text: side, ifVersion: base.version })));
      const results = runs.map((run) => run.lines[0]);
      assert.deepEqual(results.map((r) => r?.ok).sort(), [false, true]);
      assert.equal(results.find((r) => r?.ok === false)?.code, 'VERSION_CONFLICT');
      const winner = runs[results.findIndex((r) => r?.ok === true)] === runs[0] ? 'left' : 'right';
      const seen = await runChild({ op: 'get', store: spec, name: 'shared' });
      assert.equal((seen.lines[0] as { text: string }).text, winner);
      await storage.put('artifacts', 'from-parent', text('hello'));
      assert.equal(((await runChild({ op: 'get', store: spec, name: 'from-parent' })).lines[0] as { text: string }).text, 'hello');
      await storage.close();
    });

    test('a writer killed with SIGKILL in the middle of a save leaves the old entry or the whole new one', async () => {
      const { storage, spec } = await factory.create({ maxEntryBytes: 64 << 20 });
      await storage.put('artifacts', 'big', new Uint8Array(1024).fill(1));
      const run = await runChild({ op: 'big-put', store: spec, name: 'big', bytes: 32 << 20, fill: 2 }, (line, kill) => {
        if (line.start === true) kill();
      });
      assert.equal(run.signal, 'SIGKILL');
      const entry = await storage.get('artifacts', 'big');
      assert.ok(entry !== undefined);
      const fill = entry.data[0];
      assert.ok(fill === 1 || fill === 2);
      assert.equal(entry.data.length, fill === 1 ? 1024 : 32 << 20);
      assert.equal(entry.size, entry.data.length);
      assert.ok(entry.data.every((byte) => byte === fill), 'no mixed bytes');
      // The store keeps working after the crash (for files: the dead writer's lock is broken).
      await storage.put('artifacts', 'big', text('after'));
      assert.equal(read((await storage.get('artifacts', 'big'))?.data), 'after');
      await storage.close();
    });
  });

  describe(`${label}: artifacts`, () => {
    test('text, any JSON value and bytes load back exactly, as the kind they were saved as', async () => {
      const { storage } = await factory.create();
      const artifacts = new Artifacts(storage);
      const json = { rows: [1, 2.5, -3e-7, null, true, 'x'], nested: { a: [[]], b: {} }, unicode: 'é😀' };
      const bytes = new Uint8Array([0, 255, 128, 10, 13, 0]);
      await artifacts.save({ name: 'notes.txt', data: 'line 1\nline 2 — ünïcode 😀' });
      await artifacts.save({ name: 'data.json', data: json });
      await artifacts.save({ name: 'blob.bin', data: bytes });
      await artifacts.save({ name: 'chart.svg', data: '<svg/>', contentType: 'image/svg+xml' });
      await artifacts.save({ name: 'zero', data: 0 });
      await artifacts.save({ name: 'nothing', data: null });
      assert.equal(await artifacts.load({ name: 'notes.txt' }), 'line 1\nline 2 — ünïcode 😀');
      assert.deepEqual(await artifacts.load({ name: 'data.json' }), json);
      const loaded = await artifacts.load({ name: 'blob.bin' });
      assert.ok(loaded instanceof Uint8Array);
      assert.deepEqual([...loaded], [...bytes]);
      assert.equal(await artifacts.load({ name: 'zero' }), 0);
      assert.equal(await artifacts.load({ name: 'nothing' }), null);
      const list = await artifacts.list();
      assert.deepEqual(
        list.map(({ name, kind, contentType, size }) => ({ name, kind, contentType, size })),
        [
          { name: 'blob.bin', kind: 'bytes', contentType: 'application/octet-stream', size: 6 },
          { name: 'chart.svg', kind: 'text', contentType: 'image/svg+xml', size: 6 },
          { name: 'data.json', kind: 'json', contentType: 'application/json', size: JSON.stringify(json).length + 3 },
          { name: 'notes.txt', kind: 'text', contentType: 'text/plain; charset=utf-8', size: 32 },
          { name: 'nothing', kind: 'json', contentType: 'application/json', size: 4 },
          { name: 'zero', kind: 'json', contentType: 'application/json', size: 1 },
        ],
      );
      assert.ok(list.every((info) => !Number.isNaN(Date.parse(info.createdAt)) && info.updatedAt >= info.createdAt));
      await storage.close();
    });

    test('loading a missing artifact rejects with NOT_FOUND naming it; delete says whether it was there', async () => {
      const { storage } = await factory.create();
      const artifacts = new Artifacts(storage);
      await assert.rejects(artifacts.load({ name: 'nope.txt' }), refusedWith('NOT_FOUND', /no artifact named "nope.txt" in (file|redis):/));
      await artifacts.save({ name: 'yes.txt', data: 'y' });
      assert.equal(await artifacts.delete({ name: 'yes.txt' }), true);
      assert.equal(await artifacts.delete({ name: 'yes.txt' }), false);
      await assert.rejects(artifacts.load({ name: 'yes.txt' }), refusedWith('NOT_FOUND'));
      await storage.close();
    });

    test('data JSON would not keep exactly, and bad content types, are refused with the path and value', async () => {
      const { storage } = await factory.create();
      const artifacts = new Artifacts(storage);
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const bad: [unknown, RegExp][] = [
        [{ when: new Date(0) }, /data\.when is a Date/],
        [{ n: NaN }, /data\.n is NaN/],
        [[1, undefined], /data\[1\] is `undefined`/],
        [cyclic, /data\.self is a reference to itself/],
        [new Map(), /data is an instance of Map/],
        [10n, /data is `10` \(bigint\)/],
        [{ inner: new Uint8Array(1) }, /a Uint8Array inside JSON/],
      ];
      for (const [data, message] of bad) {
        await assert.rejects(artifacts.save({ name: 'bad', data: data as never }), refusedWith('INVALID_DATA', message));
      }
      await assert.rejects(artifacts.save({ name: 'bad', data: 'x', contentType: 'text' }), refusedWith('INVALID_DATA', /media type such as "text\/csv".*got `"text"`/));
      await assert.rejects(artifacts.save({ name: 'bad', data: 'x', contentType: 'text/plain\r\nX: y' }), refusedWith('INVALID_DATA'));
      assert.deepEqual(await artifacts.list(), []);
      await storage.close();
    });
  });

  describe(`${label}: run journals`, () => {
    const options = { ttlMs: 60_000, maxBytes: 1_000 };

    test('records append in order and read back whole, with counts, times, expiry and status', async () => {
      const { storage } = await factory.create();
      const first = await storage.appendJournal('run-1', ['{"a":1}', 'two'], { ...options, at: 0, status: 'running' });
      assert.deepEqual([first.runId, first.records, first.bytes, first.status], ['run-1', 2, 12, 'running']);
      assert.ok(Date.parse(first.expiresAt) > Date.now());
      const second = await storage.appendJournal('run-1', ['drei, with é'], { ...options, at: 2 });
      assert.deepEqual([second.records, second.bytes, second.status, second.createdAt], [3, 12 + 14, 'running', first.createdAt]);
      const read = await storage.readJournal('run-1');
      assert.deepEqual(read, { info: second, records: ['{"a":1}', 'two', 'drei, with é'] });
      assert.equal(await storage.readJournal('other'), undefined);
      await storage.appendJournal('run-0', ['x'], { ...options, at: 0, status: 'paused' });
      assert.deepEqual((await storage.listJournals()).map((info) => [info.runId, info.records, info.status]), [['run-0', 1, 'paused'], ['run-1', 3, 'running']]);
      // Journals are not entries of the namespace.
      assert.deepEqual(await storage.list('journals'), []);
      assert.equal(await storage.deleteJournal('run-1'), true);
      assert.equal(await storage.deleteJournal('run-1'), false);
      assert.equal(await storage.readJournal('run-1'), undefined);
      // A deleted journal starts again from nothing.
      assert.equal((await storage.appendJournal('run-1', ['new'], { ...options, at: 0 })).records, 1);
      await storage.close();
    });

    test('an append at a count the journal no longer has is refused and writes nothing; of two writers at once one wins', async () => {
      const { storage, second } = await factory.create();
      const other = second();
      await storage.appendJournal('r', ['1'], { ...options, at: 0 });
      await assert.rejects(other.appendJournal('r', ['again'], { ...options, at: 0 }), refusedWith('VERSION_CONFLICT', /expected 0 records, but it holds 1 \(another process is running this run\)/));
      await assert.rejects(other.appendJournal('r', ['ahead'], { ...options, at: 5 }), refusedWith('VERSION_CONFLICT', /expected 5 records, but it holds 1/));
      const results = await Promise.allSettled([storage, other, storage, other].map((store, i) => store.appendJournal('r', [`writer ${i}`], { ...options, at: 1 })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.ok(results.every((r) => r.status === 'fulfilled' || refusedWith('VERSION_CONFLICT')(r.reason)));
      assert.equal((await other.readJournal('r'))?.records.length, 2);
      await Promise.all([storage.close(), other.close()]);
    });

    test('an append past the cap is refused with TOO_LARGE and leaves the journal as it was', async () => {
      const { storage } = await factory.create({ maxEntryBytes: 100 });
      await storage.appendJournal('r', ['x'.repeat(40)], { ...options, maxBytes: 50, at: 0 });
      await assert.rejects(storage.appendJournal('r', ['y'.repeat(10)], { ...options, maxBytes: 50, at: 1 }), refusedWith('TOO_LARGE', /journal "r" would be 52 bytes; its limit is 50 bytes/));
      assert.deepEqual((await storage.readJournal('r'))?.records, ['x'.repeat(40)]);
      // The store's own entry cap bounds every journal.
      await assert.rejects(storage.appendJournal('r', ['z'.repeat(60)], { ...options, maxBytes: 1000, at: 1 }), refusedWith('TOO_LARGE', /would be 102 bytes; its limit is 100 bytes/));
      await assert.rejects(storage.appendJournal('r', ['z'], { ...options, maxBytes: 0, at: 1 }), refusedWith('INVALID_DATA', /`maxBytes` to be an integer from 1/));
      await storage.close();
    });

    test('records that are not one line of text, bad run ids and bad options are refused before anything is written', async () => {
      const { storage } = await factory.create();
      const bad: [unknown, RegExp][] = [
        [[], /non-empty array of strings, got/],
        ['text', /non-empty array of strings/],
        [['two\nlines'], /one non-empty line of well-formed text, got `"two\\nlines"`/],
        [[''], /one non-empty line/],
        [[42], /got `42` \(number\)/],
        [['\ud800'], /well-formed text/],
      ];
      for (const [records, message] of bad) await assert.rejects(storage.appendJournal('r', records as string[], { ...options, at: 0 }), refusedWith('INVALID_DATA', message));
      await assert.rejects(storage.appendJournal('../r', ['x'], { ...options, at: 0 }), refusedWith('INVALID_NAME', /expected runId to be/));
      await assert.rejects(storage.readJournal(''), refusedWith('INVALID_NAME'));
      await assert.rejects(storage.appendJournal('r', ['x'], { ...options, at: -1 }), refusedWith('INVALID_DATA', /`at` to be an integer from 0/));
      await assert.rejects(storage.appendJournal('r', ['x'], { ...options, at: 0, status: 'Paused!' }), refusedWith('INVALID_DATA', /`status` to be 1 to 20 lowercase letters/));
      assert.deepEqual(await storage.listJournals(), []);
      await storage.close();
    });

    test('an expired journal reads as gone, leaves the listing, and a new one of that run starts from nothing', async () => {
      const { storage } = await factory.create();
      const info = await storage.appendJournal('short', ['x'], { ...options, ttlMs: 1, at: 0 });
      await storage.appendJournal('long', ['y'], { ...options, at: 0 });
      // Waits on the clock for the one millisecond of its life, not for a guessed time.
      while (Date.now() <= Date.parse(info.expiresAt) + 1) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(await storage.readJournal('short'), undefined);
      assert.deepEqual((await storage.listJournals()).map((i) => i.runId), ['long']);
      assert.equal(await storage.deleteJournal('short'), false);
      assert.equal((await storage.appendJournal('short', ['fresh'], { ...options, at: 0 })).records, 1);
      await storage.close();
    });

    test('journals count against maxEntries', async () => {
      const { storage } = await factory.create({ maxEntries: 2 });
      await storage.appendJournal('a', ['1'], { ...options, at: 0 });
      await storage.appendJournal('b', ['1'], { ...options, at: 0 });
      await assert.rejects(storage.appendJournal('c', ['1'], { ...options, at: 0 }), refusedWith('STORAGE_FULL', /cannot add journals "c"/));
      await assert.rejects(storage.appendJournal('d', ['1'], { ...options, at: 0 }), refusedWith('STORAGE_FULL'));
      await storage.appendJournal('a', ['2'], { ...options, at: 1 });
      // Refused journals left nothing behind that counts: one deleted makes room for exactly one more.
      assert.equal(await storage.deleteJournal('b'), true);
      await storage.appendJournal('e', ['1'], { ...options, at: 0 });
      await assert.rejects(storage.appendJournal('f', ['1'], { ...options, at: 0 }), refusedWith('STORAGE_FULL'));
      await storage.close();
    });
  });

  describe(`${label}: workflow records`, () => {
    test('a workflow record saves, lists, reads back with its version, can be marked stale, and deletes', async () => {
      const { storage } = await factory.create();
      const workflows = new Workflows(storage);
      const saved = await workflows.save({ name: 'sumRows', description: 'Adds up rows.', code: 'export async function run(input: { rows: number[] }) { return input.rows.length; }' });
      assert.equal(saved.version > 0, true);
      assert.deepEqual(await workflows.get({ name: 'sumRows' }), saved);
      const stale = await workflows.save({ ...saved, stale: "Property 'rows' does not exist", ifVersion: saved.version });
      assert.equal((await workflows.list()).map((w) => [w.name, w.stale]).join(), ['sumRows', "Property 'rows' does not exist"].join());
      await assert.rejects(workflows.save({ ...saved, ifVersion: saved.version }), refusedWith('VERSION_CONFLICT'));
      assert.equal(await workflows.delete({ name: 'sumRows', ifVersion: stale.version }), true);
      assert.equal(await workflows.get({ name: 'sumRows' }), undefined);
      await storage.close();
    });

    test('workflow names must be identifiers and not the names of the workflow tools', async () => {
      const { storage } = await factory.create();
      const workflows = new Workflows(storage);
      for (const name of ['save', 'list', 'get', 'delete']) {
        await assert.rejects(workflows.save({ name, description: '', code: '' }), refusedWith('INVALID_NAME', new RegExp(`taken by codemode.workflows.${name}`)));
      }
      await assert.rejects(workflows.save({ name: 'has-dash', description: '', code: '' }), refusedWith('INVALID_NAME', /JavaScript identifier.*got `"has-dash"`/));
      await assert.rejects(workflows.save({ name: 'ok', description: 'x'.repeat(1001), code: '' }), refusedWith('INVALID_DATA', /at most 1000 characters/));
      await storage.close();
    });
  });
}
