// Checks both stores run before touching anything, and the errors both throw, so FileStorage and
// RedisStorage refuse the same inputs with the same codes and words.
import { CodemodeError, describeValue } from '../errors.js';
import {
  DEFAULT_MAX_ENTRIES,
  DEFAULT_MAX_ENTRY_BYTES,
  MAX_META_CHARS,
  MAX_NAME_LENGTH,
  NAMESPACES,
  type Namespace,
  type PutOptions,
  type StorageLimits,
} from './storage.js';

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: nothing a name should hold, and
// what could forge lines in a listing or a log.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A name is 1 to 200 characters of well-formed text without control characters or `\`. `/` separates
 * segments (`reports/2024.csv`); no segment may be empty, `.` or `..`. So no name can address a path outside
 * its namespace, whatever a store does with it.
 */
export function checkName(name: unknown, what = 'name'): string {
  const fail = (expected: string): never => {
    throw new CodemodeError('INVALID_NAME', `expected ${what} to be ${expected}, got ${describeValue(name)}`);
  };
  if (typeof name !== 'string') return fail('a string');
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return fail(`1 to ${MAX_NAME_LENGTH} characters`);
  if (LONE_SURROGATE.test(name)) return fail('well-formed text (no lone surrogates)');
  if (CONTROL.test(name)) return fail('free of control characters');
  if (name.includes('\\')) return fail('free of "\\"');
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      return fail('"/"-separated segments that are not empty, "." or ".."');
    }
  }
  return name;
}

export function checkNamespace(namespace: unknown): Namespace {
  if (!(NAMESPACES as readonly unknown[]).includes(namespace)) {
    throw new CodemodeError('INVALID_NAME', `expected a namespace (${NAMESPACES.join(', ')}), got ${describeValue(namespace)}`);
  }
  return namespace as Namespace;
}

export interface ResolvedLimits {
  readonly maxEntryBytes: number;
  readonly maxEntries: number;
}

/** The caps of a store's options, defaults filled in; a bad value throws `INVALID_OPTION`. */
export function resolveLimits(where: string, options: StorageLimits): ResolvedLimits {
  return {
    maxEntryBytes: positive(where, 'maxEntryBytes', options.maxEntryBytes, DEFAULT_MAX_ENTRY_BYTES),
    maxEntries: positive(where, 'maxEntries', options.maxEntries, DEFAULT_MAX_ENTRIES),
  };
}

function positive(where: string, key: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new CodemodeError('INVALID_OPTION', `${where}: expected \`${key}\` to be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

/** Rejects an options object with keys the store does not know, so a typo fails at construction. */
export function knownOptions(where: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new CodemodeError('INVALID_OPTION', `${where}: expected options to be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new CodemodeError('INVALID_OPTION', `${where}: unknown option \`${key}\`; expected one of ${known.map((k) => `\`${k}\``).join(', ')}`);
    }
  }
  return options as Record<string, unknown>;
}

export interface CheckedPut {
  readonly data: Uint8Array;
  /** The meta as stored: JSON of an object of strings. */
  readonly metaJson: string;
  readonly ifVersion: number | null | undefined;
}

/** Checks a save's data and options against the caps, before anything is written. */
export function checkPut(namespace: Namespace, name: string, data: unknown, options: PutOptions | undefined, limits: ResolvedLimits): CheckedPut {
  if (!(data instanceof Uint8Array)) {
    throw new CodemodeError('INVALID_DATA', `expected the data of ${namespace} "${name}" to be a Uint8Array, got ${describeValue(data)}`);
  }
  if (data.byteLength > limits.maxEntryBytes) {
    throw new CodemodeError('TOO_LARGE', `${namespace} "${name}" is ${data.byteLength} bytes; the limit is ${limits.maxEntryBytes} bytes (maxEntryBytes)`);
  }
  const meta = options?.meta ?? {};
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta) || Object.values(meta).some((value) => typeof value !== 'string')) {
    throw new CodemodeError('INVALID_DATA', `expected \`meta\` to be an object of strings, got ${describeValue(meta)}`);
  }
  const metaJson = JSON.stringify(Object.fromEntries(Object.entries(meta)));
  if (metaJson.length > MAX_META_CHARS) {
    throw new CodemodeError('TOO_LARGE', `the meta of ${namespace} "${name}" is ${metaJson.length} characters as JSON; the limit is ${MAX_META_CHARS}`);
  }
  return { data, metaJson, ifVersion: checkIfVersion(options?.ifVersion, true) };
}

export function checkIfVersion(value: unknown, nullable: boolean): number | null | undefined {
  if (value === undefined || (nullable && value === null)) return value;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new CodemodeError('INVALID_DATA', `expected \`ifVersion\` to be a version (a positive integer)${nullable ? ' or null' : ''}, got ${describeValue(value)}`);
  }
  return value;
}

