// FsCapability: file access limited to allowlisted roots, read-only unless a root is marked writable.
// Options are checked once here; the tools get frozen roots and limits and nothing else from the host.
import type { Capability, ToolDefinition } from '../shared/public-api.js';
import { invalidOption, knownKeys, optionsObject, positiveInteger } from '../shared/options.js';
import { MountTable, type MountSpec } from './mounts.js';
import { MOUNTS_PATH, ROOTS_PATH, fsSchemas } from './schemas.js';
import type { FsContext } from './context.js';
import { readDirTool, readFileTool, statTool } from './read-tools.js';
import { formatBytes } from '../shared/text.js';
import { WriteQuota } from './quota.js';
import { Roots, buildRoots, type AllowedPath } from './roots.js';
import { copyTool, moveTool, removeTool } from './tree-tools.js';
import { appendFileTool, mkdirTool, writeFileTool } from './write-tools.js';

// 4 MiB: as base64 (5.6M characters) a file this size still fits the executor's default cap on values
// crossing the bridge (8M characters), so the limit the model meets is this one, with its clear message.
/** Largest file `readFile` returns, in bytes, unless `maxReadBytes` says otherwise. */
export const DEFAULT_MAX_READ_BYTES = 4 * 1024 * 1024;
/** Largest content one write takes, and largest file a write, append or copy may leave, in bytes. */
export const DEFAULT_MAX_WRITE_BYTES = 4 * 1024 * 1024;
/** Most entries `readDir` lists before it reports `truncated: true`. */
export const DEFAULT_MAX_DIR_ENTRIES = 1000;
// 64 MiB is 16 of the largest writes. Measured through an executor (loaded 2-core machine), a run writing
// 4 MiB files in a loop reached it in 4.7–6.3 s, one creating 1-byte files made 1,000 in 2.8–5.7 s: a
// runaway loop is stopped within seconds instead of writing for the whole 30 s time limit (the issue's
// attempt wrote 200 MB in 6 s). 1,000 creates is far more than a generated project or a batch of reports
// takes, and bounds the inodes one run can use. No default over the capability's life: a count that never
// resets would one day stop every write of a long-lived server.
/** Bytes the writes of one run may write together (writeFile, appendFile, copy), unless `maxRunWriteBytes` says otherwise. */
export const DEFAULT_MAX_RUN_WRITE_BYTES = 64 * 1024 * 1024;
/** Files and directories one run may create, unless `maxRunFilesCreated` says otherwise. */
export const DEFAULT_MAX_RUN_FILES_CREATED = 1000;

export interface FsCapabilityOptions {
  /**
   * The roots model code may reach: a path (read-only) or `{ path, write: true }`. Each must exist.
   * The first must be a directory: relative model paths resolve against it. Relative roots resolve
   * against the process's working directory at construction. Give this or `mounts`, not both.
   */
  readonly allowedPaths?: readonly AllowedPath[];
  /**
   * One virtual tree, keyed by the paths the model sees (`/data`), instead of `allowedPaths`: a real
   * directory `{ dir, write? }`, host-resolved files `{ files: { name: fn } }` or `{ resolve, list? }`,
   * an in-memory directory `{ memory: true }` whose files come back with the result, or the artifacts of
   * the executor's storage `{ artifacts: true }`. The model never sees a host path.
   */
  readonly mounts?: Readonly<Record<string, MountSpec>>;
  /** Largest file `fs.readFile` returns, in bytes. Default {@link DEFAULT_MAX_READ_BYTES} (4 MiB). */
  readonly maxReadBytes?: number;
  /** Largest content written by one call, and largest file left by a write, append or copy. Default 4 MiB. */
  readonly maxWriteBytes?: number;
  /** Most entries `fs.readDir` lists. Default {@link DEFAULT_MAX_DIR_ENTRIES} (1000). */
  readonly maxDirEntries?: number;
  /** Bytes all writes of one run may write together. Default {@link DEFAULT_MAX_RUN_WRITE_BYTES} (64 MiB). */
  readonly maxRunWriteBytes?: number;
  /** Files and directories one run may create. Default {@link DEFAULT_MAX_RUN_FILES_CREATED} (1000). */
  readonly maxRunFilesCreated?: number;
  /**
   * Bytes written over this capability's life, by every run of every executor that uses it. It never
   * resets, so a long-lived server would one day refuse every write: set it only for a bounded job.
   * Default: no limit.
   */
  readonly maxTotalWriteBytes?: number;
  /** Files and directories created over this capability's life. Default: no limit. */
  readonly maxTotalFilesCreated?: number;
}

