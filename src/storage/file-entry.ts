// The on-disk form of one FileStorage entry: one file, `CMS1`, a 4-byte big-endian header length, the header
// as JSON (the EntryInfo), then the data. One file per entry means one rename makes a save visible whole.
// Files are named by the SHA-256 of the entry name, so no name (whatever its characters or case) is ever
// a path, and case-insensitive filesystems cannot merge two names.
import { createHash, randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CodemodeError } from '../errors.js';
import { TEMP_PREFIX } from './file-lock.js';
import type { Entry, EntryInfo } from './storage.js';

const MAGIC = Buffer.from('CMS1');
const PREFIX_BYTES = MAGIC.length + 4;
/** A header holds a name (≤ 200 characters) and meta (≤ 4096 characters): far below this. */
const MAX_HEADER_BYTES = 64 * 1024;
export const ENTRY_SUFFIX = '.entry';

export function entryFileName(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex') + ENTRY_SUFFIX;
}

export function encodeEntry(info: EntryInfo, data: Uint8Array): Buffer {
  const header = Buffer.from(JSON.stringify(info), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix);
  prefix.writeUInt32BE(header.length, MAGIC.length);
  return Buffer.concat([prefix, header, data]);
}

/** Reads the whole entry at `path`; undefined when there is no such file. */
export async function readEntry(path: string): Promise<Entry | undefined> {
  const handle = await openIfExists(path);
  if (handle === undefined) return undefined;
  try {
    const bytes = await handle.readFile();
    const { info, dataStart } = decodeHeader(path, bytes);
    const data = new Uint8Array(bytes.buffer, bytes.byteOffset + dataStart, bytes.length - dataStart);
    if (data.length !== info.size) corrupt(path, `holds ${data.length} bytes of data, its header says ${info.size}`);
    return { ...info, data };
  } finally {
    await handle.close();
  }
}

/** Reads only the header of the entry at `path` (for listings); undefined when there is no such file. */
export async function readEntryInfo(path: string): Promise<EntryInfo | undefined> {
  const handle = await openIfExists(path);
  if (handle === undefined) return undefined;
  try {
    const prefix = Buffer.alloc(PREFIX_BYTES);
    await handle.read(prefix, 0, PREFIX_BYTES, 0);
    const length = checkPrefix(path, prefix);
    const header = Buffer.alloc(length);
    const { bytesRead } = await handle.read(header, 0, length, PREFIX_BYTES);
    if (bytesRead !== length) corrupt(path, 'ends inside its header');
    return parseHeader(path, header);
  } finally {
    await handle.close();
  }
}

function decodeHeader(path: string, bytes: Buffer): { info: EntryInfo; dataStart: number } {
  const length = checkPrefix(path, bytes.subarray(0, PREFIX_BYTES));
  const dataStart = PREFIX_BYTES + length;
  if (bytes.length < dataStart) corrupt(path, 'ends inside its header');
  return { info: parseHeader(path, bytes.subarray(PREFIX_BYTES, dataStart)), dataStart };
}

function checkPrefix(path: string, prefix: Buffer): number {
  if (prefix.length < PREFIX_BYTES || !prefix.subarray(0, MAGIC.length).equals(MAGIC)) corrupt(path, 'is not a codemode entry');
  const length = prefix.readUInt32BE(MAGIC.length);
  if (length > MAX_HEADER_BYTES) corrupt(path, `has a ${length}-byte header`);
  return length;
}

function parseHeader(path: string, header: Buffer): EntryInfo {
  let info: unknown;
  try {
    info = JSON.parse(header.toString('utf8'));
  } catch {
    corrupt(path, 'has a header that is not JSON');
  }
  const i = info as EntryInfo;
  if (
    typeof i !== 'object' || i === null || typeof i.name !== 'string' || !Number.isSafeInteger(i.version) || !Number.isSafeInteger(i.size) ||
    typeof i.createdAt !== 'string' || typeof i.updatedAt !== 'string' || typeof i.meta !== 'object' || i.meta === null
  ) {
    corrupt(path, 'has a header of the wrong shape');
  }
  return { name: i.name, version: i.version, size: i.size, createdAt: i.createdAt, updatedAt: i.updatedAt, meta: i.meta };
}

async function openIfExists(path: string) {
  try {
    return await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function corrupt(path: string, what: string): never {
  throw new CodemodeError('STORAGE_CORRUPT', `${path} ${what}; it was not written by this version of codemode, or was changed by hand`);
}

/** Writes `bytes` to a temp file, fsyncs it (unless `sync` is false) and renames it to `file`: the file is the old one or all new. */
export async function writeDurably(dir: string, file: string, bytes: Uint8Array, sync = true): Promise<void> {
  const temp = join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    if (sync) await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temp, join(dir, file));
}

/** Makes the renames in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
