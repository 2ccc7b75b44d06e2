// The one table of limits: every front (Executor, MCP server, HTTP server, CLI flags, CLI config file)
// reads the same ranges and says a broken rule in the same words.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { parseFlags } from '../../src/cli/args.js';
import { configSchema, loadConfig } from '../../src/cli/config.js';
import { UsageError } from '../../src/cli/usage.js';
import { CodemodeError, DEFAULT_MIN_PROCESSES, DEFAULT_TIMEOUT_MS, Executor } from '../../src/index.js';
import { resolvePoolOptions } from '../../src/runtime/options.js';
import { CodeModeServer, DEFAULT_MAX_RESULT_CHARS } from '../../src/mcp/index.js';
import { serveHttp } from '../../src/mcp/http.js';
import { capped, checked, expectedText, resolveTable, violation } from '../../src/limits/rules.js';
import { HTTP_LIMITS, POOL_LIMITS, RUN_LIMITS, SERVER_LIMITS } from '../../src/limits/table.js';

const dir = mkdtempSync(join(tmpdir(), 'codemode-limits-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof CodemodeError || error instanceof UsageError, `not an option error: ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the action to throw');
}

async function rejectionOf(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    assert.ok(error instanceof CodemodeError, `not a CodemodeError: ${String(error)}`);
    assert.equal(error.code, 'INVALID_OPTION');
    return error.message;
  }
  assert.fail('expected the action to reject');
}

describe('the table of limits', () => {
  test('a bad time limit reads the same from the Executor, the MCP server, the CLI flag and the config file', () => {
    const rule = 'to be an integer from 1 to 2147483647 (milliseconds), got';
    const config = join(dir, 'timeout.json');
    writeFileSync(config, JSON.stringify({ timeout: 0 }));
    assert.equal(messageOf(() => new Executor({ timeoutMs: 0 })), `expected \`timeoutMs\` ${rule} \`0\` (number)`);
    assert.equal(messageOf(() => new CodeModeServer({ timeoutMs: 0 })), `expected \`timeoutMs\` ${rule} \`0\` (number)`);
    assert.equal(messageOf(() => parseFlags('run', ['--timeout', '0'])), `expected \`--timeout\` ${rule} \`"0"\` (string)`);
    assert.equal(messageOf(() => loadConfig(config)), `config ${config}: expected \`timeout\` ${rule} \`0\` (number)`);
  });

  test('the HTTP server checks its options against the same rows, naming itself', async () => {
    assert.equal(
      await rejectionOf(() => serveHttp({ port: 0, sessionIdleMs: 0 }, () => assert.fail('no session expected'))),
      'serveHttp: expected `sessionIdleMs` to be an integer from 1 to 2147483647 (milliseconds), got `0` (number)',
    );
    assert.equal(
      await rejectionOf(() => serveHttp({ port: 70_000 }, () => assert.fail('no session expected'))),
      'serveHttp: expected `port` to be an integer from 0 to 65535 (a TCP port), got `70000` (number)',
    );
    assert.equal(
      await rejectionOf(() => serveHttp({ port: 0, token: '' }, () => assert.fail('no session expected'))),
      'serveHttp: expected `token` to be a non-empty string, got `""` (string)',
    );
  });

  test('options that are not an object name who was given them', () => {
    assert.equal(messageOf(() => new Executor(null as never)), 'Executor: expected `options` to be an object, got `null`');
    assert.equal(messageOf(() => new CodeModeServer([] as never)), 'CodeModeServer: expected `options` to be an object, got an array');
  });

  test('later layers win over earlier ones, and an unset limit takes its default', () => {
    const resolved = resolveTable(RUN_LIMITS, [{ timeoutMs: 5000, maxDepth: 10 }, { timeoutMs: 100 }, undefined]);
    assert.equal(resolved.timeoutMs, 100);
    assert.equal(resolved.maxDepth, 10);
    assert.equal(resolved.memoryLimitMb, RUN_LIMITS.memoryLimitMb.default);
    assert.deepEqual(resolveTable(SERVER_LIMITS, []).maxResultChars, DEFAULT_MAX_RESULT_CHARS);
    assert.equal(RUN_LIMITS.timeoutMs.default, DEFAULT_TIMEOUT_MS);
  });

  test('minProcesses defaults to 2 and may not exceed maxProcesses', () => {
    assert.equal(resolvePoolOptions({}).minProcesses, DEFAULT_MIN_PROCESSES);
    assert.equal(DEFAULT_MIN_PROCESSES, 2);
    assert.deepEqual(resolvePoolOptions({ maxProcesses: 1 }), { minProcesses: 1, maxProcesses: 1, idleProcessMs: POOL_LIMITS.idleProcessMs.default, isolateRuns: POOL_LIMITS.isolateRuns.default, isolateHeapMb: POOL_LIMITS.isolateHeapMb.default });
    assert.equal(
      messageOf(() => resolvePoolOptions({ maxProcesses: 2, minProcesses: 3 })),
      'expected `minProcesses` to be an integer from 0 to 2, got `3` (number)',
    );
    assert.equal(capped(POOL_LIMITS.minProcesses, 5000).max, POOL_LIMITS.minProcesses.max);
  });

  test('every limit has its default inside its own range', () => {
    for (const table of [RUN_LIMITS, POOL_LIMITS, SERVER_LIMITS, HTTP_LIMITS]) {
      for (const [name, rule] of Object.entries(table)) {
        assert.equal(checked(name, rule, rule.default), rule.default, `${name}: ${expectedText(rule)}`);
      }
    }
  });

  test('fractions, NaN and numeric strings break an integer rule; the message shows the value as given', () => {
    for (const value of [1.5, Number.NaN, '10', Infinity]) {
      assert.throws(() => checked('maxDepth', RUN_LIMITS.maxDepth, value), { message: violation('maxDepth', RUN_LIMITS.maxDepth, value) });
    }
  });
});

