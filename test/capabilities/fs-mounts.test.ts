// FsCapability mounts through the real Executor: one virtual tree of a real directory, host-resolved files
// (one fetched from a real loopback HTTP server), an in-memory directory whose files come back with the
// result, and the artifacts of the executor's storage; refusals as errors with kinds, and hostile paths.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Executor, ToolError, type RunResult } from '../../src/index.js';
import { FsCapability } from '../../capabilities/index.js';
import { Artifacts, FileStorage } from '../../src/storage/index.js';
import { errorOf, valueOf } from '../run-result.js';
import { tempDir } from './helpers.js';

const { dir, cleanup } = tempDir('mounts');
const storage = new FileStorage({ dir: join(dir, 'store') });
let server: Server;
let requests = 0;
let executor: Executor;
let capability: FsCapability;

before(async () => {
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'secret'));
  writeFileSync(join(dir, 'data/notes.txt'), 'from disk');
  writeFileSync(join(dir, 'secret/key'), 'SECRET');
  symlinkSync('../secret/key', join(dir, 'data/key-link'));
  server = createServer((req, res) => {
    requests += 1;
    res.end(req.url === '/ip' ? '203.0.113.7' : 'no');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  capability = new FsCapability({
    mounts: {
      '/data': { dir: join(dir, 'data') },
      '/network': { files: { ip: async ({ signal }) => (await fetch(`${base}/ip`, { signal })).text() } },
      '/docs': {
        resolve: async (subpath) => (subpath === 'guide/intro.md' ? '# Intro\n' : subpath === 'broken' ? Promise.reject(new Error(`connect ECONNREFUSED ${dir}`)) : null),
        list: async (subpath) => (subpath === '' ? ['guide/', 'broken', '../evil', 'a/b'] : subpath === 'guide' ? ['intro.md'] : null),
      },
      '/output': { memory: true, maxBytes: 4096, maxFiles: 8 },
      '/artifacts': { artifacts: true },
    },
  });
  executor = new Executor({ capabilities: [capability], storage });
});
after(async () => {
  await executor?.close();
  await storage.close();
  server?.close();
  cleanup();
});

/** The error a run's code caught, as `{ kind, message, hint }`. */
async function caught(code: string): Promise<{ kind: string; message: string; hint?: string }> {
  return valueOf(await executor.run(`try { ${code}; return 'no error' } catch (e) { return { kind: e.kind, message: e.message, hint: e.hint } }`)) as never;
}