/** The refusal of a save or delete whose `ifVersion` no longer holds; `current` is 0 when nothing is there. */
export function conflict(namespace: Namespace, name: string, expected: number | null, current: number): CodemodeError {
  const wanted = expected === null ? 'no entry' : `version ${expected}`;
  const found = current === 0 ? 'none is there' : `it is at version ${current}`;
  return new CodemodeError('VERSION_CONFLICT', `${namespace} "${name}" changed: expected ${wanted}, but ${found} (someone else saved or deleted it); read it again and retry`);
}

export function full(namespace: Namespace, name: string, count: number, limit: number): CodemodeError {
  return new CodemodeError('STORAGE_FULL', `cannot add ${namespace} "${name}": the namespace holds ${count} entries, the limit (maxEntries) is ${limit}; delete some first`);
}

export function closed(location: string): CodemodeError {
  return new CodemodeError('STORAGE_CLOSED', `the storage at ${location} is closed`);
}

/** Longest `status` word of a journal. */
const MAX_STATUS_CHARS = 20;

export interface CheckedAppend {
  readonly lines: string;
  readonly bytes: number;
  readonly at: number;
  readonly ttlMs: number;
  readonly maxBytes: number;
  readonly status: string | undefined;
}

/**
 * Checks an append to a journal before anything is written: the run id is a name, each record is a
 * non-empty line of well-formed text, and the options are in range (`maxBytes` is cut to the store's entry cap).
 */
export function checkAppend(runId: string, records: unknown, options: unknown, limits: ResolvedLimits): CheckedAppend {
  checkName(runId, 'runId');
  if (!Array.isArray(records) || records.length === 0) {
    throw new CodemodeError('INVALID_DATA', `expected the records of journal "${runId}" to be a non-empty array of strings, got ${describeValue(records)}`);
  }
  let bytes = 0;
  for (const record of records) {
    if (typeof record !== 'string' || record.length === 0 || record.includes('\n') || record.includes('\r') || LONE_SURROGATE.test(record)) {
      throw new CodemodeError('INVALID_DATA', `expected each record of journal "${runId}" to be one non-empty line of well-formed text, got ${describeValue(record)}`);
    }
    bytes += Buffer.byteLength(record, 'utf8') + 1;
  }
  const o = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  const count = (key: string, min: number, max: number): number => {
    const value = o[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new CodemodeError('INVALID_DATA', `expected \`${key}\` to be an integer from ${min} to ${max}, got ${describeValue(value)}`);
    }
    return value;
  };
  const at = count('at', 0, Number.MAX_SAFE_INTEGER);
  const ttlMs = count('ttlMs', 1, Number.MAX_SAFE_INTEGER);
  // A journal is capped by the store's entry cap too.
  const maxBytes = Math.min(count('maxBytes', 1, Number.MAX_SAFE_INTEGER), limits.maxEntryBytes);
  const status = o.status;
  if (status !== undefined && (typeof status !== 'string' || !new RegExp(`^[a-z]{1,${MAX_STATUS_CHARS}}$`).test(status))) {
    throw new CodemodeError('INVALID_DATA', `expected \`status\` to be 1 to ${MAX_STATUS_CHARS} lowercase letters, got ${describeValue(status)}`);
  }
  return { lines: records.join('\n') + '\n', bytes, at, ttlMs, maxBytes, status: status as string | undefined };
}

/** The refusal of an append that would take a journal past its cap. */
export function journalTooLarge(runId: string, bytes: number, maxBytes: number): CodemodeError {
  return new CodemodeError('TOO_LARGE', `journal "${runId}" would be ${bytes} bytes; its limit is ${maxBytes} bytes`);
}

/** The refusal of an append whose `at` no longer holds: another writer has the run. */
export function journalConflict(runId: string, at: number, current: number): CodemodeError {
  return new CodemodeError('VERSION_CONFLICT', `journal "${runId}" changed: expected ${at} records, but it holds ${current} (another process is running this run)`);
}

/** A journal's info as stored, checked (stores can be shared and stale): undefined when it is not one. */
export function parseJournalInfo(value: unknown): import('./storage.js').JournalInfo | undefined {
  const i = value as Record<string, unknown>;
  if (typeof i !== 'object' || i === null) return undefined;
  const { runId, records, bytes, createdAt, updatedAt, expiresAt, status } = i;
  if (typeof runId !== 'string' || runId.length > MAX_NAME_LENGTH || !Number.isSafeInteger(records) || (records as number) < 0 || !Number.isSafeInteger(bytes) || (bytes as number) < 0) return undefined;
  if (![createdAt, updatedAt, expiresAt].every((time) => typeof time === 'string' && time.length <= 40 && !Number.isNaN(Date.parse(time)))) return undefined;
  if (typeof status !== 'string' || status.length > MAX_STATUS_CHARS) return undefined;
  return { runId, records: records as number, bytes: bytes as number, createdAt: createdAt as string, updatedAt: updatedAt as string, expiresAt: expiresAt as string, status };
}
