// Checks for capability constructor options. A bad option is the caller's mistake, so these throw
// CodemodeError('INVALID_OPTION') at construction; they must never be used for what model code sends.
import { CodemodeError, describeValue } from './public-api.js';

/** Throws the package's option error: "<capability>: expected `<name>` to be <expected>, got <value>". */
export function invalidOption(where: string, name: string, expected: string, got: unknown): never {
  throw new CodemodeError('INVALID_OPTION', `${where}: expected \`${name}\` to be ${expected}, got ${describeValue(got)}`);
}

/** Reads an optional positive integer option, falling back to its documented default. */
export function positiveInteger(where: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    invalidOption(where, name, 'a positive integer', value);
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
