// `{ memory: true }`: a writable directory held in the host's memory, empty at the start of every run and
// returned with the run's result (`result.files`, through `context.returnFiles`). A run is known by its call
// signal, as for the write quota, so its tree goes when the run's session is collected. Bounded per run by
// `maxBytes` (content held at once) and `maxFiles` (files and directories), besides the fs write quota.
import { ToolError, type ToolContext } from '../shared/public-api.js';
import { formatBytes } from '../shared/text.js';
import { codeError, quote, tooLargeToRead } from './errors.js';
import { capEntries, splitSub, type EntryType, type VirtualDir, type VirtualPath, type VirtualStat, type WriteBudget } from './virtual.js';

/** 16 MiB: four of the largest single writes, held in host memory per run and mount. */
export const DEFAULT_MEMORY_MAX_BYTES = 16 * 1024 * 1024;
/** Files and directories one in-memory mount holds per run. */
export const DEFAULT_MEMORY_MAX_FILES = 1000;

interface File {
  bytes: Uint8Array;
  modifiedAt: Date;
}

/** One run's content of one memory mount. '' (the mount itself) is always a directory. */
class Tree {
  readonly files = new Map<string, File>();
  readonly dirs = new Map<string, Date>([['', new Date()]]);
  bytes = 0;
}

const MKDIR_HINT = 'Create the directory first with fs.mkdir({ path, recursive: true }).';

export class MemoryMount implements VirtualDir {
  readonly writable = true;
  readonly summary = 'writable; starts empty each run, its files are returned with the result';
  private readonly runs = new WeakMap<AbortSignal, Tree>();

  constructor(
    /** The mount's path, e.g. `/output`: returned files are named under it. */
    private readonly point: string,
    private readonly maxBytes: number,
    private readonly maxFiles: number,
  ) {}

  /** The run's tree; made (empty) on its first use, when the run is also told to return its files. */
  private tree(context: ToolContext): Tree {
    let tree = this.runs.get(context.signal);
    if (tree === undefined) {
      const made = (tree = new Tree());
      this.runs.set(context.signal, made);
      context.returnFiles?.(() =>
        [...made.files.keys()].sort().map((sub) => ({ path: `${this.point}/${sub}`, bytes: made.files.get(sub)!.bytes })),
      );
    }
    return tree;
  }

  async stat(at: VirtualPath, context: ToolContext): Promise<VirtualStat | null> {
    const tree = this.tree(context);
    const file = tree.files.get(at.sub);
    if (file) return { type: 'file', size: file.bytes.length, modifiedAt: file.modifiedAt };
    const dir = tree.dirs.get(at.sub);
    return dir ? { type: 'directory', size: 0, modifiedAt: dir } : null;
  }

  async read(at: VirtualPath, context: ToolContext, maxBytes: number, limit?: string): Promise<Uint8Array> {
    const tree = this.tree(context);
    const file = tree.files.get(at.sub);
    if (file && file.bytes.length > maxBytes) throw tooLargeToRead(at.shown, file.bytes.length, maxBytes, limit);
    if (file) return file.bytes;
    if (tree.dirs.has(at.sub)) throw codeError('EISDIR', at.shown, 'Use fs.readDir to list a directory.');
    throw this.missing(tree, at);
  }

  async list(at: VirtualPath, context: ToolContext, maxEntries: number) {
    const tree = this.tree(context);
    if (!tree.dirs.has(at.sub)) throw tree.files.has(at.sub) ? codeError('ENOTDIR', at.shown) : this.missing(tree, at);
    const entries: { name: string; type: EntryType }[] = [];
    const add = (sub: string, type: EntryType) => {
      if (sub !== '' && splitSub(sub).parent === at.sub) entries.push({ name: splitSub(sub).name, type });
    };
    for (const sub of tree.files.keys()) add(sub, 'file');
    for (const sub of tree.dirs.keys()) add(sub, 'directory');
    return capEntries(entries, maxEntries);
  }

  async write(at: VirtualPath, bytes: Uint8Array, options: { append: boolean; exclusive: boolean }, budget: WriteBudget, context: ToolContext): Promise<number> {
    const tree = this.tree(context);
    if (at.sub === '' || tree.dirs.has(at.sub)) throw codeError('EISDIR', at.shown, 'The path names a directory; write to a file inside it.');
    this.parentOf(tree, at, MKDIR_HINT);
    const existing = tree.files.get(at.sub);
    if (existing && options.exclusive) throw codeError('EEXIST', at.shown, 'Pass overwrite: true to replace it.');
    const before = existing?.bytes.length ?? 0;
    const size = options.append ? before + bytes.length : bytes.length;
    if (size > budget.maxWriteBytes) {
      throw new ToolError('host', `${options.append ? 'appending' : 'writing'} ${bytes.length} bytes would make ${quote(at.shown)} ${size} bytes; the limit is ${budget.maxWriteBytes}`);
    }
    this.checkBytes(tree, at, size - before);
    const release = existing ? undefined : this.chargeEntry(tree, at, budget);
    try {
      budget.chargeBytes(bytes.length);
    } catch (error) {
      release?.();
      throw error;
    }
    // A copy of exactly these bytes: a pooled Buffer's memory also holds other data of the host.
    const content = new Uint8Array(size);
    if (options.append && existing) content.set(existing.bytes, 0);
    content.set(bytes, options.append ? before : 0);
    tree.files.set(at.sub, { bytes: content, modifiedAt: new Date() });
    tree.bytes += size - before;
    return size;
  }

