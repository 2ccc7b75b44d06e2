// Turns a path the model wrote into a real, checked path inside the roots. It validates the string, gates
// on lexical containment before touching the disk, resolves symbolic links with realpath, and checks the
// real result again. It must never open anything: opening is handle.ts, which re-checks what it opened.
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ToolError } from '../shared/public-api.js';
import { fromOsError, invalidPath, leavesRoots, outsideRoots, quote, readOnly, specialFile } from './errors.js';
import { inSpecialTree, within, type Access, type Roots } from './roots.js';

/** Longest path accepted, in bytes (Linux PATH_MAX). */
export const MAX_PATH_BYTES = 4096;
/** Longest single component accepted, in bytes (NAME_MAX on common filesystems). */
export const MAX_NAME_BYTES = 255;

/** A model path after checking: what to show, and the real path to act on. */
export interface Target {
  /** The path exactly as the model wrote it; the only form messages use. */
  readonly shown: string;
  /** Absolute real path inside the roots. Only its missing tail (if any) may not exist yet. */
  readonly real: string;
  /** Whether something exists at `real` (for `follow: false`, the entry itself, possibly a link). */
  readonly exists: boolean;
  /** Trailing components of `real` that do not exist, outermost first; empty when `exists`. */
  readonly missing: readonly string[];
  /** Whether a writable root holds it. */
  readonly writable: boolean;
}

export interface ResolveOptions {
  readonly access: Access;
  /**
   * Follow a symbolic link in the last component (read, write, stat) or act on the link itself (remove,
   * move). Links earlier in the path are always followed, and always checked.
   */
  readonly follow: boolean;
}

/** Checks the string itself: malformed paths are `invalid_input`, never passed to the OS. `empty`: what to say of ''. */
export function checkPathString(path: string, empty = "is empty; use '.' for the first root"): void {
  if (path.length === 0) throw invalidPath(path, empty);
  if (path.includes('\0')) throw invalidPath(path, 'contains a NUL byte');
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_PATH_BYTES) throw invalidPath(path, `is ${bytes} bytes long; the limit is ${MAX_PATH_BYTES}`);
  for (const name of path.split('/')) {
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
      throw invalidPath(path, `has a component longer than ${MAX_NAME_BYTES} bytes`);
    }
  }
}

/** Resolves and checks a model path for one kind of access. Throws a ToolError for every refusal. */
export async function resolveTarget(roots: Roots, path: string, options: ResolveOptions): Promise<Target> {
  checkPathString(path);
  const abs = roots.absolute(path);
  // Decide lexically first: an outside path is refused without a single filesystem call.
  if (abs === undefined || !roots.lexicallyAllowed(abs)) throw outsideRoots(path, roots, options.access);
  // Refused as written too, not only as resolved: /proc/self/root and friends are routes, not files.
  if (inSpecialTree(abs)) throw specialFile(path);

  let real: string;
  let missing: readonly string[];
  // A root named by itself is never acted on as a link: resolve it fully (tools refuse to remove or move it).
  const namesRoot = roots.list.some((root) => root.lexical === abs || root.real === abs);
  if (options.follow || namesRoot || abs === dirname(abs)) {
    ({ real, missing } = await realpathOrMissing(roots, path, abs, options.access));
  } else {
    // Resolve the parent, then name the entry itself: removing a link removes the link, not its target.
    const parent = await realpathOrMissing(roots, path, dirname(abs), options.access);
    real = join(parent.real, basename(abs));
    missing = parent.missing.length > 0 ? [...parent.missing, basename(abs)] : [];
  }
  const access = roots.access(real);
  if (access === 'none') throw leavesRoots(path, roots, options.access);
  // Checked on the real path, so no route (a root of '/', a link, '..') reaches /proc, /dev or /sys.
  if (inSpecialTree(real)) throw specialFile(path);
  if (options.access === 'write' && access !== 'write') throw readOnly(path, roots);

  let exists = missing.length === 0;
  if (exists && !options.follow) {
    exists = await lstat(real).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw fromOsError(error, path);
      },
    );
    if (!exists) missing = [basename(real)];
  }
  return { shown: path, real, exists, missing, writable: access === 'write' };
}

/**
 * realpath for a path whose tail may not exist yet: the deepest existing ancestor is resolved, and must be
 * inside the roots, before anything about the missing tail is said.
 */
async function realpathOrMissing(roots: Roots, shown: string, abs: string, access: Access): Promise<{ real: string; missing: string[] }> {
  try {
    return { real: await realpath(abs), missing: [] };
  } catch {
    // Any failure (missing, not a directory, a loop, a dangling link) is explained only after the
    // existing part of the path is known to be inside the roots; see below.
  }
  const missing: string[] = [];
  let current = abs;
  let parentReal: string | undefined;
  while (parentReal === undefined) {
    const parent = dirname(current);
    if (parent === current) throw new ToolError('host', `${quote(shown)} cannot be resolved`);
    missing.unshift(basename(current));
    current = parent;
    try {
      parentReal = await realpath(current);
    } catch {
      // keep climbing
    }
  }
  if (roots.access(parentReal) === 'none') {
    // The root itself is gone (deleted by the host): say so rather than blame a link.
    if (roots.list.some((root) => root.real !== parentReal && within(parentReal!, root.real))) {
      throw new ToolError('host', `${quote(shown)} does not exist (its root is missing)`);
    }
    throw leavesRoots(shown, roots, access);
  }
  const first = join(parentReal, missing[0]!);
  let stats;
  try {
    stats = await lstat(first);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { real: join(parentReal, ...missing), missing };
    throw fromOsError(error, shown);
  }
  // It exists but realpath failed through it: a dangling or looping link, or a file used as a directory.
  if (stats.isSymbolicLink()) throw leavesRoots(shown, roots, access);
  if (!stats.isDirectory()) throw new ToolError('host', `a component of ${quote(shown)} is not a directory`);
  throw new ToolError('host', `${quote(shown)} cannot be resolved (the operating system refused to look inside a directory)`);
}
