// The result text the model reads, and its structured twin: values as JSON, console lines, errors with
// line and frame, and cutting within the budget with a marker that says how to get less.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LogEntry, RunCompleted, RunError, RunFailed } from '../../src/index.js';
import { errorText, formatRun } from '../../src/present/format.js';
import { toJson } from '../../src/present/json.js';

const stats = { durationMs: 1, queueMs: 0, cpuMs: 1, hostCalls: 0 };
const completed = (value: unknown, logs: LogEntry[] = []): RunCompleted => ({ type: 'completed', ok: true, value, logs, stats });
const failed = (error: RunError, logs: LogEntry[] = []): RunFailed => ({ type: 'failed', ok: false, error, logs, stats });

describe('execute result text', () => {
  test('a value is one line of JSON, console lines follow with their level', () => {
    const { text, structured } = formatRun(completed({ a: [1, 'x'] }, [{ level: 'log', text: 'hi' }, { level: 'warn', text: 'low disk' }]));
    assert.equal(text, 'Result: {"a":[1,"x"]}\nConsole:\n[log] hi\n[warn] low disk');
    assert.deepEqual(structured, { ok: true, value: { a: [1, 'x'] }, logs: [{ level: 'log', text: 'hi' }, { level: 'warn', text: 'low disk' }] });
  });

  test('a failure shows kind, line, name, message, frame and hint, and keeps the console output', () => {
    const error: RunError = {
      kind: 'runtime',
      name: 'TypeError',
      message: "Cannot read properties of undefined (reading 'x')",
      line: 2,
      column: 10,
      frame: '  1 | const a = undefined;\n> 2 | return a.x;\n    |          ^',
      hint: 'Fix the error at the line shown (lines refer to your code) and run again.',
    };
    const { text, structured } = formatRun(failed(error, [{ level: 'log', text: 'before' }]));
    assert.equal(
      text,
      "Error (runtime) at line 2: TypeError: Cannot read properties of undefined (reading 'x')\n  1 | const a = undefined;\n> 2 | return a.x;\n    |          ^\nHint: Fix the error at the line shown (lines refer to your code) and run again.\nConsole:\n[log] before",
    );
    assert.deepEqual(structured, { ok: false, error, logs: [{ level: 'log', text: 'before' }] });
  });

  test('an error without a position leaves out the line', () => {
    assert.equal(errorText({ kind: 'timeout', name: 'Error', message: 'the run exceeded its 100 ms time limit' }), 'Error (timeout): Error: the run exceeded its 100 ms time limit');
  });

  test('a value over the budget is cut with a marker saying its size and to return less', () => {
    const { text, structured } = formatRun(completed('x'.repeat(500)), 100);
    assert.equal(text, `Result (cut): "${'x'.repeat(99)}… [cut: the value is 502 characters of JSON; shown 100. Return a summary or a slice.]`);
    assert.deepEqual(structured, { ok: true, truncated: true, preview: `"${'x'.repeat(99)}`, logs: [] });
  });

  test('a small value stays whole while long console output takes the rest of the budget', () => {
    const logs = Array.from({ length: 50 }, (_, i) => ({ level: 'log' as const, text: `line ${i}` }));
    const { text, structured } = formatRun(completed(42, logs), 60);
    assert.match(text, /^Result: 42\nConsole \(cut\):\n\[log\] line 0\n\[log\] line 1\n.*… \[cut: \d+ more characters of console output\. Log less\.\]$/s);
    assert.equal(structured.value, 42);
    assert.equal(structured.logsTruncated, true);
    assert.deepEqual(structured.logs, logs.slice(0, 4));
  });

  test('a long error message is cut, so one huge throw cannot flood the context', () => {
    const { text } = formatRun(failed({ kind: 'runtime', name: 'Error', message: 'y'.repeat(10_000) }));
    assert.ok(text.length < 2_200);
    assert.match(text, /… \[cut: 10000 characters\]/);
  });
});

describe('values as JSON', () => {
  test('what JSON cannot hold becomes something readable', () => {
    assert.deepEqual(toJson([1n, NaN, -Infinity, -0, new Date(0), new Date(NaN), new Uint8Array([1, 2]), undefined, { gone: undefined }]), [
      '1',
      'NaN',
      '-Infinity',
      0,
      '1970-01-01T00:00:00.000Z',
      null,
      { base64: 'AQI=' },
      null,
      {},
    ]);
    assert.equal(toJson(undefined), undefined);
  });

  test('an own __proto__ key stays a key', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const json = toJson(value) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
