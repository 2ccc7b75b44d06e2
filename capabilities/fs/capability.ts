// FsCapability: file access limited to allowlisted roots, read-only unless a root is marked writable.
// Options are checked once here; the tools get frozen roots and limits and nothing else from the host.
import type { Capability, ToolDefinition } from '../shared/public-api.js';
import { knownKeys, optionsObject, positiveInteger } from '../shared/options.js';
import type { FsContext } from './context.js';
import { readDirTool, readFileTool, statTool } from './read-tools.js';
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

export interface FsCapabilityOptions {
  /**
   * The roots model code may reach: a path (read-only) or `{ path, write: true }`. Each must exist.
   * The first must be a directory: relative model paths resolve against it. Relative roots resolve
   * against the process's working directory at construction.
   */
  readonly allowedPaths: readonly AllowedPath[];
  /** Largest file `fs.readFile` returns, in bytes. Default {@link DEFAULT_MAX_READ_BYTES} (4 MiB). */
  readonly maxReadBytes?: number;
  /** Largest content written by one call, and largest file left by a write, append or copy. Default 4 MiB. */
  readonly maxWriteBytes?: number;
  /** Most entries `fs.readDir` lists. Default {@link DEFAULT_MAX_DIR_ENTRIES} (1000). */
  readonly maxDirEntries?: number;
}

const WHERE = 'FsCapability';

/** `codemode.fs.*`: read (and, under writable roots, change) files inside the allowed roots only. */
export class FsCapability implements Capability {
  readonly name = 'fs';
  readonly description: string;
  readonly tools: readonly ToolDefinition[];

  constructor(options: FsCapabilityOptions) {
    const raw = optionsObject(WHERE, options);
    knownKeys(WHERE, raw, ['allowedPaths', 'maxReadBytes', 'maxWriteBytes', 'maxDirEntries']);
    const roots = new Roots(buildRoots(WHERE, raw.allowedPaths));
    const context: FsContext = Object.freeze({
      roots,
      limits: Object.freeze({
        maxReadBytes: positiveInteger(WHERE, 'maxReadBytes', raw.maxReadBytes, DEFAULT_MAX_READ_BYTES),
        maxWriteBytes: positiveInteger(WHERE, 'maxWriteBytes', raw.maxWriteBytes, DEFAULT_MAX_WRITE_BYTES),
        maxDirEntries: positiveInteger(WHERE, 'maxDirEntries', raw.maxDirEntries, DEFAULT_MAX_DIR_ENTRIES),
      }),
    });
    this.description = `Files under ${roots.list.map((r) => (r.write ? `${r.shown} (writable)` : `${r.shown} (read-only)`)).join(', ')}. Relative paths start at ${roots.base.shown}.`;
    const reading = [readFileTool(context), readDirTool(context), statTool(context)];
    // Without a writable root, the tools that change files could only ever be refused: leave them out, so
    // the model is not told about them (they are half of what it would read).
    const writing = roots.list.some((root) => root.write)
      ? [writeFileTool(context), appendFileTool(context), mkdirTool(context), removeTool(context), moveTool(context), copyTool(context)]
      : [];
    this.tools = Object.freeze([...reading, ...writing]);
  }
}
