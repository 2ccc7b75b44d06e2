// What code that broke out of V8 into a sandbox process could do there. The probe runs in a process started
// exactly as the live sandbox process was (same Node binary, same flags, read from /proc), and tries every
// door: isolated-vm must load and run, while reading anything else, writing, spawning a process and
// starting a worker must all be refused.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Executor } from 'codemode';
import { tempDir } from './helpers.mjs';

const PROBE = `
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
const [ivmEntry, secret, packageJson, nodeModules, writable] = process.argv.slice(1);
const attempt = (action) => { try { action(); return 'allowed'; } catch (error) { return error.code ?? error.message; } };
const ivm = createRequire(import.meta.url)(ivmEntry);
const isolate = new ivm.Isolate({ memoryLimit: 16 });
const outcome = {
  isolate: isolate.compileScriptSync('6 * 7').runSync(isolate.createContextSync()),
  readSecret: attempt(() => fs.readFileSync(secret)),
  readProjectManifest: attempt(() => fs.readFileSync(packageJson)),
  listNodeModules: attempt(() => fs.readdirSync(nodeModules)),
  write: attempt(() => fs.writeFileSync(writable + '/out.txt', 'x')),
  spawn: attempt(() => { const r = spawnSync(process.execPath, ['-v']); if (r.error) throw r.error; }),
  worker: attempt(() => new Worker('1', { eval: true }).terminate()),
};
console.log(JSON.stringify(outcome));
`;

const dir = tempDir({ 'secret.txt': 'hunter2' });
let executor;
let sandboxArgv;

before(async () => {
  executor = new Executor({ minProcesses: 1 });
  await executor.warmup();
  const [pid] = executor.sandboxPids();
  sandboxArgv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
});
after(async () => {
  await executor.close();
  dir.remove();
});

describe(`a sandbox process on Node ${process.version}`, () => {
  test('runs under the permission model with reads only, and its Node is this Node', () => {
    assert.equal(sandboxArgv[0], process.execPath);
    assert.ok(sandboxArgv.includes(process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission'));
    assert.deepEqual(sandboxArgv.filter((arg) => /^--allow-(fs-write|child-process|worker|wasi)/.test(arg)), []);
  });

  test('can load isolated-vm, and cannot read other files, write, spawn processes or start workers', () => {
    const entry = sandboxArgv.findIndex((arg) => arg.endsWith(join('sandbox', 'main.js')));
    const flags = sandboxArgv.slice(1, entry);
    const { ivmPath } = JSON.parse(sandboxArgv[entry + 1]);
    const packageJson = createRequire(import.meta.url).resolve('codemode/package.json');
    const nodeModules = dirname(dirname(createRequire(import.meta.url).resolve('isolated-vm/package.json')));
    const output = execFileSync(process.execPath, [...flags, '--input-type=module', '-e', PROBE, ivmPath, join(dir.path, 'secret.txt'), packageJson, nodeModules, dir.path], {
      env: {},
      encoding: 'utf8',
    });
    assert.deepEqual(JSON.parse(output), {
      isolate: 42,
      readSecret: 'ERR_ACCESS_DENIED',
      readProjectManifest: 'ERR_ACCESS_DENIED',
      listNodeModules: 'ERR_ACCESS_DENIED',
      write: 'ERR_ACCESS_DENIED',
      spawn: 'ERR_ACCESS_DENIED',
      worker: 'ERR_ACCESS_DENIED',
    });
  });
});
