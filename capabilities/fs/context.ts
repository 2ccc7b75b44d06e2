// What every fs tool shares: the roots, the limits, the write quota, and small helpers for the run's signal, content
// encodings and a target's parent directory. It must never decide access itself (that is resolve.ts).
import { basename, dirname } from 'node:path';
import { ToolError, type ToolContext } from '../shared/public-api.js';
import { quote, readOnly } from './errors.js';
import { openDir, type Dir } from './handle.js';
import type { MountTable, Place } from './mounts.js';
import type { Target } from './resolve.js';
import type { WriteQuota } from './quota.js';
import type { Access, Roots } from './roots.js';
import type { FsSchemas } from './schemas.js';
import type { VirtualDir, VirtualPath, WriteBudget } from './virtual.js';

export interface FsLimits {
  readonly maxReadBytes: number;
  readonly maxWriteBytes: number;
  readonly maxDirEntries: number;
}

export interface FsContext {
  readonly roots: Roots;
  readonly limits: FsLimits;
  /** Bytes written and files created, per run and over the capability's life. */
  readonly quota: WriteQuota;
  /** With `mounts`: where each model path lies. Without, every path is on disk under `roots`. */
  readonly mounts: MountTable | undefined;
  readonly schemas: FsSchemas;
}

/** A place in a virtual mount, as the tools act on it. */
export type VirtualPlace = Extract<Place, { kind: 'virtual' }>;

const DISK: Place = Object.freeze({ kind: 'disk' });

/** Where a model path lies: on disk (resolve.ts decides the rest) or in a virtual mount. */
export function locate(fs: FsContext, path: string, access: Access): Place {
  return fs.mounts ? fs.mounts.locate(path, access) : DISK;
}

export function virtualPath(place: VirtualPlace, shown: string): VirtualPath {
  return { sub: place.sub, shown };
}

/** The virtual directory of a place to write in, refusing a read-only one (as a read-only root is refused). */
export function writableDir(fs: FsContext, place: VirtualPlace, shown: string): Required<VirtualDir> {
  if (!place.dir.writable) throw readOnly(shown, fs.roots);
  return place.dir as Required<VirtualDir>;
}

/** What a virtual mount may charge for one call of one run: the fs write quota, and the write limit. */
export function budgetOf(fs: FsContext, signal: AbortSignal, shown: string): WriteBudget {
  return {
    maxWriteBytes: fs.limits.maxWriteBytes,
    chargeFile: () => fs.quota.chargeFile(signal, quote(shown)),
    chargeBytes: (bytes) => fs.quota.chargeBytes(signal, bytes, quote(shown)),
  };
}

/** Writes (or appends) content to a virtual place: size and quota first, as on disk. Resolves to the size after. */
export function writeVirtual(
  fs: FsContext,
  place: VirtualPlace,
  shown: string,
  bytes: Uint8Array,
  options: { append: boolean; exclusive: boolean; text: boolean },
  context: ToolContext,
): Promise<number> {
  checkWriteSize(bytes.length, fs.limits);
  fs.quota.checkBytes(context.signal, bytes.length, quote(shown));
  const dir = writableDir(fs, place, shown);
  return dir.write(virtualPath(place, shown), bytes, options, budgetOf(fs, context.signal, shown), context);
}

/** Bytes as a Buffer without a copy, for encoding as text or base64. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export type Encoding = 'utf8' | 'base64';

/** Stops long work once the run has ended; nobody is waiting for the result any more. */
export function checkSignal(signal: AbortSignal): void {
  if (signal.aborted) throw new ToolError('host', 'the run ended before the call finished');
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Content as bytes. Base64 is checked strictly: Buffer.from would silently drop what it cannot read. */
export function encodeContent(content: string, encoding: Encoding): Buffer {
  if (encoding === 'utf8') return Buffer.from(content, 'utf8');
  if (!BASE64.test(content)) {
    throw new ToolError('invalid_input', `content is not valid base64 (${content.length} characters)`, {
      hint: 'Use standard base64 with padding, or encoding "utf8" for text.',
    });
  }
  return Buffer.from(content, 'base64');
}

/** Refuses content over the write limit before any file is touched. */
export function checkWriteSize(bytes: number, limits: FsLimits): void {
  if (bytes > limits.maxWriteBytes) {
    throw new ToolError('invalid_input', `content is ${bytes} bytes; the limit is ${limits.maxWriteBytes} bytes`);
  }
}

/** Opens and verifies the directory that holds a target, for acting on the target by name. */
export async function openParent(target: Target, hintIfMissing: string): Promise<{ dir: Dir; name: string }> {
  if (target.missing.length > 1) {
    throw new ToolError('host', `the parent directory of ${quote(target.shown)} does not exist`, { hint: hintIfMissing });
  }
  const name = basename(target.real);
  if (name === '') throw new ToolError('host', `${quote(target.shown)} is the filesystem root`);
  return { dir: await openDir(dirname(target.real), target.shown), name };
}
