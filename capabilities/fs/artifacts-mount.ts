// `{ artifacts: true }`: the artifacts of the run's storage (the executor's or workspace's, `context.storage`)
// as a writable directory whose files outlive the run; or `{ artifacts: storage }` for a store of its own.
// A file's path below the mount is the artifact's name (`/artifacts/runs/a.json` is `runs/a.json`), so
// folders exist through the files in them. Built on the public `Artifacts` store only; its refusals read as
// those of `codemode.artifacts` (never showing where the store lives).
import { modelErrors } from '../artifacts/capability.js';
import { Artifacts, ToolError, contentTypeOf, type Storage, type ToolContext } from '../shared/public-api.js';
import { codeError, quote, tooLargeToRead } from './errors.js';
import { capEntries, type EntryType, type VirtualDir, type VirtualPath, type VirtualStat, type WriteBudget } from './virtual.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ArtifactsMount implements VirtualDir {
  readonly writable = true;
  readonly summary = 'writable; kept after the run';
  private readonly own: Artifacts | undefined;
  private readonly stores = new WeakMap<Storage, Artifacts>();

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

  /** What is at `sub`: a saved file (with its info), a folder (names below it), or nothing. */
  private async find(at: VirtualPath, context: ToolContext) {
    const list = await modelErrors(undefined, () => this.store(at, context).list());
    const file = list.find((info) => info.name === at.sub);
    const prefix = at.sub === '' ? '' : `${at.sub}/`;
    const below = list.filter((info) => info.name.startsWith(prefix));
    return { file, folder: at.sub === '' || below.length > 0, below, prefix };
  }

  async stat(at: VirtualPath, context: ToolContext): Promise<VirtualStat | null> {
    const { file, folder } = await this.find(at, context);
    if (file) return { type: 'file', size: file.size, modifiedAt: new Date(file.updatedAt) };
    return folder ? { type: 'directory', size: 0, modifiedAt: new Date(0) } : null;
  }

  async read(at: VirtualPath, context: ToolContext, maxBytes: number): Promise<Uint8Array> {
    if (at.sub === '') throw codeError('EISDIR', at.shown, 'Use fs.readDir to list a directory.');
    let artifact;
    try {
      artifact = await this.store(at, context).read({ name: at.sub });
    } catch (error) {
      if ((error as { code?: string }).code !== 'NOT_FOUND') return modelErrors(at.sub, () => Promise.reject(error));
      throw (await this.find(at, context)).folder ? codeError('EISDIR', at.shown, 'Use fs.readDir to list a directory.') : codeError('ENOENT', at.shown);
    }
    if (artifact.bytes.length > maxBytes) throw tooLargeToRead(at.shown, artifact.bytes.length, maxBytes);
    return artifact.bytes;
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
    const { file, folder } = await this.find(at, context);
    if (folder) throw codeError('EISDIR', at.shown, 'The path names a directory; write to a file inside it.');
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
    if ((await this.find(at, context)).file) throw codeError('EEXIST', at.shown);
    return false;
  }

  async remove(at: VirtualPath, recursive: boolean, context: ToolContext): Promise<number> {
    if (at.sub === '') throw new ToolError('denied', `${quote(at.shown)} is a mount, which cannot be removed`, { hint: 'Remove the files inside it.' });
    const { file, folder, below } = await this.find(at, context);
    const store = this.store(at, context);
    if (file) return (await modelErrors(at.sub, () => store.delete({ name: at.sub }))) ? 1 : 0;
    if (!folder) throw codeError('ENOENT', at.shown);
    if (!recursive) throw new ToolError('host', `${quote(at.shown)} is a directory`, { hint: 'Pass recursive: true to remove it and its contents.' });
    let removed = 0;
    for (const info of below) if (await modelErrors(info.name, () => store.delete({ name: info.name }))) removed += 1;
    return removed;
  }

  async rename(from: VirtualPath, to: VirtualPath, overwrite: boolean, context: ToolContext): Promise<boolean> {
    const source = await this.find(from, context);
    if (!source.file) {
      if (source.folder) throw new ToolError('host', `${quote(from.shown)} is a folder of artifacts, which moves file by file`, { hint: 'Move each file with fs.move.' });
      throw codeError('ENOENT', from.shown);
    }
    const dest = await this.find(to, context);
    if (dest.folder) throw codeError('EISDIR', to.shown, 'Remove it first with fs.remove({ path, recursive: true }).');
    if (dest.file && !overwrite) throw codeError('EEXIST', to.shown, 'Pass overwrite: true to replace it.');
    if (from.sub === to.sub) return false;
    const store = this.store(from, context);
    const artifact = await modelErrors(from.sub, () => store.read({ name: from.sub }));
    await modelErrors(to.sub, () => store.save({ name: to.sub, data: artifact.data, contentType: artifact.contentType }));
    await modelErrors(from.sub, () => store.delete({ name: from.sub }));
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
