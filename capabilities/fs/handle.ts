// Opens what resolve.ts checked, without following a link that appeared since, and proves the opened handle
// is the checked path before anyone reads or writes through it. On Linux the proof is the kernel's own name
// for the descriptor (/proc/self/fd/N); acting on names through a directory's descriptor path
// (/proc/self/fd/N/name) pins every earlier component, which is what openat would give.
// It must never read, write, create or delete through a handle or a name that has not been verified.
import { constants, type Stats } from 'node:fs';
import { lstat, open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError } from '../shared/public-api.js';
import { changed, codeError, fromOsError, hardLinked, quote, specialFile } from './errors.js';

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_APPEND, O_NOFOLLOW, O_NONBLOCK, O_DIRECTORY } = constants;

/** Opening for reading: a FIFO must not block the open, and a final link must not be followed. */
export const READ_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK;
/** Opening for writing; truncation happens only after verification, so a wrong file is never emptied. */
export const WRITE_FLAGS = O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK;
/** Creating a file that must not exist yet: the only way the write tools create files (see openForWriting). */
export const CREATE_NEW_FLAGS = WRITE_FLAGS | O_EXCL;
const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW;

let procFd: Promise<boolean> | undefined;

/** Whether this host names descriptors under /proc/self/fd (Linux). Decided once. */
export function hasProcFd(): Promise<boolean> {
  procFd ??= stat('/proc/self/fd').then(
    (s) => s.isDirectory(),
    () => false,
  );
  return procFd;
}

/** A verified, open directory. `path` is how to name its children so the directory cannot be swapped under us. */
export interface Dir {
  readonly handle: FileHandle;
  /** `/proc/self/fd/N` on Linux; elsewhere the real path (weaker: earlier components are re-checked only). */
  readonly path: string;
  /** The real path this directory was verified to be. */
  readonly real: string;
  close(): Promise<void>;
}

/**
 * Proves an open handle is the file at `expected` (a real path inside the roots) and returns its stats.
 * Throws `changed` otherwise. On hosts without /proc it compares device and inode with the checked path,
 * which closes the race except against a swap there and back between the open and this check.
 */
export async function verify(handle: FileHandle, expected: string, shown: string): Promise<Stats> {
  const stats = await handle.stat();
  if (await hasProcFd()) {
    const actual = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
    if (actual !== expected) throw changed(shown);
    return stats;
  }
  const now = await stat(expected).catch(() => undefined);
  const again = await realpath(expected).catch(() => undefined);
  if (!now || again !== expected || now.dev !== stats.dev || now.ino !== stats.ino) throw changed(shown);
  return stats;
}

/** Opening an existing file for writing, never creating one (the create is a separate, counted step). */
const EXISTING_WRITE_FLAGS = O_WRONLY | O_NOFOLLOW | O_NONBLOCK;

type Opened = { handle: FileHandle; stats: Stats };

/**
 * Opens a file at a checked real path (or a child name of a verified directory) and verifies it. Opened for
 * writing, a file with more than one hard link is refused on the handle itself (its own fstat, after the
 * open), so a link made between the check and the open is seen too.
 */
export async function openFile(
  at: { dir: Dir; name: string } | string,
  expected: string,
  flags: number,
  shown: string,
  directoryHint?: string,
): Promise<Opened> {
  const path = typeof at === 'string' ? at : join(at.dir.path, at.name);
  const handle = (await tryOpen(path, flags, shown, directoryHint, [])) as FileHandle;
  return adopt(handle, expected, flags, shown, directoryHint);
}

/**
 * Opens the file `name` of a verified directory for writing (or appending), creating it if missing, and
 * says whether it was created here. A create is exclusive (`O_EXCL`) and paid for first by `reserveCreate`,
 * whose release is called when nothing was created, so a count of created files is exact even while
 * other calls create and remove the same name. With `exclusive`, an existing file is never opened.
 */
