// fs.readFile, fs.readDir and fs.stat: the tools that only look. Each resolves the model's path for
// reading, opens what was checked through handle.ts, and never follows a name that was not verified.
import { opendir } from 'node:fs/promises';
import { ToolError, defineTool, type ToolDefinition } from '../shared/public-api.js';
import { asBuffer, checkSignal, locate, openParent, virtualPath, type FsContext } from './context.js';
import { codeError, fromOsError, specialFile, tooLargeToRead } from './errors.js';
import { READ_FLAGS, lstatChild, openDir, openFile } from './handle.js';
import { resolveTarget } from './resolve.js';
import type { FileHandle } from 'node:fs/promises';
import { formatBytes } from '../shared/text.js';

/** Reads a whole verified file, refusing it as soon as it passes `max` bytes (it may grow while read). */
export async function readCapped(handle: FileHandle, max: number, shown: string, signal: AbortSignal, limit?: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const buffer = Buffer.allocUnsafe(Math.min(max + 1, 1 << 20));
  for (;;) {
    checkSignal(signal);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    total += bytesRead;
    if (total > max) throw tooLargeToRead(shown, total, max, limit);
    chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
  }
}


/** A whole file on disk (under a root or a directory mount), refused past `max` bytes (the `limit`, for the message). */
export async function readDiskFile(fs: FsContext, path: string, max: number, signal: AbortSignal, directoryHint = 'Use fs.readDir to list a directory.', limit?: string): Promise<Buffer> {
  const target = await resolveTarget(fs.roots, path, { access: 'read', follow: true });
  if (!target.exists) throw codeError('ENOENT', path);
  const { handle, stats } = await openFile(target.real, target.real, READ_FLAGS, path, directoryHint);
  try {
    if (stats.size > max) throw tooLargeToRead(path, stats.size, max, limit);
    return await readCapped(handle, max, path, signal, limit);
  } catch (error) {
    throw fromOsError(error, path);
  } finally {
    await handle.close();
  }
}

export function readFileTool(fs: FsContext): ToolDefinition {
  return defineTool({
    name: 'readFile',
    description: `Read a file: its text (UTF-8), or its bytes as base64 with encoding 'base64'. Files over ${formatBytes(fs.limits.maxReadBytes)} are refused.`,
    input: fs.schemas.readFileInput,
    output: fs.schemas.readFileOutput,
    async run({ path, encoding = 'utf8' }, context) {
      const place = locate(fs, path, 'read');
      const max = fs.limits.maxReadBytes;
      const bytes = place.kind === 'virtual' ? asBuffer(await place.dir.read(virtualPath(place, path), context, max)) : await readDiskFile(fs, path, max, context.signal);
      return bytes.toString(encoding);
    },
  });
}

export function readDirTool(fs: FsContext): ToolDefinition {
  return defineTool({
    name: 'readDir',
    description: `List a directory: names and types of its entries, at most ${fs.limits.maxDirEntries}.`,
    input: fs.schemas.readDirInput,
    output: fs.schemas.readDirOutput,
    async run({ path }, context) {
      const { signal } = context;
      const place = locate(fs, path, 'read');
      if (place.kind === 'virtual') return place.dir.list(virtualPath(place, path), context, fs.limits.maxDirEntries);
      const target = await resolveTarget(fs.roots, path, { access: 'read', follow: true });
      if (!target.exists) throw codeError('ENOENT', path);
      const dir = await openDir(target.real, path);
      const entries: { name: string; type: 'file' | 'directory' | 'symlink' | 'other' }[] = [];
      let truncated = false;
      try {
        // Listing through the verified descriptor's path reads the directory that was checked, even if
        // its name has been swapped for a link since.
        const listing = await opendir(dir.path, { bufferSize: 64 });
        try {
          for await (const entry of listing) {
            checkSignal(signal);
            if (entries.length === fs.limits.maxDirEntries) {
              truncated = true;
              break;
            }
            const type = entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : entry.isSymbolicLink() ? 'symlink' : 'other';
            entries.push({ name: entry.name, type });
          }
        } finally {
          // A `break` out of for-await closes the Dir already; closing twice throws, so ignore that.
          await listing.close().catch(() => undefined);
        }
      } catch (error) {
        throw fromOsError(error, path);
      } finally {
        await dir.close();
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return { entries, truncated };
    },
  });
}

export function statTool(fs: FsContext): ToolDefinition {
  return defineTool({
    name: 'stat',
    description: 'Type, size and modification time of a file or directory; null if nothing exists there.',
    input: fs.schemas.statInput,
    output: fs.schemas.statOutput,
    async run({ path }, context) {
      const place = locate(fs, path, 'read');
      if (place.kind === 'virtual') {
        const stats = await place.dir.stat(virtualPath(place, path), context);
        return stats && { type: stats.type, size: stats.size, modifiedAt: stats.modifiedAt.toISOString(), writable: place.dir.writable };
      }
      const target = await resolveTarget(fs.roots, path, { access: 'read', follow: true });
      if (!target.exists) return null;
      let stats;
      if (target.real === '/') {
        const dir = await openDir('/', path);
        stats = await dir.handle.stat().finally(() => dir.close());
      } else {
        // lstat by name inside the verified parent: the checked path has no links left in it, so a link
        // here means it was swapped after the check.
        const { dir, name } = await openParent(target, '');
        try {
          stats = await lstatChild(dir, name, path);
        } finally {
          await dir.close();
        }
        if (stats === undefined) return null;
        if (stats.isSymbolicLink()) throw codeError('ELOOP', path);
      }
      if (!stats.isFile() && !stats.isDirectory()) throw specialFile(path);
      return {
        type: stats.isFile() ? 'file' : 'directory',
        size: stats.size,
        modifiedAt: stats.mtime.toISOString(),
        // A file with other hard links is read-only wherever it sits (the write tools refuse it).
        writable: target.writable && !(stats.isFile() && stats.nlink > 1),
      } as const;
    },
  });
}
