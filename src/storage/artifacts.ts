// Artifacts: data that outlives a run, kept in a Storage's `artifacts` namespace. Data is text, any JSON
// value, or bytes, and loads back as the same kind: the kind and content type are saved with the bytes.
import { CodemodeError, describeValue } from '../errors.js';
import type { EntryInfo, Storage } from './storage.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A string is text; a Uint8Array is bytes; anything else must be a JSON value. */
export type ArtifactData = string | Uint8Array | JsonValue;
export type ArtifactKind = 'text' | 'json' | 'bytes';

export interface ArtifactInfo {
  readonly name: string;
  readonly kind: ArtifactKind;
  readonly contentType: string;
  /** Bytes as stored: UTF-8 for text, JSON text for a JSON value. */
  readonly size: number;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Artifact extends ArtifactInfo {
  readonly data: ArtifactData;
  /** The stored bytes, as a file would hold them. */
  readonly bytes: Uint8Array;
}

export interface SaveArtifact {
  readonly name: string;
  readonly data: ArtifactData;
  /** Default: `text/plain; charset=utf-8`, `application/json` or `application/octet-stream` by kind. */
  readonly contentType?: string;
  /** See PutOptions.ifVersion: the version read, or null for "only if new". */
  readonly ifVersion?: number | null;
}

export const DEFAULT_CONTENT_TYPES: Readonly<Record<ArtifactKind, string>> = {
  text: 'text/plain; charset=utf-8',
  json: 'application/json',
  bytes: 'application/octet-stream',
};
const MAX_CONTENT_TYPE_LENGTH = 200;
const CONTENT_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;\s*[\w!#$&^.+-]+=("[^"\\\u0000-\u001f\u007f]*"|[\w!#$&^.+-]+))*$/;
/** Nesting deeper than this is refused instead of risking the host's stack. */
const MAX_JSON_DEPTH = 256;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The artifact store of a Storage: `save`, `load`, `read`, `list`, `delete`. */
export class Artifacts {
  constructor(readonly storage: Storage) {}

  async save(artifact: SaveArtifact): Promise<ArtifactInfo> {
    const { name, data, contentType, ifVersion } = artifact ?? ({} as SaveArtifact);
    const kind: ArtifactKind = typeof data === 'string' ? 'text' : data instanceof Uint8Array ? 'bytes' : 'json';
    if (kind === 'json') checkJson(data, 'data', 0, new Set());
    const type = contentType === undefined ? DEFAULT_CONTENT_TYPES[kind] : checkContentType(contentType);
    const bytes = kind === 'bytes' ? (data as Uint8Array) : new TextEncoder().encode(kind === 'text' ? (data as string) : JSON.stringify(data));
    const info = await this.storage.put('artifacts', name, bytes, { meta: { kind, contentType: type }, ...(ifVersion !== undefined ? { ifVersion } : {}) });
    return toInfo(info);
  }

  /** The data as saved; a missing name throws `NOT_FOUND`. */
  async load({ name }: { readonly name: string }): Promise<ArtifactData> {
    return (await this.read({ name })).data;
  }

  /** The data with its info and stored bytes; a missing name throws `NOT_FOUND`. */
  async read({ name }: { readonly name: string }): Promise<Artifact> {
    const entry = await this.storage.get('artifacts', name);
    if (entry === undefined) throw notFound(name, this.storage.location);
    const info = toInfo(entry);
    return { ...info, data: decode(info, entry.data), bytes: entry.data };
  }

  async list(): Promise<ArtifactInfo[]> {
    return (await this.storage.list('artifacts')).map(toInfo);
  }

  /** Resolves to whether there was an artifact of that name. */
  async delete({ name, ifVersion }: { readonly name: string; readonly ifVersion?: number }): Promise<boolean> {
    return this.storage.delete('artifacts', name, ifVersion !== undefined ? { ifVersion } : {});
  }
}

function toInfo(entry: EntryInfo): ArtifactInfo {
  const kind = (['text', 'json', 'bytes'] as const).find((k) => k === entry.meta.kind) ?? 'bytes';
  return {
    name: entry.name,
    kind,
    contentType: entry.meta.contentType ?? DEFAULT_CONTENT_TYPES[kind],
    size: entry.size,
    version: entry.version,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  };
}

function decode(info: ArtifactInfo, bytes: Uint8Array): ArtifactData {
  if (info.kind === 'bytes') return bytes;
  try {
    const text = decoder.decode(bytes);
    return info.kind === 'text' ? text : (JSON.parse(text) as JsonValue);
  } catch {
    throw new CodemodeError('STORAGE_CORRUPT', `artifact "${info.name}" is saved as ${info.kind} but its bytes are not ${info.kind === 'text' ? 'UTF-8' : 'JSON'}`);
  }
}

export function notFound(name: string, location: string): CodemodeError {
  return new CodemodeError('NOT_FOUND', `no artifact named ${JSON.stringify(name)} in ${location}`);
}

/** A media type such as `text/csv; charset=utf-8`, at most 200 characters (no control characters, no line breaks). */
export function isContentType(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_CONTENT_TYPE_LENGTH && CONTENT_TYPE.test(value);
}

function checkContentType(value: unknown): string {
  if (!isContentType(value)) {
    throw new CodemodeError('INVALID_DATA', `expected contentType to be a media type such as "text/csv" (at most ${MAX_CONTENT_TYPE_LENGTH} characters), got ${describeValue(value)}`);
  }
  return value;
}

/** Only values JSON keeps exactly: a Date, undefined, NaN or a class instance would load back changed. */
function checkJson(value: unknown, path: string, depth: number, ancestors: Set<object>): void {
  const fail = (what: string): never => {
    throw new CodemodeError('INVALID_DATA', `expected artifact data to be text, a JSON value or a Uint8Array, but ${path} is ${what}`);
  };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(String(value));
    return;
  }
  if (typeof value !== 'object') return fail(describeValue(value));
  if (depth >= MAX_JSON_DEPTH) fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (ancestors.has(value)) fail('a reference to itself');
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    fail(value instanceof Date ? 'a Date (save its toISOString())' : value instanceof Uint8Array ? 'a Uint8Array inside JSON (save bytes on their own)' : `an instance of ${value.constructor?.name ?? 'a class'}`);
  }
  ancestors.add(value);
  if (Array.isArray(value)) value.forEach((item, i) => checkJson(item, `${path}[${i}]`, depth + 1, ancestors));
  else for (const [key, item] of Object.entries(value)) checkJson(item, `${path}.${key}`, depth + 1, ancestors);
  ancestors.delete(value);
}
