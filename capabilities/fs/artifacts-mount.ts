// `{ artifacts: true }`: the artifacts of the run's storage (the executor's or workspace's, `context.storage`)
// as a writable directory whose files outlive the run; or `{ artifacts: storage }` for a store of its own.
// A file's path below the mount is the artifact's name (`/artifacts/runs/a.json` is `runs/a.json`), so
// folders exist through the files in them. Built on the public `Artifacts` store only; its refusals read as
// those of `codemode.artifacts` (never showing where the store lives).
import { modelErrors } from '../artifacts/capability.js';
import { Artifacts, ToolError, contentTypeOf, type ArtifactInfo, type Storage, type ToolContext } from '../shared/public-api.js';
import { checkSignal } from './context.js';
import { codeError, quote, tooLargeToRead } from './errors.js';
import { capEntries, type EntryType, type VirtualDir, type VirtualPath, type VirtualStat, type WriteBudget } from './virtual.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ArtifactsMount implements VirtualDir {
  readonly writable = true;
  readonly summary = 'writable; kept after the run';
  private readonly own: Artifacts | undefined;
  private readonly stores = new WeakMap<Storage, Artifacts>();
  /** The last listing of each store, kept until its revision moves (any put or delete, by any host). */
  private readonly listings = new WeakMap<Storage, { revision: number; infos: ArtifactInfo[] }>();

  /** `storage`: a store of its own; undefined for the run's (`context.storage`). */
  constructor(storage: Storage | undefined) {
    this.own = storage && new Artifacts(storage);
  }

  private store(at: VirtualPath, context: ToolContext): Artifacts {
    if (this.own) return this.own;
    const storage = context.storage;
    if (storage === undefined) {
      throw new ToolError('host', `${quote(at.shown)} is in an artifacts mount, but this host keeps no storage`, { hint: 'The host operator gives the Executor a `storage`.' });
    }
    let artifacts = this.stores.get(storage);
    if (!artifacts) this.stores.set(storage, (artifacts = new Artifacts(storage)));
    return artifacts;
  }

  /** Every artifact's info: one small read of the revision, and a listing only when it moved. */
  private async infos(store: Artifacts): Promise<ArtifactInfo[]> {
    const { storage } = store;
    return modelErrors(undefined, async () => {
      const revision = await storage.revision('artifacts');
      const known = this.listings.get(storage);
      if (known?.revision === revision) return known.infos;
      // Read before listing: a save in between leaves the listing newer than its revision, listed again next time.
      const infos = await store.list();
      this.listings.set(storage, { revision, infos });
      return infos;
    });
  }

  /** What is at `sub`: a saved file (with its info), a folder (names below it), or nothing; and whether a file is above it. */
  private async find(at: VirtualPath, context: ToolContext) {
    const list = await this.infos(this.store(at, context));
    const file = list.find((info) => info.name === at.sub);
    const prefix = at.sub === '' ? '' : `${at.sub}/`;
    const below = list.filter((info) => info.name.startsWith(prefix));
    const fileAbove = list.some((info) => at.sub.startsWith(`${info.name}/`));
    return { file, folder: at.sub === '' || below.length > 0, below, prefix, fileAbove };
  }

  /** The stored entry itself (bytes and meta, never decoded); undefined when there is none. */
  private async entry(at: VirtualPath, context: ToolContext) {
    const { storage } = this.store(at, context);
    return modelErrors(at.sub, () => storage.get('artifacts', at.sub));
  }

  async stat(at: VirtualPath, context: ToolContext): Promise<VirtualStat | null> {
    const { file, folder } = await this.find(at, context);
    if (file) return { type: 'file', size: file.size, modifiedAt: new Date(file.updatedAt) };
    return folder ? { type: 'directory', size: 0, modifiedAt: new Date(0) } : null;
  }

  async read(at: VirtualPath, context: ToolContext, maxBytes: number, limit?: string): Promise<Uint8Array> {
    if (at.sub === '') throw codeError('EISDIR', at.shown, 'Use fs.readDir to list a directory.');
    const entry = await this.entry(at, context);
    if (entry === undefined) {
      throw (await this.find(at, context)).folder ? codeError('EISDIR', at.shown, 'Use fs.readDir to list a directory.') : codeError('ENOENT', at.shown);
    }
    if (entry.data.length > maxBytes) throw tooLargeToRead(at.shown, entry.data.length, maxBytes, limit);
    return entry.data;
  }

  async list(at: VirtualPath, context: ToolContext, maxEntries: number) {
    const { file, folder, below, prefix } = await this.find(at, context);
    if (!folder) throw file ? codeError('ENOTDIR', at.shown) : codeError('ENOENT', at.shown);
    const entries = new Map<string, EntryType>();
    for (const info of below) {
      const rest = info.name.slice(prefix.length);
      const slash = rest.indexOf('/');
      const name = slash < 0 ? rest : rest.slice(0, slash);
      if (!entries.has(name) || slash >= 0) entries.set(name, slash < 0 ? 'file' : 'directory');
    }
    return capEntries([...entries].map(([name, type]) => ({ name, type })), maxEntries);
  }

  async write(at: VirtualPath, bytes: Uint8Array, options: { append: boolean; exclusive: boolean; text: boolean }, budget: WriteBudget, context: ToolContext): Promise<number> {
    const { file, folder, fileAbove } = await this.find(at, context);
    if (folder) throw codeError('EISDIR', at.shown, 'The path names a directory; write to a file inside it.');
    if (fileAbove) throw codeError('ENOTDIR', at.shown);
    if (file && options.exclusive) throw codeError('EEXIST', at.shown, 'Pass overwrite: true to replace it.');
    let content = bytes;
    let text = options.text;
    if (options.append && file) {
      const before = await this.read(at, context, budget.maxWriteBytes);
      content = new Uint8Array(before.length + bytes.length);
      content.set(before, 0);
      content.set(bytes, before.length);
      text = text && file.kind !== 'bytes';
    }
    if (content.length > budget.maxWriteBytes) {
      throw new ToolError('host', `${options.append ? 'appending' : 'writing'} ${bytes.length} bytes would make ${quote(at.shown)} ${content.length} bytes; the limit is ${budget.maxWriteBytes}`);
    }
    const release = file ? undefined : budget.chargeFile();
    try {
      budget.chargeBytes(bytes.length);
      const data = text ? decodeText(content) : undefined;
      const contentType = contentTypeOf(at.sub);
      await modelErrors(at.sub, () =>
        this.store(at, context).save({ name: at.sub, data: data ?? content, ...(data === undefined || contentType !== 'application/octet-stream' ? { contentType } : {}) }),
      );
    } catch (error) {
      release?.();
      throw error;
    }
    return content.length;
  }

  async mkdir(at: VirtualPath, _recursive: boolean, _budget: WriteBudget, context: ToolContext): Promise<boolean> {
    // Folders exist through the files in them: there is nothing to make.
    const { file, fileAbove } = await this.find(at, context);
    if (file) throw codeError('EEXIST', at.shown);
    if (fileAbove) throw codeError('ENOTDIR', at.shown);
    return false;
  }

  async remove(at: VirtualPath, recursive: boolean, context: ToolContext): Promise<number> {
    if (at.sub === '') throw new ToolError('denied', `${quote(at.shown)} is a mount, which cannot be removed`, { hint: 'Remove the files inside it.' });
    const { file, folder, below } = await this.find(at, context);
    const store = this.store(at, context);
    if (file) return (await modelErrors(at.sub, () => store.delete({ name: at.sub }))) ? 1 : 0;
    if (!folder) throw codeError('ENOENT', at.shown);
    if (!recursive) throw new ToolError('host', `${quote(at.shown)} is a directory`, { hint: 'Pass recursive: true to remove it and its contents.' });
    // The folders below count as entries too (fs.readDir shows them), and the path itself.
    const folders = new Set<string>();
    let removed = 1;
    for (const info of below) {
      checkSignal(context.signal);
      if (await modelErrors(info.name, () => store.delete({ name: info.name }))) removed += 1;
      for (let slash = info.name.indexOf('/', at.sub.length + 1); slash >= 0; slash = info.name.indexOf('/', slash + 1)) folders.add(info.name.slice(0, slash));
    }
    return removed + folders.size;
  }

  async rename(from: VirtualPath, to: VirtualPath, overwrite: boolean, context: ToolContext): Promise<boolean> {
    const source = await this.find(from, context);
    if (!source.file) {
      if (source.folder) throw new ToolError('host', `${quote(from.shown)} is a folder of artifacts, which moves file by file`, { hint: 'Move each file with fs.move.' });
      throw codeError('ENOENT', from.shown);
    }
    const dest = await this.find(to, context);
    if (dest.folder) throw codeError('EISDIR', to.shown, 'Remove it first with fs.remove({ path, recursive: true }).');
    if (dest.fileAbove) throw codeError('ENOTDIR', to.shown);
    if (dest.file && !overwrite) throw codeError('EEXIST', to.shown, 'Pass overwrite: true to replace it.');
    if (from.sub === to.sub) return false;
    // The stored bytes and meta as they are: nothing decoded or encoded again.
    const { storage } = this.store(from, context);
    const entry = await this.entry(from, context);
    if (entry === undefined) throw codeError('ENOENT', from.shown);
    await modelErrors(to.sub, () => storage.put('artifacts', to.sub, entry.data, { meta: entry.meta }));
    await modelErrors(from.sub, () => storage.delete('artifacts', from.sub));
    return dest.file !== undefined;
  }
}

/** Text stays text (it loads back as a string) when it is UTF-8; otherwise undefined. */
function decodeText(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
