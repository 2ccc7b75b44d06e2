// The host end of the bridge: every message from a sandbox process is checked here against the protocol's
// shape (protocol.ts) before anything reads it. What runs in the sandbox process is trusted no more than
// the model code beside it: model code can replace any built-in the harness uses, so a message may carry
// any type in any field, any size the IPC channel allows, and claims the harness never makes.
//
// Fields the protocol itself produces (ids, names, encoded values, counts) must match exactly: a mismatch
// breaks the protocol and ends the run as `crashed`. Text the model can influence (log lines, an error's
// name, message, stack and hint) is coerced to a string and cut at its cap instead, so the model reads a
// string whatever it did to `String` or `Array.prototype.join` inside the isolate. Straight-line checks:
// this sits on the path of every host call.
import { logLimitText, sandboxToHost, type SandboxLimits, type SandboxToHost } from './protocol.js';
import type { Cap, Optional, Shape } from './shape.js';

/** What the inbox needs of the run's limits. */
export type InboxLimits = Pick<SandboxLimits, 'maxValueChars' | 'maxLogChars' | 'maxHostCalls'>;

export type Checked = { ok: true; message: SandboxToHost } | { ok: false; problem: string };

/** Appended to text that was cut at its cap. */
export const CUT_MARK = '…';

class Violation extends Error {}


/**
 * Checks the messages of one run, in order. Besides each message's shape it holds what spans messages: call
 * ids only grow (no call is answered twice), the calls of a run stay within `maxHostCalls`, and the console
 * output stays within `maxLogChars`, every entry costing its length plus one.
 */
export class SandboxInbox {
  private lastCallId = 0;
  private logChars = 0;
  private logsCut = false;

  constructor(private readonly limits: InboxLimits) {}

  check(message: unknown): Checked {
    let checked: SandboxToHost;
    try {
      checked = conform(sandboxToHost, message, this.limits, 'message') as SandboxToHost;
      if (checked.type === 'out') {
        for (const call of checked.calls) {
          if (call.callId <= this.lastCallId) throw new Violation(`message.calls: call id ${call.callId} came after ${this.lastCallId}`);
          this.lastCallId = call.callId;
        }
        checked.logs = this.budget(checked.logs);
      }
    } catch (error) {
      if (error instanceof Violation) return { ok: false, problem: error.message };
      throw error;
    }
    return { ok: true, message: checked };
  }

  /** The entries that fit the run's console budget; past it, one marker and nothing more. */
  private budget(logs: Extract<SandboxToHost, { type: 'out' }>['logs']): typeof logs {
    if (this.logsCut) return [];
    const { maxLogChars } = this.limits;
    // The harness's own marker (one entry once it cut) fits this allowance.
    const limit = maxLogChars + logLimitText(maxLogChars).length + 1;
    for (let i = 0; i < logs.length; i++) {
      const entry = logs[i]!;
      const cost = entry.text.length + 1;
      if (this.logChars + cost <= limit) {
        this.logChars += cost;
        continue;
      }
      this.logsCut = true;
      return [...logs.slice(0, i), { level: 'warn', text: logLimitText(maxLogChars) }];
    }
    return logs;
  }
}

/** Checks data against a shape (strings and caps as for messages): the conformed copy, or what is wrong with it. */
export function checkShape(shape: Shape, value: unknown, limits: InboxLimits, path: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: conform(shape, value, limits, path) };
  } catch (error) {
    if (error instanceof Violation) return { ok: false, problem: error.message };
    throw error;
  }
}

function capOf(cap: Cap, limits: InboxLimits): number {
  if (typeof cap === 'number') return cap;
  if (typeof cap === 'string') return limits[cap];
  return limits[cap.limit] + cap.plus;
}

/** Checks `value` against `shape`; returns it with model text coerced and cut, or throws a Violation. */
function conform(shape: Shape, value: unknown, limits: InboxLimits, path: string): unknown {
  switch (shape.kind) {
    case 'literal':
      if (value !== shape.value) throw new Violation(`${path}: expected ${JSON.stringify(shape.value)}, got ${describe(value)}`);
      return value;
    case 'string': {
      if (typeof value !== 'string') throw new Violation(`${path}: expected a string, got ${describe(value)}`);
      const max = capOf(shape.max, limits);
      if (value.length > max) throw new Violation(`${path}: ${value.length} characters, more than ${max}`);
      return value;
    }
    case 'text':
      return cutText(asText(value), capOf(shape.max, limits));
    case 'int': {
      const max = capOf(shape.max, limits);
      if (typeof value !== 'number' || !Number.isInteger(value) || value < shape.min || value > max) {
        throw new Violation(`${path}: expected an integer from ${shape.min} to ${max}, got ${describe(value)}`);
      }
      return value;
    }
    case 'amount':
      if (typeof value !== 'number' || !(value >= 0) || value === Infinity) throw new Violation(`${path}: expected a finite number ≥ 0, got ${describe(value)}`);
      return value;
    case 'oneOf':
      if (typeof value !== 'string' || !shape.values.includes(value)) throw new Violation(`${path}: expected one of ${shape.values.join(', ')}, got ${describe(value)}`);
      return value;
    case 'list': {
      if (!Array.isArray(value)) throw new Violation(`${path}: expected an array, got ${describe(value)}`);
      const max = capOf(shape.max, limits);
      if (value.length > max) throw new Violation(`${path}: ${value.length} items, more than ${max}`);
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = conform(shape.item, value[i], limits, `${path}[${i}]`);
      return out;
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Violation(`${path}: expected an object, got ${describe(value)}`);
      // A fresh object with only the protocol's fields: nothing else the sender attached travels on.
      const out: Record<string, unknown> = {};
      for (const key in shape.fields) {
        const field = shape.fields[key]!;
        const item = Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
        if (field.kind === 'optional') {
          if (item !== undefined) out[key] = conform((field as Optional).shape, item, limits, `${path}.${key}`);
        } else {
          out[key] = conform(field, item, limits, `${path}.${key}`);
        }
      }
      return out;
    }
    case 'union': {
      if (typeof value !== 'object' || value === null) throw new Violation(`${path}: expected an object, got ${describe(value)}`);
      const tag = (value as Record<string, unknown>)[shape.key];
      const option = shape.options.find((candidate) => (candidate.fields[shape.key] as { value?: unknown }).value === tag);
      if (!option) throw new Violation(`${path}.${shape.key}: unexpected ${describe(tag)}`);
      return conform(option, value, limits, path);
    }
  }
}

/**
 * Model text as a string. Anything but a string means the harness was subverted; the host shows what type
 * arrived rather than calling a conversion that the data could turn against it (a deep array's toString).
 */
function asText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return String(value);
    default:
      return value === null ? 'null' : `[${typeof value}]`;
  }
}

/** `text` at most `max` characters long; a cut one ends with {@link CUT_MARK}. */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - CUT_MARK.length)) + CUT_MARK;
}

/** A short, safe description of a bad value for a protocol problem (never the value itself at length). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return `a string of ${value.length} characters`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    default:
      return typeof value;
  }
}
