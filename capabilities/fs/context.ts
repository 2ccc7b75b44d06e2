// What every fs tool shares: the roots, the limits, the write quota, and small helpers for the run's signal, content
// encodings and a target's parent directory. It must never decide access itself (that is resolve.ts).
import { basename, dirname } from 'node:path';
import { ToolError } from '../shared/public-api.js';
import { quote } from './errors.js';
import { openDir, type Dir } from './handle.js';
import type { Target } from './resolve.js';
import type { WriteQuota } from './quota.js';
import type { Roots } from './roots.js';

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
