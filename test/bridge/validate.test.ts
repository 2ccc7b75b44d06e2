// The host's check of what a sandbox process sends: the protocol's shape, exactly, with model text coerced
// to strings and cut, and the budgets that span a run's messages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PROTOCOL_VERSION, logLimitText } from '../../src/bridge/protocol.js';
import { SandboxInbox } from '../../src/bridge/validate.js';

const limits = { maxValueChars: 100, maxLogChars: 50, maxHostCalls: 5 };
const out = (fields: Record<string, unknown>) => ({ type: 'out', runId: 'r1', calls: [], logs: [], ...fields });
const stats = { cpuMs: 1.5, pendingCalls: [], isolateRun: 1 };

function problem(message: unknown, inbox = new SandboxInbox(limits)): string {
  const checked = inbox.check(message);
  assert.equal(checked.ok, false, `expected a protocol problem, got ${JSON.stringify(checked)}`);
  return checked.ok ? '' : checked.problem;
}

function accepted(message: unknown, inbox = new SandboxInbox(limits)) {
  const checked = inbox.check(message);
  assert.ok(checked.ok, checked.ok ? '' : checked.problem);
  return checked.message;
}

describe('sandbox inbox', () => {
  test('a well-formed message passes as a fresh copy without fields the protocol does not know', () => {
    const message = out({ calls: [{ callId: 1, name: 'add', input: '0{}', extra: 1 }], logs: [{ level: 'log', text: 'hi' }], sneaky: true });
    const checked = accepted(message);
    assert.deepEqual(checked, { type: 'out', runId: 'r1', calls: [{ callId: 1, name: 'add', input: '0{}' }], logs: [{ level: 'log', text: 'hi' }] });
    assert.deepEqual(accepted({ type: 'ready', protocol: PROTOCOL_VERSION }), { type: 'ready', protocol: PROTOCOL_VERSION });
  });

  test('anything but the protocol shape is a problem that names the field and what came', () => {
    assert.equal(problem(null), 'message: expected an object, got null');
    assert.equal(problem('out'), 'message: expected an object, got a string of 3 characters');
    assert.equal(problem([]), 'message.type: unexpected undefined');
    assert.equal(problem({ type: 'hello' }), 'message.type: unexpected a string of 5 characters');
    assert.equal(problem(out({ runId: 7 })), 'message.runId: expected a string, got number 7');
    assert.equal(problem(out({ calls: {} })), 'message.calls: expected an array, got object');
    assert.equal(problem(out({ calls: [{ callId: 1.5, name: 'a', input: '0{}' }] })), 'message.calls[0].callId: expected an integer from 1 to 5, got number 1.5');
    assert.equal(problem(out({ calls: [{ callId: 1, name: 'a', input: {} }] })), 'message.calls[0].input: expected a string, got object');
    assert.equal(problem(out({ logs: [{ level: 'shout', text: 'x' }] })), 'message.logs[0].level: expected one of log, info, warn, error, debug, got a string of 5 characters');
    assert.equal(problem(out({ end: { ok: 'yes', stats } })), 'message.end.ok: unexpected a string of 3 characters');
    assert.equal(problem(out({ end: { ok: true, value: '0 1', stats: { cpuMs: -1, pendingCalls: [] } } })), 'message.end.stats.cpuMs: expected a finite number ≥ 0, got number -1');
    assert.equal(problem(out({ end: { ok: false, error: { kind: 'weird', name: 'E', message: 'm' }, stats } })), 'message.end.error.kind: expected one of syntax, runtime, timeout, memory, cancelled, crashed, denied, host, invalid_input, output_limit, got a string of 5 characters');
    assert.equal(problem(out({ end: { ok: false, error: { kind: 'runtime', name: 'E', message: 'm', line: 1n }, stats } })), 'message.end.error.line: expected an integer from 1 to 2147483647, got bigint 1');
  });

  test('sizes past the caps are problems: values, names, calls and entries', () => {
    assert.equal(problem(out({ calls: [{ callId: 1, name: 'a', input: '0' + 'x'.repeat(100) }] })), 'message.calls[0].input: 101 characters, more than 100');
    assert.equal(problem(out({ calls: [{ callId: 1, name: 'a'.repeat(513), input: '0{}' }] })), 'message.calls[0].name: 513 characters, more than 512');
    const calls = Array.from({ length: 6 }, (_, i) => ({ callId: i + 1, name: 'a', input: '0{}' }));
    assert.equal(problem(out({ calls })), 'message.calls: 6 items, more than 5');
    assert.equal(problem(out({ logs: Array(52).fill({ level: 'log', text: '' }) })), 'message.logs: 52 items, more than 51');
    assert.equal(problem(out({ end: { ok: true, value: '0' + '1'.repeat(100), stats } })), 'message.end.value: 101 characters, more than 100');
  });

  test('call ids only grow across messages, so no call is answered twice', () => {
    const inbox = new SandboxInbox(limits);
    accepted(out({ calls: [{ callId: 1, name: 'a', input: '0{}' }, { callId: 2, name: 'a', input: '0{}' }] }), inbox);
    assert.equal(problem(out({ calls: [{ callId: 2, name: 'a', input: '0{}' }] }), inbox), 'message.calls: call id 2 came after 2');
  });

  test('model text arrives as a string whatever the harness sent, cut at its cap', () => {
    const error = { kind: 'runtime', name: { toString: 'x' }, message: 5, stack: 'S'.repeat(500), hint: ['a', ['b']] };
    const checked = accepted(out({ logs: [{ level: 'log', text: { deep: [] } }], end: { ok: false, error, stats } }));
    assert.ok(checked.type === 'out' && checked.end && !checked.end.ok);
    assert.deepEqual(checked.logs, [{ level: 'log', text: '[object]' }]);
    assert.deepEqual(checked.end.error, { kind: 'runtime', name: '[object]', message: '5', stack: 'S'.repeat(99) + '…', hint: '[object]' });
    const named = accepted(out({ end: { ok: false, error: { kind: 'runtime', name: 'N'.repeat(300), message: 'm' }, stats } }));
    assert.ok(named.type === 'out' && named.end && !named.end.ok);
    assert.equal(named.end.error.name, 'N'.repeat(255) + '…');
  });

  test('console output past the run budget is cut on the host with one marker, then dropped', () => {
    const inbox = new SandboxInbox(limits);
    // Each entry costs its length plus one; the allowance covers the harness's own marker line.
    const line = { level: 'log', text: 'x'.repeat(59) };
    const first = accepted(out({ logs: [line, line] }), inbox);
    assert.ok(first.type === 'out');
    assert.deepEqual(first.logs.map((entry) => entry.text.length), [59, 59]);
    const second = accepted(out({ logs: [line, { level: 'log', text: '' }] }), inbox);
    assert.ok(second.type === 'out');
    assert.deepEqual(second.logs, [{ level: 'warn', text: logLimitText(50) }]);
    const third = accepted(out({ logs: [{ level: 'log', text: '' }] }), inbox);
    assert.deepEqual(third.type === 'out' && third.logs, []);
  });
});
