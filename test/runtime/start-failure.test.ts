// A sandbox process that cannot start is an early, clear error for the operator: warmup() rejects with
// SANDBOX_START_FAILED carrying the cause from the process's stderr and a hint, and a run says that no
// sandbox could start (not "work on smaller data"). Provoked for real: an install whose isolated-vm lacks
// its native binary, and a real permission denial of a process started with the sandbox's own flags.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { sandboxPermissions } from '../../src/runtime/sandbox-permissions.js';
import { startFailure } from '../../src/runtime/start-failure.js';
import type * as codemode from '../../src/index.js';
import { NO_SANDBOX_HINT } from '../../src/results/hints.js';
import { brokenInstall } from './broken-install.js';

const install = brokenInstall();
after(() => install.remove());

describe('a sandbox process that cannot start', () => {
  test('warmup() rejects with SANDBOX_START_FAILED: the missing module in full and a reinstall hint', async () => {
    const { Executor } = (await import(install.entry)) as typeof codemode;
    const executor = new Executor({ minProcesses: 1 });
    try {
      await assert.rejects(executor.warmup(), (error: codemode.CodemodeError) => {
        assert.equal(error.name, 'CodemodeError');
        assert.equal(error.code, 'SANDBOX_START_FAILED');
        assert.match(error.message, /^the sandbox process exited while starting \(exit code 1\):\n/);
        assert.match(error.message, /Error: Cannot find module '\.\/out\/isolated_vm'/);
        assert.match(error.message, /code: 'MODULE_NOT_FOUND'/);
        assert.doesNotMatch(error.message, /^\s+at /m);
        assert.match(error.message, /\nHint: isolated-vm \S+ at .*node_modules\/isolated-vm\/isolated-vm\.js cannot be loaded by Node v\d+/);
        assert.match(error.message, /reinstall the dependencies with this Node \(`npm ci`, or `npm rebuild isolated-vm`\)\.$/);
        return true;
      });
    } finally {
      await executor.close();
    }
  });

  test('a run says no sandbox could start, with the cause and a hint of its own', async () => {
    const { Executor } = (await import(install.entry)) as typeof codemode;
    const executor = new Executor({ minProcesses: 0 });
    try {
      const result = await executor.run('return 1');
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.error.kind, 'crashed');
      assert.match(result.error.message, /^no sandbox process could start, so the code did not run: the sandbox process exited while starting \(exit code 1\):\n/);
      assert.match(result.error.message, /Cannot find module '\.\/out\/isolated_vm'/);
      assert.doesNotMatch(result.error.message, /Hint:/);
      assert.equal(result.error.hint, NO_SANDBOX_HINT);
    } finally {
      await executor.close();
    }
  });

  test('a permission denial names the denied resource and points at codemode doctor', () => {
    // A process started with the sandbox's own flags, reading a file they do not grant.
    const { execArgv } = sandboxPermissions();
    const child = spawnSync(process.execPath, [...execArgv, '-e', 'require("fs").readFileSync("/etc/hostname")'], { env: {}, encoding: 'utf8' });
    assert.equal(child.status, 1);
    const error = startFailure({ code: child.status, signal: child.signal, stderr: child.stderr });
    assert.equal(error.code, 'SANDBOX_START_FAILED');
    assert.match(error.message, /^the sandbox process exited while starting \(exit code 1\):\n/);
    assert.match(error.message, /resource: '\/etc\/hostname'/);
    assert.match(error.message, /code: 'ERR_ACCESS_DENIED'/);
    assert.match(error.message, /\nHint: the sandbox process runs under Node's permission model \(--(experimental-)?permission\) and was refused the resource above; `codemode doctor` lists what it may read\./);
  });

  test('no word within the start deadline says so, with what it wrote', () => {
    const error = startFailure({ timeoutMs: 15_000, stderr: 'still loading\n' });
    assert.equal(error.message, 'the sandbox process did not report ready within 15000 ms:\nstill loading\nHint: the machine may be overloaded; `codemode doctor` tries a sandbox process and shows how long it takes.');
  });
});