  async mkdir(at: VirtualPath, recursive: boolean, budget: WriteBudget, context: ToolContext): Promise<boolean> {
    const tree = this.tree(context);
    if (tree.dirs.has(at.sub)) {
      if (recursive) return false;
      throw codeError('EEXIST', at.shown);
    }
    if (tree.files.has(at.sub)) throw codeError('EEXIST', at.shown);
    const missing: string[] = [];
    for (let sub = at.sub; !tree.dirs.has(sub); sub = splitSub(sub).parent) {
      if (tree.files.has(sub)) throw codeError('ENOTDIR', at.shown);
      missing.unshift(sub);
    }
    if (missing.length > 1 && !recursive) {
      throw new ToolError('host', `the parent directory of ${quote(at.shown)} does not exist`, { hint: 'Pass recursive: true to create missing parents.' });
    }
    for (const sub of missing) {
      this.chargeEntry(tree, at, budget);
      tree.dirs.set(sub, new Date());
    }
    return true;
  }

  async remove(at: VirtualPath, recursive: boolean, context: ToolContext): Promise<number> {
    const tree = this.tree(context);
    if (at.sub === '') throw new ToolError('denied', `${quote(at.shown)} is a mount, which cannot be removed`, { hint: 'Remove the files inside it.' });
    const file = tree.files.get(at.sub);
    if (file) {
      tree.files.delete(at.sub);
      tree.bytes -= file.bytes.length;
      return 1;
    }
    if (!tree.dirs.has(at.sub)) throw codeError('ENOENT', at.shown);
    if (!recursive) throw new ToolError('host', `${quote(at.shown)} is a directory`, { hint: 'Pass recursive: true to remove it and its contents.' });
    let removed = 0;
    const prefix = `${at.sub}/`;
    for (const [sub, entry] of tree.files) {
      if (!sub.startsWith(prefix)) continue;
      tree.files.delete(sub);
      tree.bytes -= entry.bytes.length;
      removed += 1;
    }
    for (const sub of tree.dirs.keys()) {
      if (sub !== at.sub && !sub.startsWith(prefix)) continue;
      tree.dirs.delete(sub);
      removed += 1;
    }
    return removed;
  }

  async rename(from: VirtualPath, to: VirtualPath, overwrite: boolean, context: ToolContext): Promise<boolean> {
    const tree = this.tree(context);
    if (from.sub === '') throw new ToolError('denied', `${quote(from.shown)} is a mount, which cannot be moved`);
    if (to.sub === '') throw new ToolError('denied', `${quote(to.shown)} is a mount, which cannot be replaced`);
    const isDir = tree.dirs.has(from.sub);
    if (!isDir && !tree.files.has(from.sub)) throw codeError('ENOENT', from.shown);
    if (to.sub === from.sub) return false;
    if (isDir && to.sub.startsWith(`${from.sub}/`)) throw codeError('EINVAL', from.shown);
    this.parentOf(tree, to, MKDIR_HINT);
    if (tree.dirs.has(to.sub)) throw codeError('EISDIR', to.shown, 'Remove it first with fs.remove({ path, recursive: true }).');
    const replaced = tree.files.get(to.sub);
    if (replaced && isDir) throw codeError('ENOTDIR', to.shown);
    if (replaced && !overwrite) throw codeError('EEXIST', to.shown, 'Pass overwrite: true to replace it.');
    if (replaced) {
      tree.files.delete(to.sub);
      tree.bytes -= replaced.bytes.length;
    }
    const move = <T>(map: Map<string, T>) => {
      for (const [sub, value] of [...map]) {
        if (sub !== from.sub && !sub.startsWith(`${from.sub}/`)) continue;
        map.delete(sub);
        map.set(to.sub + sub.slice(from.sub.length), value);
      }
    };
    move(tree.files);
    move(tree.dirs);
    return replaced !== undefined;
  }

  /** Throws unless the parent of `at` is a directory of the tree. */
  private parentOf(tree: Tree, at: VirtualPath, hint: string): void {
    const { parent } = splitSub(at.sub);
    if (tree.dirs.has(parent)) return;
    if (this.hasFileAbove(tree, parent)) throw codeError('ENOTDIR', at.shown);
    throw new ToolError('host', `the parent directory of ${quote(at.shown)} does not exist`, { hint });
  }

  private hasFileAbove(tree: Tree, sub: string): boolean {
    for (let at = sub; at !== ''; at = splitSub(at).parent) if (tree.files.has(at)) return true;
    return false;
  }

  private missing(tree: Tree, at: VirtualPath): ToolError {
    return this.hasFileAbove(tree, splitSub(at.sub).parent) ? codeError('ENOTDIR', at.shown) : codeError('ENOENT', at.shown);
  }

  /** Refuses growth past the mount's bytes per run. */
  private checkBytes(tree: Tree, at: VirtualPath, growth: number): void {
    if (growth > 0 && tree.bytes + growth > this.maxBytes) {
      throw new ToolError('host', `writing ${quote(at.shown)} would pass the ${formatBytes(this.maxBytes)} that ${this.point} holds per run; it holds ${tree.bytes} bytes`, {
        hint: `Remove files you no longer need from ${this.point}, or write less.`,
      });
    }
  }

  /** One more file or directory: the mount's count per run, then the fs quota. */
  private chargeEntry(tree: Tree, at: VirtualPath, budget: WriteBudget): () => void {
    if (tree.files.size + tree.dirs.size - 1 >= this.maxFiles) {
      throw new ToolError('host', `creating ${quote(at.shown)} would pass the ${this.maxFiles} files and directories that ${this.point} holds per run`, {
        hint: `Remove files you no longer need from ${this.point}, or write fewer.`,
      });
    }
    return budget.chargeFile();
  }
}