const WHERE = 'FsCapability';

/** `codemode.fs.*`: read (and, under writable roots, change) files inside the allowed roots only. */
export class FsCapability implements Capability {
  readonly name = 'fs';
  readonly description: string;
  readonly tools: readonly ToolDefinition[];

  constructor(options: FsCapabilityOptions) {
    const raw = optionsObject(WHERE, options);
    knownKeys(WHERE, raw, [
      'allowedPaths',
      'mounts',
      'maxReadBytes',
      'maxWriteBytes',
      'maxDirEntries',
      'maxRunWriteBytes',
      'maxRunFilesCreated',
      'maxTotalWriteBytes',
      'maxTotalFilesCreated',
    ]);
    if (raw.allowedPaths !== undefined && raw.mounts !== undefined) {
      invalidOption(WHERE, 'options', 'an object with `allowedPaths` or `mounts`, not both', raw);
    }
    const limits = Object.freeze({
      maxReadBytes: positiveInteger(WHERE, 'maxReadBytes', raw.maxReadBytes, DEFAULT_MAX_READ_BYTES),
      maxWriteBytes: positiveInteger(WHERE, 'maxWriteBytes', raw.maxWriteBytes, DEFAULT_MAX_WRITE_BYTES),
      maxDirEntries: positiveInteger(WHERE, 'maxDirEntries', raw.maxDirEntries, DEFAULT_MAX_DIR_ENTRIES),
    });
    const mounts = raw.mounts === undefined ? undefined : new MountTable(WHERE, raw.mounts, limits.maxReadBytes);
    const roots = mounts ? mounts.roots : new Roots(buildRoots(WHERE, raw.allowedPaths));
    const context: FsContext = Object.freeze({
      roots,
      mounts,
      schemas: fsSchemas(mounts ? MOUNTS_PATH : ROOTS_PATH, roots.words.word),
      limits,
      quota: new WriteQuota({
        runBytes: positiveInteger(WHERE, 'maxRunWriteBytes', raw.maxRunWriteBytes, DEFAULT_MAX_RUN_WRITE_BYTES),
        runFiles: positiveInteger(WHERE, 'maxRunFilesCreated', raw.maxRunFilesCreated, DEFAULT_MAX_RUN_FILES_CREATED),
        totalBytes: positiveInteger(WHERE, 'maxTotalWriteBytes', raw.maxTotalWriteBytes, Infinity),
        totalFiles: positiveInteger(WHERE, 'maxTotalFilesCreated', raw.maxTotalFilesCreated, Infinity),
      }),
    });
    const writable = mounts ? mounts.writable : roots.list.some((root) => root.write);
    const { runBytes, runFiles } = context.quota.limits;
    this.description =
      (mounts
        ? mounts.describe()
        : `Files under ${roots.list.map((r) => (r.write ? `${r.shown} (writable)` : `${r.shown} (read-only)`)).join(', ')}. Relative paths start at ${roots.base.shown}.`) +
      (writable ? ` One run may write ${formatBytes(runBytes)} and create ${runFiles} files or directories in all.` : '');
    const reading = [readFileTool(context), readDirTool(context), statTool(context)];
    // Without a writable root, the tools that change files could only ever be refused: leave them out, so
    // the model is not told about them (they are half of what it would read).
    const writing = writable
      ? [writeFileTool(context), appendFileTool(context), mkdirTool(context), removeTool(context), moveTool(context), copyTool(context)]
      : [];
    this.tools = Object.freeze([...reading, ...writing]);
  }
}
