// The rules an option value must follow, and the one message form for breaking one, used by every front
// (library options, MCP server, HTTP server, CLI flags, CLI config file):
//
//   expected `timeoutMs` to be an integer from 1 to 2147483647 (milliseconds), got `-5` (number)
//
// Pure data and checks: no zod here (the CLI derives its config schema from these rules in ./zod.ts), so
// the executor loads nothing extra. A bad option is the caller's mistake: checks throw CodemodeError.
import { CodemodeError, describeValue } from '../errors.js';

/** A whole number in a closed range, e.g. a time limit in milliseconds. */
export interface IntegerRule {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
  /** Said after the range in messages: "(milliseconds)". */
  readonly unit?: string;
}

/** A limit: an integer rule with the value used when the option is not set. */
export interface Limit extends IntegerRule {
  readonly default: number;
}

export interface TextRule {
  readonly type: 'text';
}

export interface FlagRule {
  readonly type: 'flag';
}

export interface TextListRule {
  readonly type: 'text-list';
}

export interface FunctionRule {
  readonly type: 'function';
}

/** An options object: not null, not an array. */
export interface ObjectRule {
  readonly type: 'object';
}

export type Rule = IntegerRule | TextRule | FlagRule | TextListRule | FunctionRule | ObjectRule;

/** The value type a rule admits. */
export type ValueOf<R extends Rule> = R extends IntegerRule
  ? number
  : R extends TextRule
    ? string
    : R extends FlagRule
      ? boolean
      : R extends TextListRule
        ? string[]
        : R extends FunctionRule
          ? (...args: never[]) => unknown
          : Record<string, unknown>;

/** A non-empty string. An empty one is refused rather than read as "not set" (an empty token must not mean "no token"). */
export const TEXT: TextRule = { type: 'text' };
export const FLAG: FlagRule = { type: 'flag' };
/** An array of non-empty strings (paths, keys, hosts). */
export const TEXT_LIST: TextListRule = { type: 'text-list' };
export const FUNCTION: FunctionRule = { type: 'function' };
export const OBJECT: ObjectRule = { type: 'object' };

/** An integer rule without a default: `range(0, 65_535, 'a TCP port')`. */
export function range(min: number, max: number, unit?: string): IntegerRule {
  return unit === undefined ? { type: 'integer', min, max } : { type: 'integer', min, max, unit };
}

/** A limit row for the table: `limit(1, MAX_TIMER_MS, DEFAULT_TIMEOUT_MS, 'milliseconds')`. */
export function limit(min: number, max: number, fallback: number, unit?: string): Limit {
  return { ...range(min, max, unit), default: fallback };
}

/** The same rule with a lower ceiling, for a range that depends on another option (`minProcesses` ≤ `maxProcesses`). */
export function capped<R extends IntegerRule>(rule: R, max: number): R {
  return { ...rule, max: Math.min(rule.max, max) };
}

/** The rule in words, as it ends "expected `x` to be …". */
export function expectedText(rule: Rule): string {
  switch (rule.type) {
    case 'integer':
      return `an integer from ${rule.min} to ${rule.max}${rule.unit === undefined ? '' : ` (${rule.unit})`}`;
    case 'text':
      return 'a non-empty string';
    case 'flag':
      return 'a boolean';
    case 'text-list':
      return 'an array of non-empty strings';
    case 'function':
      return 'a function';
    case 'object':
      return 'an object';
  }
}

export function accepts<R extends Rule>(rule: R, value: unknown): value is ValueOf<R> {
  switch (rule.type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= rule.min && value <= rule.max;
    case 'text':
      return typeof value === 'string' && value.length > 0;
    case 'flag':
      return typeof value === 'boolean';
    case 'text-list':
      return Array.isArray(value) && value.every((item) => typeof item === 'string' && item.length > 0);
    case 'function':
      return typeof value === 'function';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/** The one message form: "expected `<field>` to be <rule>, got <value>". */
export function violation(field: string, rule: Rule, value: unknown): string {
  return `expected \`${field}\` to be ${expectedText(rule)}, got ${describeValue(value)}`;
}

/**
 * The value if it follows the rule; otherwise throws CodemodeError('INVALID_OPTION'). `where` names the
 * thing being configured when the field alone would be ambiguous ("serveHttp", "FsCapability").
 */
export function checked<R extends Rule>(field: string, rule: R, value: unknown, where?: string): ValueOf<R> {
  if (accepts(rule, value)) return value;
  throw new CodemodeError('INVALID_OPTION', (where === undefined ? '' : `${where}: `) + violation(field, rule, value));
}

/** An optional option: `fallback` when unset (`undefined`), else checked. */
export function optional<R extends Rule>(field: string, rule: R, value: unknown, fallback: ValueOf<R>, where?: string): ValueOf<R> {
  return value === undefined ? fallback : checked(field, rule, value, where);
}

/** Every limit of `table`, each from the first of `layers` that sets it (later layers win), else its default. */
export function resolveTable<T extends Record<string, Limit>>(
  table: T,
  layers: ReadonlyArray<Partial<Record<keyof T, unknown>> | undefined>,
  where?: string,
): { [K in keyof T]: number } {
  const resolved = {} as { [K in keyof T]: number };
  for (const name of Object.keys(table) as Array<keyof T & string>) {
    let value: unknown;
    for (const layer of layers) value = layer?.[name] ?? value;
    resolved[name] = checked(name, table[name]!, value ?? table[name]!.default, where);
  }
  return resolved;
}
