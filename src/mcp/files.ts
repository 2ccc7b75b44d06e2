// The files a run returns (`result.files`), as MCP content of the `execute` result: images as image
// content (a client shows a chart the code drew), text as embedded text resources, anything else as
// embedded blob resources. At most `maxBytes` and MAX_FILES_CARRIED files in all; what is left out is named
// in one note. Paths come from host code: shown quoted and cut, and only the first few listed.
import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import type { RunResult } from '../index.js';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml']);
const TEXT_TYPES = new Set(['application/json', 'application/xml']);
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Files one result carries as content; the rest are named as left out. */
export const MAX_FILES_CARRIED = 20;
/** Files the text names in each line (carried, left out); the rest are counted. */
const FILES_NAMED = 10;
/** Characters of a path shown in the text and the structured result. */
const PATH_CHARS = 200;

/** What the structured result says of each file (its bytes are in the content). */
export interface FileSummary {
  path: string;
  contentType: string;
  size: number;
}

export interface FilesContent {
  /** One block per file carried. */
  blocks: ContentBlock[];
  /** Lines for the text result: the files, and what was left out. Empty without files. */
  text: string;
  /** The files carried (at most MAX_FILES_CARRIED), paths cut. */
  files?: FileSummary[];
  /** The first MAX_FILES_CARRIED of the files left out, paths cut; `filesOmittedCount` counts them all. */
  filesOmitted?: { path: string; size: number }[];
  filesOmittedCount?: number;
}

/** The URI a returned file goes by: `codemode://files/output/chart.svg` (segments percent-encoded). */
export function fileUri(path: string): string {
  return 'codemode://files/' + path.split('/').filter((segment) => segment !== '').map(encodeURIComponent).join('/');
}

export function filesContent(result: RunResult, maxBytes: number): FilesContent {
  const blocks: ContentBlock[] = [];
  const carried: FileSummary[] = [];
  const omitted = [...(result.filesOmitted ?? [])];
  let total = 0;
  for (const file of result.files ?? []) {
    if (carried.length >= MAX_FILES_CARRIED || total + file.size > maxBytes) {
      omitted.push({ path: file.path, size: file.size });
      continue;
    }
    total += file.size;
    carried.push({ path: file.path, contentType: file.contentType, size: file.size });
    blocks.push(block(file.path, file.contentType, file.bytes));
  }
  const lines: string[] = [];
  if (carried.length > 0) lines.push(`Files: ${named(carried, (file) => `${shown(file.path)} (${file.contentType.split(';')[0]}, ${bytes(file.size)})`)}`);
  if (omitted.length > 0) {
    const names = named(omitted, (file) => `${shown(file.path)} (${bytes(file.size)})`);
    lines.push(`Files left out (over the limit of ${MAX_FILES_CARRIED} files and ${maxBytes} bytes in one result): ${names}. Write fewer or smaller files.`);
  }
  return {
    blocks,
    text: lines.join('\n'),
    ...(carried.length > 0 ? { files: carried.map((file) => ({ ...file, path: cut(file.path) })) } : {}),
    ...(omitted.length > 0
      ? { filesOmitted: omitted.slice(0, MAX_FILES_CARRIED).map((file) => ({ path: cut(file.path), size: file.size })), filesOmittedCount: omitted.length }
      : {}),
  };
}

/** The first FILES_NAMED, then how many more. */
function named<T>(files: readonly T[], show: (file: T) => string): string {
  const more = files.length > FILES_NAMED ? ` and ${files.length - FILES_NAMED} more` : '';
  return files.slice(0, FILES_NAMED).map(show).join(', ') + more;
}

function cut(path: string): string {
  return path.length > PATH_CHARS ? `${path.slice(0, PATH_CHARS)}…` : path;
}

/** A path as the text shows it: quoted (a line break in it cannot break the lines) and cut. */
function shown(path: string): string {
  return JSON.stringify(cut(path));
}

function bytes(size: number): string {
  return size === 1 ? '1 byte' : `${size} bytes`;
}

function block(path: string, contentType: string, bytes: Uint8Array): ContentBlock {
  const mimeType = contentType.split(';')[0]!.trim().toLowerCase();
  const base64 = () => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  if (IMAGE_TYPES.has(mimeType)) return { type: 'image', data: base64(), mimeType };
  const uri = fileUri(path);
  if (mimeType.startsWith('text/') || TEXT_TYPES.has(mimeType)) {
    try {
      return { type: 'resource', resource: { uri, mimeType: contentType, text: utf8.decode(bytes) } };
    } catch {
      // Not UTF-8 after all: it goes as bytes.
    }
  }
  return { type: 'resource', resource: { uri, mimeType: contentType, blob: base64() } };
}
