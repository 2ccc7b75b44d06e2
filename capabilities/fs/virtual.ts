// The directories of the fs capability that are not on disk: in-memory, host-resolved and artifact mounts,
// and the tree of mount points itself (`/`). Each implements VirtualDir on paths relative to its mount,
// already checked and normalized by mounts.ts (no `.`, `..` or empty components): the tools call these
// exactly where they would act on disk. They must never see a host path, and never show one.
import type { ToolContext } from '../shared/public-api.js';
import { codeError } from './errors.js';

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface VirtualStat {
  readonly type: 'file' | 'directory';
  readonly size: number;
  readonly modifiedAt: Date;
}

/** What the write tools charge to the fs capability's quota, and its per-call limit. */
export interface WriteBudget {
  readonly maxWriteBytes: number;
  /** Charges one created file or directory; returns its release (the create did not happen). */
  chargeFile(): () => void;
  chargeBytes(bytes: number): void;
}

/** A place a model path resolved to in a virtual mount: `sub` is relative to the mount ('' is the mount itself). */
export interface VirtualPath {
  readonly sub: string;
  /** The path as the model wrote it, for messages. */
  readonly shown: string;
}

/** A mount that is not a real directory. Read-only ones leave out the write methods (the tools refuse first). */
export interface VirtualDir {
  /** `read-only`, `writable; …`: said in the capability's description and in hints. */
  readonly summary: string;
  readonly writable: boolean;
  stat(at: VirtualPath, context: ToolContext): Promise<VirtualStat | null>;
  /** `limit`: the name of the limit `maxBytes` is, for the refusal (`read`, or `copy` for fs.copy). */
  read(at: VirtualPath, context: ToolContext, maxBytes: number, limit?: string): Promise<Uint8Array>;
  list(at: VirtualPath, context: ToolContext, maxEntries: number): Promise<{ entries: { name: string; type: EntryType }[]; truncated: boolean }>;
  /** `text`: the content came as UTF-8 text (an artifact keeps it as text). Resolves to the file's size after. */
  write?(at: VirtualPath, bytes: Uint8Array, options: { append: boolean; exclusive: boolean; text: boolean }, budget: WriteBudget, context: ToolContext): Promise<number>;
  mkdir?(at: VirtualPath, recursive: boolean, budget: WriteBudget, context: ToolContext): Promise<boolean>;
  remove?(at: VirtualPath, recursive: boolean, context: ToolContext): Promise<number>;
  rename?(from: VirtualPath, to: VirtualPath, overwrite: boolean, context: ToolContext): Promise<boolean>;
}

/** `sub`'s parent ('' for a top-level name) and last name. */
export function splitSub(sub: string): { parent: string; name: string } {
  const slash = sub.lastIndexOf('/');
  return slash < 0 ? { parent: '', name: sub } : { parent: sub.slice(0, slash), name: sub.slice(slash + 1) };
}

/** `child` of `sub`, as a sub path. */
export function joinSub(sub: string, child: string): string {
  return sub === '' ? child : `${sub}/${child}`;
}

/** Entries sorted by name and cut at `max`, as readDir returns them on disk. */
export function capEntries(entries: { name: string; type: EntryType }[], max: number): { entries: { name: string; type: EntryType }[]; truncated: boolean } {
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.length > max ? { entries: entries.slice(0, max), truncated: true } : { entries, truncated: false };
}

/**
 * `/` and the directories above mount points (`/mnt` for a mount at `/mnt/data`): read-only directories
 * whose entries are the mounts and those directories.
 */
export class MountTree implements VirtualDir {
  readonly summary = 'read-only';
  readonly writable = false;

  private readonly madeAt = new Date();

  /** `points`: every mount path, e.g. `/data`, `/mnt/out`. */
  constructor(private readonly points: readonly string[]) {}

  /** True when `path` (absolute, normalized) is `/` or lies above a mount point. */
  holds(path: string): boolean {
    const prefix = path === '/' ? '/' : `${path}/`;
    return this.points.some((point) => point.startsWith(prefix));
  }

  async stat(): Promise<VirtualStat> {
    return { type: 'directory', size: 0, modifiedAt: this.madeAt };
  }

  async read(at: VirtualPath): Promise<Uint8Array> {
    throw codeError('EISDIR', at.shown, 'Use fs.readDir to list a directory.');
  }

  async list(at: VirtualPath, _context: ToolContext, maxEntries: number) {
    const prefix = at.sub === '/' ? '/' : `${at.sub}/`;
    const names = new Set(this.points.filter((point) => point.startsWith(prefix)).map((point) => point.slice(prefix.length).split('/')[0]!));
    return capEntries([...names].map((name) => ({ name, type: 'directory' as const })), maxEntries);
  }
}
