// The errors fs tools give the model. Every message names the path only as the model wrote it: an OS
// error's own message carries host paths (and /proc/self/fd names), so it must never be passed through.
import { ToolError } from '../shared/public-api.js';
import type { Access, Roots } from './roots.js';

/** The model's path as it appears in messages: quoted, and cut short when very long. */
export function quote(path: string): string {
  return JSON.stringify(path.length > 120 ? path.slice(0, 120) + '…' : path);
}

export function outsideRoots(shown: string, roots: Roots, access: Access): ToolError {
  return new ToolError('denied', `${quote(shown)} is outside ${roots.noun}`, { hint: roots.hint(access) });
}

/**
 * One message for every way a symbolic link inside a root can fail to stay inside: pointing out, dangling,
 * looping. Telling these apart would say whether the outside target exists, so they are never told apart.
 */
export function leavesRoots(shown: string, roots: Roots, access: Access): ToolError {
  return new ToolError('denied', `${quote(shown)} goes through a symbolic link that leaves ${roots.noun} or does not resolve`, {
    hint: roots.hint(access),
  });
}

export function readOnly(shown: string, roots: Roots): ToolError {
  return new ToolError('denied', `${quote(shown)} is in a read-only ${roots.words.word}`, { hint: roots.hint('write') });
}

/**
 * A file with more than one hard link may have another name outside the roots (placed there by the host:
 * model code cannot make links), and writing it would change that file too. So it is read-only.
 */
export function hardLinked(shown: string, links: number): ToolError {
  return new ToolError('denied', `${quote(shown)} has ${links} hard links (other names for the same file, which may lie outside the allowed roots), so it is read-only`, {
    hint: 'Read it or copy it to a new path and change the copy; fs.remove removes only this name.',
  });
}

/** A file over the read limit (`size` is at least what was seen); `limit` names it (a copy is held to the copy limit). */
export function tooLargeToRead(shown: string, size: number, max: number, limit = 'read'): ToolError {
  return new ToolError('host', `${quote(shown)} is larger than the ${limit} limit of ${max} bytes (at least ${size})`);
}

export function specialFile(shown: string): ToolError {
  return new ToolError('denied', `${quote(shown)} is not a regular file or directory`, {
    hint: 'Only regular files and directories are reachable; /proc, /dev, /sys, FIFOs, sockets and devices are not.',
  });
}

/** Something became a symbolic link, or moved, between the check and the open: refuse rather than guess. */
export function changed(shown: string): ToolError {
  return new ToolError('denied', `${quote(shown)} changed while it was being opened (a symbolic link appeared in the path)`);
}

export function invalidPath(shown: string, reason: string): ToolError {
  return new ToolError('invalid_input', `path ${quote(shown)} ${reason}`);
}

const MESSAGES: Record<string, (path: string) => string> = {
  ENOENT: (p) => `${p} does not exist`,
  EEXIST: (p) => `${p} already exists`,
  ENOTDIR: (p) => `a component of ${p} is not a directory`,
  EISDIR: (p) => `${p} is a directory`,
  ENOTEMPTY: (p) => `${p} is a directory that is not empty`,
  EACCES: (p) => `the operating system denied access to ${p}`,
  EPERM: (p) => `the operating system denied access to ${p}`,
  EXDEV: (p) => `${p} cannot be moved to another filesystem`,
  ENOSPC: () => 'no space left on the device',
  EROFS: (p) => `${p} is on a read-only filesystem`,
  ENAMETOOLONG: (p) => `${p} is too long for the filesystem`,
  EBUSY: (p) => `${p} is busy`,
  EMFILE: () => 'too many open files on the host',
  EINVAL: (p) => `${p} cannot be used that way (for example, moving a directory into itself)`,
};

const HINTS: Record<string, string> = {
  EXDEV: 'Use fs.copy, then fs.remove.',
  ENOTEMPTY: 'Pass recursive: true to remove a directory and its contents.',
};

/** The `host` error for an errno code the tool found itself (e.g. ENOENT before any open). */
export function codeError(code: string, shown: string, hint?: string): ToolError {
  const error = fromOsError(Object.assign(new Error(code), { code }), shown);
  return hint === undefined ? error : new ToolError(error.kind, error.message, { hint });
}

/** Turns an OS error from an fs call into a `host` ToolError that shows only the model's path. */
export function fromOsError(error: unknown, shown: string): ToolError {
  if (error instanceof ToolError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // ELOOP with O_NOFOLLOW means a link took the place of what was checked.
  if (code === 'ELOOP') return changed(shown);
  // ENXIO is what a non-blocking open of a FIFO (or a socket) for writing gives.
  if (code === 'ENXIO' || code === 'ENODEV') return specialFile(shown);
  if (code === 'ABORT_ERR') return new ToolError('host', 'the run ended before the call finished');
  const make = code === undefined ? undefined : MESSAGES[code];
  const hint = code === undefined ? undefined : HINTS[code];
  const message = make ? make(quote(shown)) : `${quote(shown)}: ${code ?? 'unexpected error'}`;
  return new ToolError('host', message, hint === undefined ? {} : { hint });
}