describe('the config file schema', () => {
  test('prints as JSON Schema with the ranges of the table', () => {
    const schema = z.toJSONSchema(configSchema) as { properties: Record<string, { minimum?: number; maximum?: number }>; additionalProperties: boolean };
    assert.deepEqual([schema.properties.timeout?.minimum, schema.properties.timeout?.maximum], [RUN_LIMITS.timeoutMs.min, RUN_LIMITS.timeoutMs.max]);
    assert.deepEqual([schema.properties.memory?.minimum, schema.properties.memory?.maximum], [RUN_LIMITS.memoryLimitMb.min, RUN_LIMITS.memoryLimitMb.max]);
    assert.equal(schema.additionalProperties, false);
  });

  test('an unknown key gets a suggestion, and the token is never read from a file', () => {
    const typo = join(dir, 'typo.json');
    writeFileSync(typo, JSON.stringify({ allowRaed: ['.'] }));
    assert.equal(messageOf(() => loadConfig(typo)), `config ${typo}: unknown key "allowRaed" (did you mean allowRead?)`);
    const token = join(dir, 'token.json');
    writeFileSync(token, JSON.stringify({ token: 'secret' }));
    assert.equal(messageOf(() => loadConfig(token)), `config ${token}: "token" is not read from files; use CODEMODE_TOKEN or --token`);
  });

  test('a good file maps its keys onto the settings, paths from the file’s own directory', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ allowRead: ['data'], allowWrite: ['/abs/out'], timeout: 5000, memory: 64, search: true, http: 8080, host: 'localhost' }));
    assert.deepEqual(loadConfig(good), {
      fs: [
        { path: join(dir, 'data'), write: false },
        { path: '/abs/out', write: true },
      ],
      env: [],
      net: [],
      timeoutMs: 5000,
      memoryMb: 64,
      search: true,
      http: 8080,
      host: 'localhost',
    });
  });
});
