import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CodemodeError, DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIMEOUT_MS, Executor } from '../../src/index.js';
import { resolveLimits } from '../../src/executor/options.js';
import { valueOf } from '../run-result.js';

describe('options', () => {
  test('defaults are what the README says', () => {
    const limits = resolveLimits(undefined, undefined);
    assert.deepEqual(limits, {
      timeoutMs: 30_000,
      memoryLimitMb: 128,
      maxLogChars: 64_000,
      maxValueChars: 8_000_000,
      maxDepth: 64,
      maxHostCalls: 10_000,
      approvalTimeoutMs: 300_000,
      maxFilesBytes: 32 * 1024 * 1024,
    });
    assert.equal(DEFAULT_TIMEOUT_MS, 30_000);
    assert.equal(DEFAULT_MEMORY_LIMIT_MB, 128);
  });

  test('run options override executor options, which override defaults', () => {
    const limits = resolveLimits({ timeoutMs: 5000, maxDepth: 10 }, { timeoutMs: 100 });
    assert.equal(limits.timeoutMs, 100);
    assert.equal(limits.maxDepth, 10);
    assert.equal(limits.memoryLimitMb, 128);
  });

  test('a bad option throws one CodemodeError that shows the value', async () => {
    const bad: Array<[() => unknown, string]> = [
      [() => new Executor({ timeoutMs: -5 }), 'expected `timeoutMs` to be an integer from 1 to 2147483647 (milliseconds), got `-5` (number)'],
      [() => new Executor({ memoryLimitMb: 4 }), 'expected `memoryLimitMb` to be an integer from 8 to 16384 (megabytes), got `4` (number)'],
      [() => new Executor({ maxProcesses: 0 }), 'expected `maxProcesses` to be an integer from 1 to 1024, got `0` (number)'],
      [() => new Executor({ maxProcesses: 2, minProcesses: 3 }), 'expected `minProcesses` to be an integer from 0 to 2, got `3` (number)'],
      [() => new Executor({ approve: 'yes' as never }), 'expected `approve` to be a function, got `"yes"` (string)'],
      [() => new Executor({ timeoutMs: '10' as never }), 'expected `timeoutMs` to be an integer from 1 to 2147483647 (milliseconds), got `"10"` (string)'],
      [() => new Executor({ tools: {} as never }), 'expected `tools` to be an array, got an object'],
      [() => new Executor({ capabilities: 'fs' as never }), 'expected `capabilities` to be an array, got `"fs"` (string)'],
    ];
    for (const [make, message] of bad) {
      assert.throws(make, (error: CodemodeError) => error instanceof CodemodeError && error.code === 'INVALID_OPTION' && error.message === message, message);
    }
    const executor = new Executor();
    try {
      await assert.rejects(executor.run('return 1', { timeoutMs: 0 }), /expected `timeoutMs` to be an integer/);
      await assert.rejects(executor.run(42 as never), /expected `code` to be a string, got `42` \(number\)/);
    } finally {
      await executor.close();
    }
  });

  test('a per-run memory limit applies to that run only', async () => {
    const executor = new Executor({ memoryLimitMb: 256 });
    try {
      const small = await executor.run('const a = []; while (true) a.push(new Array(1e5).fill(1))', { memoryLimitMb: 16, timeoutMs: 120_000 });
      assert.equal(!small.ok && small.error.kind, 'memory');
      assert.match(!small.ok ? small.error.hint! : '', /more than 16 MB/);
      const big = await executor.run('const a = new Array(4e6).fill(1.5); return a.length');
      assert.equal(valueOf(big), 4e6);
    } finally {
      await executor.close();
    }
  });
});
