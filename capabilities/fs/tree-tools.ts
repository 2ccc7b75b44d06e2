// fs.remove, fs.move and fs.copy: the tools that act on names. Both ends of a move or copy are checked;
// a root, or a path holding a root, is never removed or replaced. Recursive removal walks by descriptor,
// so a directory swapped for a link mid-walk is never followed out of the roots.
import { opendir, rename, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError, defineTool, type ToolContext, type ToolDefinition } from '../shared/public-api.js';
import { asBuffer, checkSignal, locate, openParent, virtualPath, writableDir, writeVirtual, type FsContext } from './context.js';
import type { Place } from './mounts.js';
import { codeError, fromOsError, quote } from './errors.js';
import { READ_FLAGS, lstatChild, openChildDir, openFile, openForWriting, type Dir } from './handle.js';
import { resolveTarget, type Target } from './resolve.js';
import type { Roots } from './roots.js';
import { readDiskFile } from './read-tools.js';
import { writeDiskFile } from './write-tools.js';
import { formatBytes } from '../shared/text.js';

const MKDIR_HINT = 'Create the directory first with fs.mkdir({ path, recursive: true }).';

function refuseRoot(target: Target, roots: Roots, verb: string): void {
  if (roots.holdsRoot(target.real)) {
    throw new ToolError('denied', `${quote(target.shown)} is or holds ${roots.virtual ? 'a mount' : 'an allowed root'}, which cannot be ${verb}`);
  }
}

export function removeTool(fs: FsContext): ToolDefinition {
  return defineTool({
    name: 'remove',
    description: `Remove a file or link under a writable ${fs.roots.words.word}; a directory only with recursive: true (with its contents).`,
    input: fs.schemas.removeInput,
    output: fs.schemas.removeOutput,
    async run({ path, recursive = false }, context) {
      const { signal } = context;
      const place = locate(fs, path, 'write');
      if (place.kind === 'virtual') return { removed: await writableDir(fs, place, path).remove(virtualPath(place, path), recursive, context) };
      const target = await resolveTarget(fs.roots, path, { access: 'write', follow: false });
      if (!target.exists) throw codeError('ENOENT', path);
      refuseRoot(target, fs.roots, 'removed');
      const { dir, name } = await openParent(target, '');
      try {
        const stats = await lstatChild(dir, name, path);
        if (stats === undefined) throw codeError('ENOENT', path);
        if (!stats.isDirectory()) {
          await unlink(join(dir.path, name)).catch((error: unknown) => {
            throw fromOsError(error, path);
          });
          return { removed: 1 };
        }
        if (!recursive) throw new ToolError('host', `${quote(path)} is a directory`, { hint: 'Pass recursive: true to remove it and its contents.' });
        return { removed: await removeTree(dir, name, path, signal) };
      } finally {
        await dir.close();
      }
    },
  });
}

/** Removes directory `name` inside verified `parent` and everything below it; returns the entries removed. */
async function removeTree(parent: Dir, name: string, shown: string, signal: AbortSignal): Promise<number> {
  checkSignal(signal);
  // O_NOFOLLOW|O_DIRECTORY: if the directory became a link since it was listed, this fails instead of
  // walking into wherever the link points.
  const dir = await openChildDir(parent, name, shown);
  let removed = 0;
  try {
    const names: string[] = [];
    for await (const entry of await opendir(dir.path)) names.push(entry.name);
    for (const child of names) {
      checkSignal(signal);
      const stats = await lstatChild(dir, child, shown);
      if (stats === undefined) continue;
      if (stats.isDirectory()) removed += await removeTree(dir, child, shown, signal);
      else {
        await unlink(join(dir.path, child));
        removed += 1;
      }
    }
  } catch (error) {
    throw fromOsError(error, shown);
  } finally {
    await dir.close();
  }
  await rmdir(join(parent.path, name)).catch((error: unknown) => {
    throw fromOsError(error, shown);
  });
  return removed + 1;
}

export function moveTool(fs: FsContext): ToolDefinition {
  return defineTool({
    name: 'move',
    description: fs.mounts ? 'Move or rename a file or directory within one writable mount.' : 'Move or rename a file or directory; both paths must be under writable roots.',
    input: fs.schemas.moveInput,
    output: fs.schemas.moveOutput,
    async run({ from, to, overwrite = false }, context) {
      const here = locate(fs, from, 'write');
      const there = locate(fs, to, 'write');
      const across = () => new ToolError('host', `${quote(from)} cannot be moved to another mount`, { hint: 'Use fs.copy, then fs.remove.' });
      if (here.kind === 'virtual' || there.kind === 'virtual') {
        if (here.kind === 'virtual') writableDir(fs, here, from);
        if (there.kind === 'virtual') writableDir(fs, there, to);
        if (here.kind !== 'virtual' || there.kind !== 'virtual' || here.mount !== there.mount) throw across();
        return { overwritten: await writableDir(fs, here, from).rename(virtualPath(here, from), virtualPath(there, to), overwrite, context) };
      }
      const source = await resolveTarget(fs.roots, from, { access: 'write', follow: false });
      const dest = await resolveTarget(fs.roots, to, { access: 'write', follow: false });
      // Two directory mounts may share a filesystem, but a move stays within one mount, as the description says.
      if (here.mount !== there.mount) throw across();
      if (!source.exists) throw codeError('ENOENT', from);
      refuseRoot(source, fs.roots, 'moved');
      refuseRoot(dest, fs.roots, 'replaced');
      const src = await openParent(source, '');
      try {
        const dst = await openParent(dest, MKDIR_HINT);
        try {
          if ((await lstatChild(src.dir, src.name, from)) === undefined) throw codeError('ENOENT', from);
          const existing = await lstatChild(dst.dir, dst.name, to);
          if (existing !== undefined && !overwrite) throw codeError('EEXIST', to, 'Pass overwrite: true to replace it.');
          if (existing?.isDirectory()) throw codeError('EISDIR', to, 'Remove it first with fs.remove({ path, recursive: true }).');
          await rename(join(src.dir.path, src.name), join(dst.dir.path, dst.name)).catch((error: unknown) => {
            throw fromOsError(error, from);
          });
          return { overwritten: existing !== undefined };
        } finally {
          await dst.dir.close();
        }
      } finally {
        await src.dir.close();
      }
    },
  });
}

