// The allowlist of an FsCapability: its roots, and the one containment test every fs tool goes through.
// It decides by whole path components on absolute, normalized paths; it must never touch the filesystem
// for a path outside the roots (so no answer can reveal whether an outside path exists).
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, resolve, sep } from 'node:path';
import { CodemodeError } from '../shared/public-api.js';
import { invalidOption } from '../shared/options.js';
import { describeValue } from '../shared/public-api.js';

/** One allowed root, as the user wrote it and as it really is on disk. */
export interface Root {
  /** The entry as written in `allowedPaths`; the only form of a root that messages show. */
  readonly shown: string;
  /** Absolute and normalized, before symbolic links are resolved. */
  readonly lexical: string;
  /** `realpath` of the root at construction: containment is decided against this. */
  readonly real: string;
  readonly write: boolean;
  readonly directory: boolean;
  /** With mounts: the path the model sees the directory at (`/data`); model paths are translated from it. */
  readonly mount?: string;
}

export type Access = 'read' | 'write';

/** Pseudo-filesystems that are never reachable, whatever the roots say: they expose the host, not files. */
export const SPECIAL_TREES: readonly string[] = ['/proc', '/dev', '/sys'];

/** True when `child` is `parent` or lies below it, compared by whole components (`/data` never holds `/data2`). */
export function within(parent: string, child: string): boolean {
  if (child === parent) return true;
  const prefix = parent.endsWith(sep) ? parent : parent + sep;
  return child.startsWith(prefix);
}

/** True when a real path lies in /proc, /dev or /sys. */
export function inSpecialTree(real: string): boolean {
  return SPECIAL_TREES.some((tree) => within(tree, real));
}

/** Entry type accepted by `allowedPaths`. */
export type AllowedPath = string | { readonly path: string; readonly write?: boolean };

/** Builds the roots once, at construction; a root that is missing or special is the caller's mistake. */
export function buildRoots(where: string, entries: unknown, nameOf = (index: number) => `allowedPaths[${index}]`): Root[] {
  if (!Array.isArray(entries) || entries.length === 0) {
    invalidOption(where, 'allowedPaths', 'a non-empty array of paths or { path, write } objects', entries);
  }
  const roots = entries.map((entry: unknown, index: number): Root => {
    const name = nameOf(index);
    let shown: unknown;
    let write = false;
    if (typeof entry === 'string') {
      shown = entry;
    } else if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
      const { path, write: w, ...rest } = entry as { path?: unknown; write?: unknown };
      const extra = Object.keys(rest);
      if (extra.length > 0) invalidOption(where, name, 'a path or { path, write? } (unknown key ' + extra[0] + ')', entry);
      if (w !== undefined && typeof w !== 'boolean') invalidOption(where, `${name}.write`, 'a boolean', w);
      shown = path;
      write = w === true;
    } else {
      invalidOption(where, name, 'a path or { path, write? }', entry);
    }
    if (typeof shown !== 'string' || shown.length === 0 || shown.includes('\0')) {
      invalidOption(where, name, 'a non-empty path without NUL bytes', shown);
    }
    const lexical = resolve(shown);
    let real: string;
    let directory: boolean;
    try {
      real = realpathSync.native(lexical);
      const stats = statSync(real);
      if (!stats.isDirectory() && !stats.isFile()) invalidOption(where, name, 'a directory or a regular file', shown);
      directory = stats.isDirectory();
    } catch (error) {
      if (error instanceof CodemodeError) throw error;
      throw new CodemodeError('INVALID_OPTION', `${where}: expected \`${name}\` to be an existing directory or file, got ${describeValue(shown)} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
    if (inSpecialTree(real)) invalidOption(where, name, 'a path outside /proc, /dev and /sys', shown);
    return { shown, lexical, real, write, directory };
  });
  if (!roots[0]!.directory) {
    invalidOption(where, nameOf(0), 'a directory (relative paths resolve against the first root)', roots[0]!.shown);
  }
  return roots;
}

/** How messages name the roots; with mounts, the hints list every mount, not only the directories. */
export interface RootWords {
  /** `root` or `mount`, as in "is in a read-only root". */
  readonly word: 'root' | 'mount';
  /** With mounts, the hint for an access, listing every mount (see mounts.ts). */
  readonly hint?: (access: Access) => string;
}

/** The roots of one capability and the questions the tools ask of them. */
export class Roots {
  readonly list: readonly Root[];
  readonly words: RootWords;
  /** True when model paths are virtual (mounts): they are translated to host paths and never are host paths. */
  readonly virtual: boolean;
  constructor(list: readonly Root[], words: RootWords = { word: 'root' }) {
    this.list = list;
    this.words = words;
    this.virtual = words.word === 'mount';
  }

  /** "the allowed roots" or "the mounts", for messages. */
  get noun(): string {
    return this.virtual ? 'the mounts' : 'the allowed roots';
  }

  /** The root relative model paths resolve against. */
  get base(): Root {
    return this.list[0]!;
  }

  /**
   * Absolute, normalized host form of a model path: relative ones start at the first root. With mounts, the
   * model path is virtual (relative ones start at `/`) and is translated through the directory mount that
   * holds it; undefined when none does. No disk access.
   */
  absolute(path: string): string | undefined {
    if (!this.virtual) return isAbsolute(path) ? resolve(path) : resolve(this.base.lexical, path);
    const virtual = posix.resolve('/', path);
    for (const root of this.list) {
      if (root.mount === undefined || !within(root.mount, virtual)) continue;
      return virtual === root.mount ? root.lexical : join(root.lexical, virtual.slice(root.mount.length + 1));
    }
    return undefined;
  }

  /** Gate before any disk access: the lexical path must already sit under a root (as written or as real). */
  lexicallyAllowed(abs: string): boolean {
    return this.list.some((root) => within(root.lexical, abs) || within(root.real, abs));
  }

  /** Which roots hold a real path: none, only read-only ones, or a writable one. */
  access(real: string): 'none' | 'read' | 'write' {
    let found: 'none' | 'read' | 'write' = 'none';
    for (const root of this.list) {
      if (!within(root.real, real)) continue;
      if (root.write) return 'write';
      found = 'read';
    }
    return found;
  }

  /** True when the real path is one of the roots themselves (they cannot be removed or replaced). */
  isRoot(real: string): boolean {
    return this.list.some((root) => root.real === real);
  }

  /** True when a root lies inside `real`: such a path cannot be removed or moved, or the root would go with it. */
  holdsRoot(real: string): boolean {
    return this.list.some((root) => within(real, root.real));
  }

  /** The hint a denial carries: which roots would allow the access. Shows roots only as the user wrote them. */
  hint(access: Access): string {
    if (this.words.hint) return this.words.hint(access);
    const base = `Relative paths start at ${this.base.shown}.`;
    if (access === 'write') {
      const writable = this.list.filter((root) => root.write).map((root) => root.shown);
      return writable.length === 0 ? 'No root is writable.' : `Writable roots: ${writable.join(', ')}. ${base}`;
    }
    const all = this.list.map((root) => (root.write ? `${root.shown} (writable)` : root.shown));
    return `Allowed roots: ${all.join(', ')}. ${base}`;
  }
}
