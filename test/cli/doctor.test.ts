// `codemode doctor` on this install (works: exit 0, every readable path listed) and on an install whose
// isolated-vm lacks its binary (exit 1 with the cause); `run` and `mcp` there fail early with the cause.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sandboxPermissions } from '../../src/runtime/sandbox-permissions.js';
import { brokenInstall } from '../runtime/broken-install.js';
import { CLI, launch } from '../mcp/helpers.js';

const install = brokenInstall();
after(() => install.remove());

describe('codemode doctor', () => {
  test('prints Node, isolated-vm, the permission flag with every readable path, and a working trial run', async () => {
    const { code, stdout, stderr } = await launch(CLI, ['doctor']);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const permissions = sandboxPermissions();
    const lines = stdout.split('\n');
    assert.match(lines[0]!, /^codemode \d+\.\d+\.\d+/);
    assert.equal(lines[1], `node ${process.version} (${process.execPath}, ${process.platform}-${process.arch})`);
    assert.equal(lines[2], `isolated-vm ${permissions.ivmVersion} (${permissions.ivmEntry})`);
    assert.equal(lines[3], `sandbox processes: Node's permission model (${permissions.flag}); no writes, child processes or workers; may read:`);
    assert.deepEqual(lines.slice(4, 4 + permissions.readable.length), permissions.readable.map(({ path, reason }) => `  ${path}  (${reason})`));
    assert.match(stdout, /\ntrial run: ok \(return \[6 \* 7, typeof process\] gave \[42,"undefined"\]; sandbox process ready in \d+ ms, run [\d.]+ ms\)\n$/);
  });

  test('fails with exit code 1 and the cause when no sandbox process can start', async () => {
    const { code, stdout } = await launch(install.cli, ['doctor']);
    assert.equal(code, 1);
    assert.match(stdout, /\ntrial run: failed: the sandbox process exited while starting \(exit code 1\):\n[^]*Cannot find module '\.\/out\/isolated_vm'[^]*\nHint: isolated-vm /);
  });
});

describe('run and mcp when no sandbox process can start', () => {
  test('run exits 1 with the cause instead of running', async () => {
    const { code, stdout, stderr } = await launch(install.cli, ['run', '-'], { input: 'return 1' });
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /^codemode: cannot run code here: the sandbox process exited while starting \(exit code 1\):\n[^]*Cannot find module '\.\/out\/isolated_vm'[^]*\nHint: isolated-vm /);
  });

  test('mcp exits 1 with the cause before saying it is ready', async () => {
    const { code, stderr } = await launch(install.cli, ['mcp']);
    assert.equal(code, 1);
    assert.match(stderr, /^codemode: cannot run code here: the sandbox process exited while starting[^]*Cannot find module/);
    assert.doesNotMatch(stderr, /MCP server on stdio/);
  });
});