export async function openForWriting(
  at: { dir: Dir; name: string },
  expected: string,
  shown: string,
  options: { append: boolean; exists: boolean; exclusive?: boolean; reserveCreate: () => () => void; directoryHint?: string },
): Promise<Opened & { created: boolean }> {
  const path = join(at.dir.path, at.name);
  const extra = options.append ? O_APPEND : 0;
  let create = options.exclusive === true || !options.exists;
  // A name that appears or goes between two tries switches to the other way of opening; a third switch
  // means other calls keep creating and removing it: give up rather than loop.
  for (let tries = 0; tries < 3; tries += 1) {
    if (!create) {
      const opened = await tryOpen(path, EXISTING_WRITE_FLAGS | extra, shown, options.directoryHint, ['ENOENT']);
      if (typeof opened !== 'string') return { ...(await adopt(opened, expected, EXISTING_WRITE_FLAGS, shown, options.directoryHint)), created: false };
      create = true;
      continue;
    }
    const release = options.reserveCreate();
    let opened: FileHandle | string;
    try {
      opened = await tryOpen(path, CREATE_NEW_FLAGS | extra, shown, options.directoryHint, ['EEXIST']);
    } catch (error) {
      release();
      throw error;
    }
    if (typeof opened === 'string') {
      release();
      if (options.exclusive === true) throw codeError('EEXIST', shown, 'Pass overwrite: true to replace it.');
      create = false;
      continue;
    }
    // Created: the charge stands even if the verification below refuses the file.
    return { ...(await adopt(opened, expected, CREATE_NEW_FLAGS, shown, options.directoryHint)), created: true };
  }
  throw new ToolError('host', `${quote(shown)} kept being created and removed by other calls while it was being opened`, { hint: 'Retry the call.' });
}

/** open(2), with the errno codes in `expected` returned instead of thrown. */
async function tryOpen(path: string, flags: number, shown: string, directoryHint: string | undefined, expected: readonly string[]): Promise<FileHandle | string> {
  try {
    return await open(path, flags, 0o666);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && expected.includes(code)) return code;
    // Opening a directory for writing fails here, before there is a handle to inspect.
    if (code === 'EISDIR') throw codeError('EISDIR', shown, directoryHint);
    throw fromOsError(error, shown);
  }
}

/** Verifies an open handle (closing it if it fails): the checked path, a regular file, no hard links for writing. */
async function adopt(handle: FileHandle, expected: string, flags: number, shown: string, directoryHint: string | undefined): Promise<Opened> {
  try {
    const stats = await verify(handle, expected, shown);
    if (stats.isDirectory()) throw codeError('EISDIR', shown, directoryHint);
    if (!stats.isFile()) throw specialFile(shown);
    if ((flags & (O_WRONLY | O_RDWR)) !== 0 && stats.nlink > 1) throw hardLinked(shown, stats.nlink);
    return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Opens a directory at a checked real path and verifies it. */
export async function openDir(real: string, shown: string): Promise<Dir> {
  return wrapDir(await openDirHandle(real, shown), real, shown);
}

/** Opens the child directory `name` of a verified directory, without following a link there. */
export async function openChildDir(parent: Dir, name: string, shown: string): Promise<Dir> {
  return wrapDir(await openDirHandle(join(parent.path, name), shown), join(parent.real, name), shown);
}

/** lstat of a child of a verified directory: the entry itself, never a link's target. */
export async function lstatChild(dir: Dir, name: string, shown: string): Promise<Stats | undefined> {
  try {
    return await lstat(join(dir.path, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fromOsError(error, shown);
  }
}

async function openDirHandle(path: string, shown: string): Promise<FileHandle> {
  try {
    return await open(path, DIR_FLAGS);
  } catch (error) {
    // With O_DIRECTORY, Linux reports a symbolic link as ENOTDIR rather than ELOOP: tell the two apart.
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR' && (await lstat(path).catch(() => undefined))?.isSymbolicLink()) {
      throw changed(shown);
    }
    throw fromOsError(error, shown);
  }
}

async function wrapDir(handle: FileHandle, real: string, shown: string): Promise<Dir> {
  try {
    await verify(handle, real, shown);
  } catch (error) {
    await handle.close();
    throw error;
  }
  const path = (await hasProcFd()) ? `/proc/self/fd/${handle.fd}` : real;
  return { handle, path, real, close: () => handle.close() };
}
