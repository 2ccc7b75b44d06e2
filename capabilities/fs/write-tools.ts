// fs.writeFile, fs.appendFile and fs.mkdir: the tools that create or change content. Each resolves the
// path for writing, opens the parent directory verified, and acts on the name through it; a file is
// truncated or written only after the opened handle has been proved to be the checked path.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError, defineTool, type ToolDefinition } from '../shared/public-api.js';
import { budgetOf, checkSignal, checkWriteSize, encodeContent, locate, openParent, virtualPath, writableDir, writeVirtual, type FsContext } from './context.js';
import { codeError, fromOsError, quote } from './errors.js';
import { lstatChild, openChildDir, openDir, openForWriting, type Dir } from './handle.js';
import { resolveTarget, type Target } from './resolve.js';
import { formatBytes } from '../shared/text.js';

const MKDIR_HINT = 'Create the directory first with fs.mkdir({ path, recursive: true }).';
const DIR_HINT = 'The path names a directory; write to a file inside it.';

type OpenedFile = Awaited<ReturnType<typeof openForWriting>>;

/**
 * The one way content reaches a file: size and quota checked, path resolved for writing, parent opened
 * verified, the file opened (or created, counted) through it and proved to be the checked path; then the
 * bytes are charged to the quota and `body` runs; then both handles are closed.
 */
async function throughVerifiedFile<T>(
  fs: FsContext,
  path: string,
  bytes: Uint8Array,
  append: boolean,
  signal: AbortSignal,
  body: (handle: OpenedFile['handle'], stats: OpenedFile['stats']) => Promise<T>,
  exclusive = false,
): Promise<T> {
  checkWriteSize(bytes.length, fs.limits);
  fs.quota.checkBytes(signal, bytes.length, quote(path));
  const target = await resolveTarget(fs.roots, path, { access: 'write', follow: true });
  const { dir, name } = await openParent(target, MKDIR_HINT);
  try {
    const { handle, stats } = await openForWriting({ dir, name }, target.real, path, {
      append,
      exists: target.exists,
      exclusive,
      reserveCreate: () => fs.quota.chargeFile(signal, quote(path)),
      directoryHint: DIR_HINT,
    });
    try {
      return await body(handle, stats);
    } catch (error) {
      throw fromOsError(error, path);
    } finally {
      await handle.close();
    }
  } finally {
    await dir.close();
  }
}

/** Writes a whole file on disk; with `exclusive`, only a new one (an existing file is EEXIST). */
export async function writeDiskFile(fs: FsContext, path: string, bytes: Uint8Array, signal: AbortSignal, exclusive = false): Promise<void> {
  await throughVerifiedFile(
    fs,
    path,
    bytes,
    false,
    signal,
    async (handle) => {
      checkSignal(signal);
      fs.quota.chargeBytes(signal, bytes.length, quote(path));
      await handle.truncate(0);
      await handle.write(bytes, 0, bytes.length, 0);
    },
    exclusive,
  );
}

export function writeFileTool(fs: FsContext): ToolDefinition {
  return defineTool({
    name: 'writeFile',
    description: `Create or replace a file under a writable ${fs.roots.words.word}. At most ${formatBytes(fs.limits.maxWriteBytes)}.`,
    input: fs.schemas.writeFileInput,
    output: fs.schemas.writeFileOutput,
    async run({ path, content, encoding = 'utf8' }, context) {
      const bytes = encodeContent(content, encoding);
      const place = locate(fs, path, 'write');
      if (place.kind === 'virtual') await writeVirtual(fs, place, path, bytes, { append: false, exclusive: false, text: encoding === 'utf8' }, context);
      else await writeDiskFile(fs, path, bytes, context.signal);
      return { bytesWritten: bytes.length };
    },
  });
}

export function appendFileTool(fs: FsContext): ToolDefinition {
  return defineTool({
    name: 'appendFile',
    description: `Append to a file under a writable ${fs.roots.words.word}, creating it if missing. The file may grow to at most ${formatBytes(fs.limits.maxWriteBytes)}.`,
    input: fs.schemas.appendFileInput,
    output: fs.schemas.appendFileOutput,
    async run({ path, content, encoding = 'utf8' }, context) {
      const { signal } = context;
      const bytes = encodeContent(content, encoding);
      const place = locate(fs, path, 'write');
      if (place.kind === 'virtual') {
        const size = await writeVirtual(fs, place, path, bytes, { append: true, exclusive: false, text: encoding === 'utf8' }, context);
        return { bytesWritten: bytes.length, size };
      }
      return throughVerifiedFile(fs, path, bytes, true, signal, async (handle, stats) => {
        const size = stats.size + bytes.length;
        if (size > fs.limits.maxWriteBytes) {
          throw new ToolError('host', `appending ${bytes.length} bytes would grow ${quote(path)} to ${size} bytes; the limit is ${fs.limits.maxWriteBytes}`);
        }
        checkSignal(signal);
        fs.quota.chargeBytes(signal, bytes.length, quote(path));
        await handle.write(bytes, 0, bytes.length, null);
        return { bytesWritten: bytes.length, size: (await handle.stat()).size };
      });
    },
  });
}

export function mkdirTool(fs: FsContext): ToolDefinition {
  return defineTool({
    name: 'mkdir',
    description: `Create a directory under a writable ${fs.roots.words.word}; with recursive, also its missing parents.`,
    input: fs.schemas.mkdirInput,
    output: fs.schemas.mkdirOutput,
    async run({ path, recursive = false }, context) {
      const { signal } = context;
      const place = locate(fs, path, 'write');
      if (place.kind === 'virtual') {
        return { created: await writableDir(fs, place, path).mkdir(virtualPath(place, path), recursive, budgetOf(fs, signal, path), context) };
      }
      const target = await resolveTarget(fs.roots, path, { access: 'write', follow: true });
      if (target.exists) {
        const isDir = await openDir(target.real, path).then(
          (dir) => dir.close().then(() => true),
          () => false,
        );
        if (recursive && isDir) return { created: false };
        throw codeError('EEXIST', path);
      }
      if (target.missing.length > 1 && !recursive) {
        throw new ToolError('host', `the parent directory of ${quote(path)} does not exist`, { hint: 'Pass recursive: true to create missing parents.' });
      }
      await createMissing(fs, target, signal);
      return { created: true };
    },
  });
}

/** Creates each missing component in turn, by name inside the last verified directory, never by path. */
async function createMissing(fs: FsContext, target: Target, signal: AbortSignal): Promise<void> {
  const existing = target.real.split('/').slice(0, -target.missing.length).join('/') || '/';
  let dir: Dir = await openDir(existing, target.shown);
  try {
    for (const name of target.missing) {
      checkSignal(signal);
      const release = fs.quota.chargeFile(signal, quote(target.shown));
      try {
        await mkdir(join(dir.path, name), 0o777);
      } catch (error) {
        release();
        // Something appeared there since the check: go on only if it is a real directory.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !(await lstatChild(dir, name, target.shown))?.isDirectory()) {
          throw fromOsError(error, target.shown);
        }
      }
      const child = await openChildDir(dir, name, target.shown);
      await dir.close();
      dir = child;
    }
  } finally {
    await dir.close();
  }
}
