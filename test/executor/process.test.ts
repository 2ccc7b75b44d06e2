// The sandbox processes: how they are spawned, what ends them, and that none outlives its executor.
import assert from 'node:assert/strict';
import { execFile, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PROTOCOL_VERSION } from '../../src/bridge/protocol.js';
import { CodemodeError, Executor } from '../../src/index.js';
import { double } from '../fixtures.js';
import { valueOf } from '../run-result.js';

const here = dirname(fileURLToPath(import.meta.url));

function alive(pid: number): boolean {
  try {
    // A zombie has exited; it only waits to be reaped by its parent.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Waits for processes that are not our children to exit: there is no event for that, so look. */
async function gone(pids: number[]): Promise<boolean> {
  for (let i = 0; i < 500; i++) {
    if (!pids.some(alive)) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

describe('sandbox processes', () => {
  test('a sandbox process gets no environment and runs under the permission model', async () => {
    process.env.CODEMODE_TEST_SECRET = 'hunter2';
    const executor = new Executor({ tools: [double] });
    try {
      await executor.warmup();
      const [pid] = executor.sandboxPids();
      assert.ok(pid);
      // Only the variables Node itself sets up for the IPC channel.
      const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
      assert.deepEqual(environment.filter((entry) => !entry.startsWith('NODE_CHANNEL_')), []);
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      assert.ok(argv.includes('--experimental-permission') || argv.includes('--permission'), argv.join(' '));
      assert.ok(argv.some((arg) => arg.startsWith('--allow-fs-read=')));
      assert.ok(!argv.some((arg) => arg.startsWith('--allow-fs-write') || arg === '--allow-child-process' || arg === '--allow-worker'));
    } finally {
      delete process.env.CODEMODE_TEST_SECRET;
      await executor.close();
    }
  });

  test('killing the sandbox process mid-run gives crashed, and the next run succeeds', async () => {
    const executor = new Executor({ tools: [double], maxProcesses: 1 });
    try {
      const session = await executor.start('await codemode.double({ n: 1 }); return "unreachable"');
      const event = await session.nextEvent();
      assert.equal(event.type, 'host_call');
      const [pid] = executor.sandboxPids();
      process.kill(pid!, 'SIGKILL');
      const result = await session.result;
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.error.kind, 'crashed');
      assert.equal(!result.ok && result.error.message, 'the sandbox process died (signal SIGKILL)');
      const next = await executor.run('return await codemode.double({ n: 5 })');
      assert.equal(valueOf(next), 10);
      assert.notEqual(executor.sandboxPids()[0], pid);
    } finally {
      await executor.close();
    }
  });

  test('a sandbox process that dies while idle is replaced and the next run succeeds', async () => {
    const executor = new Executor({ tools: [double], minProcesses: 1, maxProcesses: 1 });
    try {
      await executor.warmup();
      const [pid] = executor.sandboxPids();
      const exited = new Promise<void>((resolve) => {
        const poll = () => (executor.sandboxPids().includes(pid!) ? setImmediate(poll) : resolve());
        process.kill(pid!, 'SIGKILL');
        poll();
      });
      await exited;
      const result = await executor.run('return await codemode.double({ n: 4 })');
      assert.equal(valueOf(result), 8);
      assert.notEqual(executor.sandboxPids()[0], pid);
    } finally {
      await executor.close();
    }
  });

  test('runs beyond maxProcesses wait in line and all complete', async () => {
    const executor = new Executor({ tools: [double], maxProcesses: 2 });
    try {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => executor.run(`return await codemode.double({ n: ${i} })`)));
      assert.deepEqual(results.map((r) => valueOf(r)), [0, 2, 4, 6, 8, 10]);
      assert.ok(executor.sandboxPids().length <= 2);
    } finally {
      await executor.close();
    }
  });

  test('one hung run does not stall the others', async () => {
    // The limit is far beyond the test: the hung run must end by close(), never by the clock.
    const executor = new Executor({ tools: [double], maxProcesses: 2, timeoutMs: 120_000 });
    try {
      const hung = executor.run('while (true) {}');
      const quick = await Promise.all([1, 2, 3].map((n) => executor.run(`return ${n}`)));
      assert.deepEqual(quick.map((r) => valueOf(r)), [1, 2, 3]);
      await executor.close();
      const result = await hung;
      assert.equal(!result.ok && result.error.kind, 'cancelled');
    } finally {
      await executor.close();
    }
  });

  test('close ends every sandbox process and cancels running runs', async () => {
    const executor = new Executor({ tools: [double], maxProcesses: 3 });
    const sessions = await Promise.all([1, 2, 3].map(() => executor.start('await codemode.double({ n: 1 })')));
    await Promise.all(sessions.map((session) => session.nextEvent()));
    const pids = executor.sandboxPids();
    assert.equal(pids.length, 3);
    await executor.close();
    assert.deepEqual(pids.filter(alive), []);
    for (const session of sessions) {
      const result = await session.result;
      assert.equal(!result.ok && result.error.kind, 'cancelled');
    }
    await executor.close();
    await assert.rejects(executor.run('return 1'), (error: CodemodeError) => error.code === 'EXECUTOR_CLOSED');
    await assert.rejects(executor.start('return 1'), (error: CodemodeError) => error.code === 'EXECUTOR_CLOSED');
  });

  test('a host that exits without closing its executor takes its sandbox processes with it', async () => {
    const script = join(here, 'exit-without-close.js');
    const { stdout } = await promisify(execFile)(process.execPath, [script]);
    const pids = JSON.parse(stdout) as number[];
    assert.equal(pids.length, 2);
    assert.ok(await gone(pids), `still alive: ${pids.filter(alive)}`);
  });

  test('a sandbox process exits by itself when its host disconnects', async () => {
    const executor = new Executor();
    await executor.warmup();
    const entry = join(here, '..', '..', 'src', 'sandbox', 'main.js');
    await executor.close();
    const child = fork(entry, [JSON.stringify({ ivmPath: (await import('node:module')).createRequire(import.meta.url).resolve('isolated-vm'), memoryLimitMb: 16, protocol: PROTOCOL_VERSION })], {
      execArgv: ['--no-node-snapshot'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    await new Promise<void>((resolve) => child.once('message', () => resolve()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.disconnect();
    assert.equal(await exited, 0);
  });

  test('an idle executor does not keep the host process alive', async () => {
    const script = join(here, 'idle-host.js');
    const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 20_000 });
    assert.equal(stdout.trim(), 'ran 2');
  });
});
