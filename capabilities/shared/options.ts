// Checks for capability constructor options. A bad option is the caller's mistake, so these throw
// CodemodeError('INVALID_OPTION') at construction; they must never be used for what model code sends.
// The message form is the package's ("expected `x` to be …, got …"), but the rules are the capabilities'
// own: they may use only the public API, and the package's table of limits (src/limits/) is internal.
import { CodemodeError, describeValue } from './public-api.js';

/** Throws the package's option error: "<capability>: expected `<name>` to be <expected>, got <value>". */
export function invalidOption(where: string, name: string, expected: string, got: unknown): never {
  throw new CodemodeError('INVALID_OPTION', `${where}: expected \`${name}\` to be ${expected}, got ${describeValue(got)}`);
}

/** The longest delay node's timers accept; a longer time limit would fire at once (or throw). */
export const MAX_TIMER_MS = 2_147_483_647;

/** Reads an optional positive integer option, falling back to its documented default. */
export function positiveInteger(where: string, name: string, value: unknown, fallback: number, max?: { max: number; unit: string }): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || (max !== undefined && value > max.max)) {
    invalidOption(where, name, max === undefined ? 'a positive integer' : `an integer from 1 to ${max.max} (${max.unit})`, value);
  }
  return value;
}

/** Rejects option objects that are not plain objects, so a typo'd call fails at startup. */
export function optionsObject(where: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalidOption(where, 'options', 'an object', value);
  return value as Record<string, unknown>;
}

/** Rejects keys the options type does not know, naming them, so `alowedPaths` does not silently allow nothing. */
export function knownKeys(where: string, options: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new CodemodeError('INVALID_OPTION', `${where}: unknown option \`${key}\`; expected one of ${known.map((k) => `\`${k}\``).join(', ')}`);
    }
  }
}