export function copyTool(fs: FsContext): ToolDefinition {
  return defineTool({
    name: 'copy',
    description: `Copy a file (not a directory) to a path under a writable ${fs.roots.words.word}. At most ${formatBytes(fs.limits.maxWriteBytes)}.`,
    input: fs.schemas.copyInput,
    output: fs.schemas.copyOutput,
    async run({ from, to, overwrite = false }, context) {
      const { signal } = context;
      const here = locate(fs, from, 'read');
      const there = locate(fs, to, 'write');
      if (here.kind === 'virtual' || there.kind === 'virtual') return { bytesCopied: await copyAcross(fs, { here, from }, { there, to }, overwrite, context) };
      const source = await resolveTarget(fs.roots, from, { access: 'read', follow: true });
      const dest = await resolveTarget(fs.roots, to, { access: 'write', follow: true });
      if (!source.exists) throw codeError('ENOENT', from);
      if (source.real === dest.real) throw new ToolError('host', `${quote(from)} and ${quote(to)} are the same file`);
      if (dest.exists && !overwrite) throw codeError('EEXIST', to, 'Pass overwrite: true to replace it.');
      const dirHint = 'fs.copy copies one file; list the directory with fs.readDir and copy each file.';
      const input = await openFile(source.real, source.real, READ_FLAGS, from, dirHint);
      try {
        if (input.stats.size > fs.limits.maxWriteBytes) {
          throw new ToolError('host', `${quote(from)} is ${input.stats.size} bytes; the copy limit is ${fs.limits.maxWriteBytes} bytes`);
        }
        fs.quota.checkBytes(signal, input.stats.size, quote(to));
        const { dir, name } = await openParent(dest, MKDIR_HINT);
        try {
          const reserveCreate = () => fs.quota.chargeFile(signal, quote(to));
          const dirHint = 'The destination is a directory; name the new file.';
          // Without overwrite the destination is only ever created (exclusive, O_EXCL): a file that appears
          // after the check above is still never replaced.
          const output = await openForWriting({ dir, name }, dest.real, to, { append: false, exists: dest.exists, exclusive: !overwrite, reserveCreate, directoryHint: dirHint });
          try {
            await output.handle.truncate(0);
            const charge = (bytes: number) => fs.quota.chargeBytes(signal, bytes, quote(to));
            return { bytesCopied: await pump(input.handle, output.handle, fs.limits.maxWriteBytes, from, signal, charge) };
          } catch (error) {
            throw fromOsError(error, to);
          } finally {
            await output.handle.close();
          }
        } finally {
          await dir.close();
        }
      } finally {
        await input.handle.close();
      }
    },
  });
}

/** Copies between two verified handles in chunks, stopping at the limit (the source may grow meanwhile). */
async function pump(
  input: FileHandle,
  output: FileHandle,
  max: number,
  shown: string,
  signal: AbortSignal,
  charge: (bytes: number) => void,
): Promise<number> {
  const buffer = Buffer.allocUnsafe(1 << 20);
  let total = 0;
  for (;;) {
    checkSignal(signal);
    const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) return total;
    total += bytesRead;
    if (total > max) throw new ToolError('host', `${quote(shown)} grew past the copy limit of ${max} bytes while being copied`);
    charge(bytesRead);
    await output.write(buffer, 0, bytesRead, null);
  }
}

const COPY_DIR_HINT = 'fs.copy copies one file; list the directory with fs.readDir and copy each file.';

/**
 * A copy with a virtual mount at one end (or both): the file is read whole, within the copy limit, then
 * written as a new file (or over one, with `overwrite`), through the same checks as fs.writeFile.
 */
async function copyAcross(
  fs: FsContext,
  { here, from }: { here: Place; from: string },
  { there, to }: { there: Place; to: string },
  overwrite: boolean,
  context: ToolContext,
): Promise<number> {
  if (there.kind === 'virtual') writableDir(fs, there, to);
  const max = fs.limits.maxWriteBytes;
  // What limits a copy is the write limit, named the copy limit.
  const bytes =
    here.kind === 'virtual' ? await here.dir.read(virtualPath(here, from), context, max, 'copy') : await readDiskFile(fs, from, max, context.signal, COPY_DIR_HINT, 'copy');
  if (there.kind === 'virtual') {
    await writeVirtual(fs, there, to, bytes, { append: false, exclusive: !overwrite, text: true }, context);
  } else {
    await writeDiskFile(fs, to, asBuffer(bytes), context.signal, !overwrite);
  }
  return bytes.length;
}
