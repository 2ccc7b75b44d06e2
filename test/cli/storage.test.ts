// `codemode artifacts` and `codemode workflows`, spawned as a user runs them, on a real folder (the default
// `.codemode/` and --storage DIR) and on a real redis-server (--redis URL): the CLI sees what the host saved.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Artifacts, FileStorage, RedisStorage, Workflows } from '../../src/storage/index.js';
import { CLI, tempDir } from '../mcp/helpers.js';
import { startRedis, type RedisServer } from '../storage/redis-server.js';

interface Outcome {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function cli(args: string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr }));
  });
}

const dir = tempDir({});
let redis: RedisServer;
before(async () => {
  redis = await startRedis();
  // The default store: `.codemode/` in the working directory.
  const storage = new FileStorage({ dir: join(dir.path, '.codemode') });
  const artifacts = new Artifacts(storage);
  await artifacts.save({ name: 'report.csv', data: 'a,b\n1,2\n', contentType: 'text/csv' });
  await artifacts.save({ name: 'raw.bin', data: new Uint8Array([0, 1, 254, 255]) });
  await new Workflows(storage).save({ name: 'countRows', description: 'Counts rows.\nSecond line.', code: 'async function run(input: { rows: unknown[] }) {\n  return input.rows.length;\n}' });
  await storage.close();
});
after(async () => {
  await redis?.stop();
  dir.remove();
});

describe('codemode artifacts', () => {
  test('list shows name, kind, content type, size and update time of what the host saved', async () => {
    const outcome = await cli(['artifacts', 'list'], dir.path);
    assert.equal(outcome.code, 0, outcome.stderr);
    const lines = outcome.stdout.toString().trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME +KIND +CONTENT TYPE +BYTES +UPDATED$/);
    assert.match(lines[1]!, /^raw\.bin +bytes +application\/octet-stream +4 +\d{4}-\d\d-\d\dT/);
    assert.match(lines[2]!, /^report\.csv +text +text\/csv +8 +\d{4}-/);
    assert.equal(lines.length, 3);
  });

  test('get writes the stored bytes to stdout, or to a file with -o', async () => {
    const raw = await cli(['artifacts', 'get', 'raw.bin'], dir.path);
    assert.deepEqual([raw.code, [...raw.stdout]], [0, [0, 1, 254, 255]]);
    const file = join(dir.path, 'out.csv');
    const saved = await cli(['artifacts', 'get', 'report.csv', '-o', file], dir.path);
    assert.deepEqual([saved.code, saved.stdout.length, readFileSync(file, 'utf8')], [0, 0, 'a,b\n1,2\n']);
  });

  test('a missing artifact is one line and exit 1; a bad name exit 2; a typo gets a suggestion', async () => {
    const missing = await cli(['artifacts', 'get', 'nope'], dir.path);
    assert.deepEqual([missing.code, missing.stderr], [1, `codemode: no artifact named "nope" in file:${join(dir.path, '.codemode')}\n`]);
    const traversal = await cli(['artifacts', 'rm', '../x'], dir.path);
    assert.equal(traversal.code, 2);
    assert.match(traversal.stderr, /^codemode: expected name to be "\/"-separated segments that are not empty, "\." or "\.\.", got `"\.\.\/x"` \(string\)\n$/);
    const typo = await cli(['artifacts', 'lsit'], dir.path);
    assert.deepEqual([typo.code, typo.stderr], [2, 'codemode: unknown artifacts action "lsit" (did you mean list?); expected list, get, rm\n']);
    const both = await cli(['artifacts', 'list', '--storage', 'x', '--redis', 'redis://127.0.0.1:1'], dir.path);
    assert.deepEqual([both.code, both.stderr], [2, 'codemode: give --storage DIR or --redis URL, not both\n']);
  });

  test('rm deletes; a second rm says it is gone', async () => {
    const store = join(dir.path, 'other');
    const storage = new FileStorage({ dir: store });
    await new Artifacts(storage).save({ name: 'tmp.txt', data: 'x' });
    assert.equal((await cli(['artifacts', 'rm', 'tmp.txt', '--storage', store], dir.path)).code, 0);
    assert.deepEqual(await new Artifacts(storage).list(), []);
    assert.equal((await cli(['artifacts', 'rm', 'tmp.txt', '--storage', store], dir.path)).code, 1);
  });

  test('--redis URL reads the artifacts a host saved in Redis', async () => {
    const storage = new RedisStorage({ url: redis.url });
    await new Artifacts(storage).save({ name: 'shared.json', data: { from: 'redis' } });
    await storage.close();
    const listed = await cli(['artifacts', 'list', '--redis', redis.url], dir.path);
    assert.match(listed.stdout.toString(), /\nshared\.json +json +application\/json +16 /);
    const got = await cli(['artifacts', 'get', 'shared.json', '--redis', redis.url], dir.path);
    assert.equal(got.stdout.toString(), '{"from":"redis"}');
  });
});

describe('codemode workflows', () => {
  test('list, show and rm the saved workflows', async () => {
    const listed = await cli(['workflows', 'list'], dir.path);
    assert.match(listed.stdout.toString(), /^NAME +VERSION +UPDATED +DESCRIPTION\ncountRows +\d+ +\S+ +Counts rows\.\n$/);
    const shown = await cli(['workflows', 'show', 'countRows'], dir.path);
    assert.match(shown.stdout.toString(), /^\/\/ countRows \(version \d+, \S+\): Counts rows\.\nSecond line\.\nasync function run\(input: \{ rows: unknown\[\] \}\) \{\n  return input\.rows\.length;\n\}\n$/);
    assert.equal((await cli(['workflows', 'rm', 'countRows'], dir.path)).code, 0);
    const gone = await cli(['workflows', 'show', 'countRows'], dir.path);
    assert.deepEqual([gone.code, gone.stderr], [1, `codemode: no workflow named "countRows" in file:${join(dir.path, '.codemode')}\n`]);
  });

  test('--help describes the actions and the store flags', async () => {
    const help = await cli(['workflows', '--help'], dir.path);
    assert.match(help.stdout.toString(), /^Usage: codemode workflows list\|show NAME\|add FILE\|rm NAME/);
    assert.match(help.stdout.toString(), /--storage DIR +a folder \(default \.codemode\/ in the working directory\)/);
    assert.match((await cli(['help', 'artifacts'], dir.path)).stdout.toString(), /-o, --output FILE/);
  });
});
