// The host and a sandbox process agree on the protocol version before any run: a sandbox process built from
// other code (an older codemode, or files upgraded under a running host) is refused with a clear error, and
// a sandbox process refuses a host of another version.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { PROTOCOL_VERSION } from '../../src/bridge/protocol.js';
import { SandboxProcess } from '../../src/runtime/sandbox-process.js';

const built = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const dir = mkdtempSync(join(tmpdir(), 'codemode-protocol-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the compiled sandbox code whose protocol.js says `version`, as another codemode's would. */
function sandboxCodeSpeaking(version: number): string {
  const root = join(dir, `v${version}`);
  cpSync(join(built, 'sandbox'), join(root, 'sandbox'), { recursive: true });
  cpSync(join(built, 'bridge'), join(root, 'bridge'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }');
  const protocol = join(root, 'bridge', 'protocol.js');
  const source = readFileSync(protocol, 'utf8');
  const line = `export const PROTOCOL_VERSION = ${PROTOCOL_VERSION};`;
  assert.ok(source.includes(line), 'protocol.js declares PROTOCOL_VERSION as expected');
  writeFileSync(protocol, source.replace(line, `export const PROTOCOL_VERSION = ${version};`));
  return root;
}

const SPAWN = { memoryLimitMb: 16, isolateRuns: 1, isolateHeapMb: 16 };

describe('protocol version', () => {
  test('a sandbox process built from the same code as the host becomes ready', async () => {
    const sandbox = new SandboxProcess(SPAWN, sandboxCodeSpeaking(PROTOCOL_VERSION));
    try {
      await sandbox.ready;
      assert.equal(sandbox.spare, true);
    } finally {
      sandbox.kill();
      await sandbox.exited;
    }
  });

  test('a sandbox process of another version is refused before any run and killed', async () => {
    const sandbox = new SandboxProcess(SPAWN, sandboxCodeSpeaking(PROTOCOL_VERSION + 1));
    const refused = await sandbox.ready.then(
      () => assert.fail('an old sandbox process must not become ready'),
      (error: Error) => error,
    );
    // The process itself refuses first (it gets the host's version at spawn); a process too old to check
    // reports its version when ready and the host refuses it. Either way the message names both versions.
    assert.match(
      refused.message,
      new RegExp(
        `protocol version ${PROTOCOL_VERSION + 1}, the host ${PROTOCOL_VERSION}|the host speaks protocol version ${PROTOCOL_VERSION}, this sandbox process speaks ${PROTOCOL_VERSION + 1}`,
      ),
    );
    const exit = await sandbox.exited;
    assert.equal(sandbox.alive, false);
    assert.ok(exit.code !== 0 || exit.signal !== null, JSON.stringify(exit));
  });

  test('a sandbox process that reports another version when ready is refused by the host', async () => {
    // An older sandbox does not check the host's version; it only says its own when ready. Simulate one by
    // accepting any host version in the copy.
    const root = sandboxCodeSpeaking(PROTOCOL_VERSION + 2);
    const main = join(root, 'sandbox', 'main.js');
    const source = readFileSync(main, 'utf8');
    assert.ok(source.includes('config.protocol !== PROTOCOL_VERSION'), 'main.js checks the host version as expected');
    writeFileSync(main, source.replace('config.protocol !== PROTOCOL_VERSION', 'false'));
    const sandbox = new SandboxProcess(SPAWN, root);
    await assert.rejects(sandbox.ready, {
      message: `the sandbox process speaks protocol version ${PROTOCOL_VERSION + 2}, the host ${PROTOCOL_VERSION}: its code is not the host's (was codemode upgraded while the host ran? restart the host)`,
    });
    await sandbox.exited;
    assert.equal(sandbox.alive, false);
  });

  test('a sandbox process given another host version exits saying both versions', async () => {
    const ivmPath = createRequire(import.meta.url).resolve('isolated-vm');
    const child = fork(join(built, 'sandbox', 'main.js'), [JSON.stringify({ ivmPath, memoryLimitMb: 16, protocol: PROTOCOL_VERSION + 1 })], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 1);
    assert.equal(stderr, `codemode sandbox: the host speaks protocol version ${PROTOCOL_VERSION + 1}, this sandbox process speaks ${PROTOCOL_VERSION}\n`);
  });
});