describe('one tree of mounts', () => {
  it('lists the mount points at / and says which exist in the capability description', async () => {
    assert.deepEqual(valueOf(await executor.run(`return (await codemode.fs.readDir({ path: '/' })).entries`)), [
      { name: 'artifacts', type: 'directory' },
      { name: 'data', type: 'directory' },
      { name: 'docs', type: 'directory' },
      { name: 'network', type: 'directory' },
      { name: 'output', type: 'directory' },
    ]);
    assert.equal(
      capability.description,
      'Mounts: /artifacts (writable; kept after the run), /data (read-only), /docs (read-only; made by the host when read), ' +
        '/network (read-only; made by the host when read), /output (writable; starts empty each run, its files are returned with the result). ' +
        'One run may write 64 MiB and create 1000 files or directories in all.',
    );
    assert.match(executor.declarations(), /Absolute, under a mount; relative paths start at \//);
    assert.match(executor.declarations(), /Whether it may be changed: a writable mount holds it/);
    assert.doesNotMatch(executor.declarations(), new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  it('reads a real directory at its virtual path, with the disk rules: a link out is refused without the host path', async () => {
    assert.equal(valueOf(await executor.run(`return codemode.fs.readFile({ path: '/data/notes.txt' })`)), 'from disk');
    assert.equal(valueOf(await executor.run(`return codemode.fs.readFile({ path: 'data/notes.txt' })`)), 'from disk');
    const link = await caught(`await codemode.fs.readFile({ path: '/data/key-link' })`);
    assert.equal(link.kind, 'denied');
    assert.match(link.message, /leaves the mounts/);
    assert.ok(!`${link.message}${link.hint}`.includes(dir), 'no host path in the refusal');
  });

  it('refuses a write to a read-only mount as denied, naming the writable mounts', async () => {
    for (const path of ['/data/new.txt', '/network/ip', '/docs/x', '/output/../data/x']) {
      const error = await caught(`await codemode.fs.writeFile({ path: ${JSON.stringify(path)}, content: 'x' })`);
      assert.equal(error.kind, 'denied', path);
      assert.equal(error.message, `${JSON.stringify(path)} is in a read-only mount`);
      assert.equal(error.hint, 'Writable mounts: /artifacts, /output.');
    }
  });

  it('refuses every other change to a read-only mount, or outside the mounts, as denied', async () => {
    for (const call of [
      `appendFile({ path: '/docs/guide/intro.md', content: 'x' })`,
      `mkdir({ path: '/data/new' })`,
      `remove({ path: '/data/notes.txt' })`,
      `move({ from: '/data/notes.txt', to: '/data/moved.txt' })`,
      `copy({ from: '/data/notes.txt', to: '/data/copy.txt' })`,
      `copy({ from: '/data/notes.txt', to: '/network/copy.txt' })`,
      `mkdir({ path: '/x' })`,
    ]) {
      const error = await caught(`await codemode.fs.${call}`);
      assert.equal(error.kind, 'denied', call);
    }
    assert.equal(readFileSync(join(dir, 'data/notes.txt'), 'utf8'), 'from disk');
  });

  it("says '/' lists the mounts for an empty path, and moves only within one mount, also between two directories", async () => {
    assert.deepEqual(await caught(`await codemode.fs.readFile({ path: '' })`), { kind: 'invalid_input', message: `path "" is empty; use '/' to list the mounts`, hint: undefined });
    mkdirSync(join(dir, 'one'));
    mkdirSync(join(dir, 'two'));
    writeFileSync(join(dir, 'one/a.txt'), 'a');
    const two = new FsCapability({ mounts: { '/one': { dir: join(dir, 'one'), write: true }, '/two': { dir: join(dir, 'two'), write: true }, '/wiki': { resolve: () => null } } });
    const local = new Executor({ capabilities: [two] });
    try {
      assert.match(two.description, /\/wiki \(read-only; made by the host when read, by path only \(not listed\)\)/);
      assert.match(local.declarations(), /Move or rename a file or directory within one writable mount\./);
      const result = await local.run(`
        try { await codemode.fs.move({ from: '/one/a.txt', to: '/two/a.txt' }) } catch (e) { return [e.kind, e.message, e.hint] }
      `);
      assert.deepEqual(valueOf(result), ['host', '"/one/a.txt" cannot be moved to another mount', 'Use fs.copy, then fs.remove.']);
      assert.equal(readFileSync(join(dir, 'one/a.txt'), 'utf8'), 'a');
    } finally {
      await local.close();
    }
  });

  it('refuses paths outside every mount, and traversal that climbs out, before reading anything', async () => {
    for (const path of ['/etc/passwd', '/../../etc/passwd', '/data/../../etc/passwd', '/dataextra/x', join(dir, 'data/notes.txt')]) {
      const error = await caught(`await codemode.fs.readFile({ path: ${JSON.stringify(path)} })`);
      assert.equal(error.kind, 'denied', path);
      assert.match(error.message, /is outside the mounts$/);
      assert.equal(error.hint, "Mounts: /artifacts, /data, /docs, /network, /output. fs.readDir({ path: '/' }) lists them.");
    }
    assert.equal(valueOf(await executor.run(`return codemode.fs.readFile({ path: '/output/../data/notes.txt' })`)), 'from disk');
    const nul = await caught(`await codemode.fs.readFile({ path: '/output/a\\u0000b' })`);
    assert.equal(nul.kind, 'invalid_input');
  });
});

describe('host-resolved mounts', () => {
  it('produces /network/ip by an HTTP request on the host, made when the file is read', async () => {
    const before = requests;
    const result = await executor.run(`
      const listing = await codemode.fs.readDir({ path: '/network' });
      const ip = await codemode.fs.readFile({ path: '/network/ip' });
      const stat = await codemode.fs.stat({ path: '/network/ip' });
      return { listing, ip, size: stat.size, writable: stat.writable };
    `);
    assert.deepEqual(valueOf(result), { listing: { entries: [{ name: 'ip', type: 'file' }], truncated: false }, ip: '203.0.113.7', size: 11, writable: false });
    assert.equal(requests - before, 2, 'one request for the read, one for the stat');
  });

  it('lists and reads a resolved tree, leaving out names that are not plain, and fails cleanly as host', async () => {
    assert.deepEqual(valueOf(await executor.run(`return (await codemode.fs.readDir({ path: '/docs' })).entries`)), [
      { name: 'broken', type: 'file' },
      { name: 'guide', type: 'directory' },
    ]);
    assert.equal(valueOf(await executor.run(`return codemode.fs.readFile({ path: '/docs/guide/intro.md' })`)), '# Intro\n');
    assert.equal(valueOf(await executor.run(`return codemode.fs.stat({ path: '/docs/nothing' })`)), null);
    const broken = await caught(`await codemode.fs.readFile({ path: '/docs/broken' })`);
    assert.deepEqual(broken, { kind: 'host', message: 'the host could not produce "/docs/broken"', hint: 'Try again later.' });
    const missing = await caught(`await codemode.fs.readFile({ path: '/network/nope' })`);
    assert.deepEqual([missing.kind, missing.message], ['host', '"/network/nope" does not exist']);
  });

  it('aborts the host function when the run ends, so a slow source does not outlive the run', async () => {
    let aborted: Promise<unknown> | undefined;
    const slow = new FsCapability({
      mounts: {
        '/slow': {
          files: {
            never: ({ signal }) => {
              aborted = new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
              return new Promise<string>(() => undefined);
            },
          },
        },
      },
    });
    const local = new Executor({ capabilities: [slow], timeoutMs: 1000 });
    try {
      const result = await local.run(`return codemode.fs.readFile({ path: '/slow/never' })`);
      assert.equal(errorOf(result).kind, 'timeout');
      assert.ok(aborted, 'the host function was called');
      await aborted;
    } finally {
      await local.close();
    }
  });

  it('keeps the read limit on what the host produces, and its ToolErrors as the host wrote them', async () => {
    const big = new FsCapability({
      maxReadBytes: 10,
      mounts: {
        '/h': {
          files: {
            big: () => 'x'.repeat(11),
            bytes: () => new Uint8Array([1, 2, 3]),
            odd: () => 42 as never,
            shut: () => Promise.reject(new ToolError('denied', 'the vault is closed', { hint: 'Ask at 9.' })),
          },
        },
      },
    });
    const local = new Executor({ capabilities: [big] });
    try {
      const result = await local.run(`
        const out = {};
        for (const name of ['big', 'odd', 'shut']) {
          try { await codemode.fs.readFile({ path: '/h/' + name }) } catch (e) { out[name] = [e.kind, e.message] }
        }
        out.bytes = await codemode.fs.readFile({ path: '/h/bytes', encoding: 'base64' });
        return out;
      `);
      assert.deepEqual(valueOf(result), {
        big: ['host', '"/h/big" is larger than the read limit of 10 bytes (at least 11)'],
        odd: ['host', 'the host gave no content for "/h/odd" (expected text or bytes)'],
        shut: ['denied', 'the vault is closed'],
        bytes: 'AQID',
      });
    } finally {
      await local.close();
    }
  });
});

describe('in-memory mounts', () => {
  it('returns what a run leaves in /output with the result, typed by extension, and starts the next run empty', async () => {
    const result = await executor.run(`
      await codemode.fs.mkdir({ path: '/output/charts' });
      await codemode.fs.writeFile({ path: '/output/charts/a.svg', content: '<svg xmlns="http://www.w3.org/2000/svg"/>' });
      await codemode.fs.writeFile({ path: '/output/notes.md', content: '# a' });
      await codemode.fs.appendFile({ path: '/output/notes.md', content: '\\nb' });
      await codemode.fs.writeFile({ path: '/output/gone.txt', content: 'x' });
      await codemode.fs.move({ from: '/output/gone.txt', to: '/output/kept.bin' });
      await codemode.fs.copy({ from: '/data/notes.txt', to: '/output/copied.txt' });
      return (await codemode.fs.readDir({ path: '/output' })).entries.map((e) => e.name + ':' + e.type);
    `);
    assert.deepEqual(valueOf(result), ['charts:directory', 'copied.txt:file', 'kept.bin:file', 'notes.md:file']);
    assert.deepEqual(
      result.files?.map(({ path, size, contentType, bytes }) => [path, size, contentType, Buffer.from(bytes).toString()]),
      [
        ['/output/charts/a.svg', 41, 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
        ['/output/copied.txt', 9, 'text/plain; charset=utf-8', 'from disk'],
        ['/output/kept.bin', 1, 'application/octet-stream', 'x'],
        ['/output/notes.md', 5, 'text/markdown; charset=utf-8', '# a\nb'],
      ],
    );
    assert.equal(result.files![0]!.bytes.byteLength, result.files![0]!.bytes.buffer.byteLength, 'each file owns exactly its bytes');
    const next = await executor.run(`return (await codemode.fs.readDir({ path: '/output' })).entries`);
    assert.deepEqual(valueOf(next), []);
    assert.equal(next.files, undefined);
  });

  it('keeps runs apart: two runs at once each see only their own files', async () => {
    const run = (name: string) => executor.run(`
      await codemode.fs.writeFile({ path: '/output/${name}', content: '${name}' });
      return (await codemode.fs.readDir({ path: '/output' })).entries.map((e) => e.name);
    `);
    const [a, b] = await Promise.all([run('a.txt'), run('b.txt')]);
    assert.deepEqual([valueOf(a), valueOf(b)], [['a.txt'], ['b.txt']]);
    assert.deepEqual([a.files?.map((f) => f.path), b.files?.map((f) => f.path)], [['/output/a.txt'], ['/output/b.txt']]);
  });

  it('returns the files of a run that failed after writing them', async () => {
    const result = await executor.run(`await codemode.fs.writeFile({ path: '/output/partial.csv', content: 'a,b' }); throw new Error('later')`);
    assert.equal(errorOf(result).message, 'later');
    assert.deepEqual(result.files?.map((f) => [f.path, f.contentType]), [['/output/partial.csv', 'text/csv; charset=utf-8']]);
  });

  it('caps bytes and files per run with a clear host error, and hostile names go nowhere', async () => {
    const result = await executor.run(`
      const out = {};
      try { await codemode.fs.writeFile({ path: '/output/big', content: 'x'.repeat(5000) }) } catch (e) { out.big = [e.kind, e.message] }
      try { for (let i = 0; i < 20; i++) await codemode.fs.writeFile({ path: '/output/f' + i, content: 'x' }) } catch (e) { out.many = [e.kind, e.message] }
      try { await codemode.fs.writeFile({ path: '/output/sub/x', content: 'x' }) } catch (e) { out.parent = [e.kind, e.message, e.hint] }
      try { await codemode.fs.remove({ path: '/output' }) } catch (e) { out.mount = [e.kind, e.message] }
      try { await codemode.fs.move({ from: '/output/f0', to: '/artifacts/f0' }) } catch (e) { out.across = [e.kind, e.message, e.hint] }
      try { await codemode.fs.writeFile({ path: '/output/huge', content: 'x'.repeat(5 * 1024 * 1024) }) } catch (e) { out.huge = [e.kind, e.message] }
      await codemode.fs.remove({ path: '/output/f7' });
      await codemode.fs.remove({ path: '/output/f6' });
      await codemode.fs.writeFile({ path: '/output/%2e%2e', content: 'odd' });
      await codemode.fs.writeFile({ path: '/output/ line\\n é ', content: 'odd' });
      await codemode.fs.writeFile({ path: '/output/./a/../f0', content: 'same' });
      return out;
    `);
    assert.deepEqual(valueOf(result), {
      big: ['host', 'writing "/output/big" would pass the 4 KiB that /output holds per run; it holds 0 bytes'],
      huge: ['invalid_input', 'content is 5242880 bytes; the limit is 4194304 bytes'],
      many: ['host', 'creating "/output/f8" would pass the 8 files and directories that /output holds per run'],
      parent: ['host', 'the parent directory of "/output/sub/x" does not exist', 'Create the directory first with fs.mkdir({ path, recursive: true }).'],
      mount: ['denied', '"/output" is a mount, which cannot be removed'],
      across: ['host', '"/output/f0" cannot be moved to another mount', 'Use fs.copy, then fs.remove.'],
    });
    const names = result.files!.map((f) => f.path);
    assert.equal(names.length, 8);
    assert.ok(names.includes('/output/%2e%2e'));
    assert.ok(names.includes('/output/ line\n é '));
    assert.equal(Buffer.from(result.files!.find((f) => f.path === '/output/f0')!.bytes).toString(), 'same');
  });

  it('keeps the read limit on a file written bigger than it', async () => {
    const local = new Executor({ capabilities: [new FsCapability({ maxReadBytes: 10, maxWriteBytes: 100, mounts: { '/output': { memory: true } } })] });
    try {
      const result = await local.run(`
        await codemode.fs.writeFile({ path: '/output/a', content: 'x'.repeat(50) });
        try { await codemode.fs.readFile({ path: '/output/a' }) } catch (e) { return [e.kind, e.message] }
      `);
      assert.deepEqual(valueOf(result), ['host', '"/output/a" is larger than the read limit of 10 bytes (at least 50)']);
    } finally {
      await local.close();
    }
  });

  it('leaves out files past maxFilesBytes and names them in filesOmitted', async () => {
    const result = await executor.run(`
      await codemode.fs.writeFile({ path: '/output/a.txt', content: 'x'.repeat(600) });
      await codemode.fs.writeFile({ path: '/output/b.txt', content: 'y'.repeat(600) });
      await codemode.fs.writeFile({ path: '/output/c.txt', content: 'z' });
    `, { maxFilesBytes: 1000 });
    assert.ok(result.ok);
    assert.deepEqual(result.files?.map((f) => f.path), ['/output/a.txt', '/output/c.txt']);
    assert.deepEqual(result.filesOmitted, [{ path: '/output/b.txt', size: 600 }]);
  });
});

describe('files out of a run, everywhere a run ends', () => {
  it('comes with the terminal event of a step-by-step session', async () => {
    const session = await executor.start(`await codemode.fs.writeFile({ path: '/output/step.json', content: '{"a":1}' }); return 'done'`);
    let last;
    for await (const event of session) {
      if (event.type === 'host_call') session.callTool(event.callId);
      else last = event;
    }
    assert.equal(last?.type, 'completed');
    assert.deepEqual(last?.files?.map((f) => [f.path, f.contentType, f.size]), [['/output/step.json', 'application/json', 7]]);
  });

  it('comes with each workspace run, whose /output starts empty each time while its variables stay', async () => {
    const workspace = await executor.workspace();
    try {
      const first = await workspace.run(`const name = 'w.txt'; await codemode.fs.writeFile({ path: '/output/' + name, content: 'one' })`);
      assert.deepEqual(first.files?.map((f) => f.path), ['/output/w.txt']);
      const second = await workspace.run(`return [name, (await codemode.fs.readDir({ path: '/output' })).entries.length]`);
      assert.deepEqual(valueOf(second), ['w.txt', 0]);
      assert.equal(second.files, undefined);
    } finally {
      await workspace.close();
    }
  });

  it('copies between a memory mount and a writable directory mount, by the disk rules on the disk side', async () => {
    mkdirSync(join(dir, 'work'));
    const local = new Executor({
      capabilities: [new FsCapability({ mounts: { '/work': { dir: join(dir, 'work'), write: true }, '/output': { memory: true } } })],
    });
    try {
      const result = await local.run(`
        await codemode.fs.writeFile({ path: '/output/a.txt', content: 'drawn' });
        await codemode.fs.copy({ from: '/output/a.txt', to: '/work/a.txt' });
        await codemode.fs.copy({ from: '/work/a.txt', to: '/output/b.txt' });
        const again = await codemode.fs.copy({ from: '/output/a.txt', to: '/work/a.txt' }).catch((e) => [e.kind, e.message]);
        await codemode.fs.move({ from: '/work/a.txt', to: '/work/c.txt' });
        return { again, work: (await codemode.fs.readDir({ path: '/work' })).entries.map((e) => e.name) };
      `);
      assert.deepEqual(valueOf(result), { again: ['host', '"/work/a.txt" already exists'], work: ['c.txt'] });
      assert.equal(readFileSync(join(dir, 'work/c.txt'), 'utf8'), 'drawn');
      assert.deepEqual(result.files?.map((f) => f.path), ['/output/a.txt', '/output/b.txt']);
    } finally {
      await local.close();
    }
  });
});

describe('artifact mounts', () => {
  it('writes files into the executor storage that later runs and the host read', async () => {
    const first = await executor.run(`
      await codemode.fs.writeFile({ path: '/artifacts/reports/day1.csv', content: 'a,b\\n1,2' });
      await codemode.fs.writeFile({ path: '/artifacts/logo.png', content: 'iVBORw==', encoding: 'base64' });
      return (await codemode.fs.readDir({ path: '/artifacts' })).entries;
    `);
    assert.deepEqual(valueOf(first), [
      { name: 'logo.png', type: 'file' },
      { name: 'reports', type: 'directory' },
    ]);
    assert.equal(first.files, undefined, 'artifacts are kept, not returned');
    const second: RunResult = await executor.run(`
      await codemode.fs.appendFile({ path: '/artifacts/reports/day1.csv', content: '\\n3,4' });
      return [await codemode.fs.readFile({ path: '/artifacts/reports/day1.csv' }), (await codemode.fs.stat({ path: '/artifacts/reports' })).type];
    `);
    assert.deepEqual(valueOf(second), ['a,b\n1,2\n3,4', 'directory']);
    const host = new Artifacts(storage);
    const csv = await host.read({ name: 'reports/day1.csv' });
    assert.deepEqual([csv.kind, csv.contentType, csv.data], ['text', 'text/csv; charset=utf-8', 'a,b\n1,2\n3,4']);
    assert.deepEqual([...(await host.read({ name: 'logo.png' })).bytes], [0x89, 0x50, 0x4e, 0x47]);
    const removed = await executor.run(`return codemode.fs.remove({ path: '/artifacts/reports', recursive: true })`);
    assert.deepEqual(valueOf(removed), { removed: 2 }, 'the file and the folder itself');
    assert.deepEqual((await host.list()).map((a) => a.name), ['logo.png']);
  });

  it('uses a store of its own when given one, whatever the executor has', async () => {
    const own = new FileStorage({ dir: join(dir, 'own-store') });
    const local = new Executor({ capabilities: [new FsCapability({ mounts: { '/saved': { artifacts: own } } })] });
    try {
      valueOf(await local.run(`await codemode.fs.writeFile({ path: '/saved/a.json', content: '{"a":1}' })`));
      const info = await new Artifacts(own).read({ name: 'a.json' });
      assert.deepEqual([info.kind, info.contentType, info.data], ['text', 'application/json', '{"a":1}']);
    } finally {
      await local.close();
      await own.close();
    }
  });

  it('lists the store again only when its revision moved; moves keep the stored bytes and kind; a file is no folder', async () => {
    const own = new FileStorage({ dir: join(dir, 'counted-store') });
    let listings = 0;
    // The real store, with its listings counted.
    const counted = new Proxy(own, {
      get(target, key) {
        if (key === 'list') return (namespace: 'artifacts') => ((listings += 1), target.list(namespace));
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const local = new Executor({ capabilities: [new FsCapability({ maxReadBytes: 10, mounts: { '/saved': { artifacts: counted } } })] });
    try {
      await new Artifacts(own).save({ name: 'big.json', data: { values: 'x'.repeat(40) } });
      const result = await local.run(`
        await codemode.fs.writeFile({ path: '/saved/a', content: 'A' });
        const listedAfterWrite = [];
        for (let i = 0; i < 5; i++) listedAfterWrite.push((await codemode.fs.stat({ path: '/saved/a' })).size);
        const refused = [];
        for (const call of [
          () => codemode.fs.writeFile({ path: '/saved/a/b', content: 'B' }),
          () => codemode.fs.mkdir({ path: '/saved/a/b' }),
          () => codemode.fs.readFile({ path: '/saved/big.json' }),
        ]) {
          try { await call(); refused.push('no error') } catch (e) { refused.push(e.message) }
        }
        await codemode.fs.move({ from: '/saved/big.json', to: '/saved/moved.json' });
        return { listedAfterWrite, refused };
      `);
      assert.deepEqual(valueOf(result), {
        listedAfterWrite: [1, 1, 1, 1, 1],
        refused: [
          'a component of "/saved/a/b" is not a directory',
          'a component of "/saved/a/b" is not a directory',
          '"/saved/big.json" is larger than the read limit of 10 bytes (at least 53)',
        ],
      });
      // The write listed once and the first stat once (the write moved the revision); the other ten calls
      // (stats, refusals, the move's two lookups) read the revision only.
      assert.equal(listings, 2);
      const moved = await new Artifacts(own).read({ name: 'moved.json' });
      assert.deepEqual([moved.kind, moved.contentType, moved.data], ['json', 'application/json', { values: 'x'.repeat(40) }]);
      assert.deepEqual((await own.list('artifacts')).map((entry) => entry.name), ['a', 'moved.json']);
    } finally {
      await local.close();
      await own.close();
    }
  });

  it('says plainly when the executor has no storage', async () => {
    const local = new Executor({ capabilities: [new FsCapability({ mounts: { '/artifacts': { artifacts: true } } })] });
    try {
      const result = await local.run(`try { await codemode.fs.readDir({ path: '/artifacts' }) } catch (e) { return [e.kind, e.message] }`);
      assert.deepEqual(valueOf(result), ['host', '"/artifacts" is in an artifacts mount, but this host keeps no storage']);
    } finally {
      await local.close();
    }
  });
});

describe('mount options', () => {
  const bad = (options: unknown, message: RegExp) => assert.throws(() => new FsCapability(options as never), { code: 'INVALID_OPTION', message });

  it('refuses malformed mount points, nesting, unknown kinds, and allowedPaths beside mounts', () => {
    bad({ mounts: { data: { memory: true } } }, /keyed by absolute paths/);
    bad({ mounts: { '/': { memory: true } } }, /keyed by absolute paths/);
    bad({ mounts: { '/a/../b': { memory: true } } }, /keyed by absolute paths/);
    bad({ mounts: { '/a': { memory: true }, '/a/b': { memory: true } } }, /mounts cannot nest/);
    bad({ mounts: { '/a': { memory: true, dir: '.' } } }, /unknown or extra key `memory`/);
    bad({ mounts: { '/a': { disk: '.' } } }, /expected `mounts\["\/a"\]` to be a mount/);
    bad({ mounts: { '/a': { files: { 'x/y': () => '' } } } }, /plain file names/);
    bad({ mounts: { '/a': { dir: join(dir, 'missing') } } }, /expected `mounts\["\/a"\].dir` to be an existing directory/);
    bad({ mounts: {} }, /an object of mounts/);
    bad({ allowedPaths: [dir], mounts: { '/a': { memory: true } } }, /not both/);
    assert.equal(readFileSync(join(dir, 'data/notes.txt'), 'utf8'), 'from disk');
  });
});
