// The files a run returns (`result.files`), as MCP content of the `execute` result: images as image
// content (a client shows a chart the code drew), text as embedded text resources, anything else as
// embedded blob resources. At most `maxBytes` of files in all; what is left out is named in one note.
import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import type { RunResult } from '../index.js';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml']);
const TEXT_TYPES = new Set(['application/json', 'application/xml']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

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
  files?: FileSummary[];
  filesOmitted?: { path: string; size: number }[];
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
    if (total + file.size > maxBytes) {
      omitted.push({ path: file.path, size: file.size });
      continue;
    }
    total += file.size;
    carried.push({ path: file.path, contentType: file.contentType, size: file.size });
    blocks.push(block(file.path, file.contentType, file.bytes));
  }
  const lines: string[] = [];
  if (carried.length > 0) lines.push(`Files: ${carried.map((file) => `${file.path} (${file.contentType.split(';')[0]}, ${bytes(file.size)})`).join(', ')}`);
  if (omitted.length > 0) {
    const names = omitted.slice(0, 10).map((file) => `${file.path} (${bytes(file.size)})`).join(', ');
    const more = omitted.length > 10 ? ` and ${omitted.length - 10} more` : '';
    lines.push(`Files left out (over the ${maxBytes}-byte limit for files in one result): ${names}${more}. Write fewer or smaller files.`);
  }
  return {
    blocks,
    text: lines.join('\n'),
    ...(carried.length > 0 ? { files: carried } : {}),
    ...(omitted.length > 0 ? { filesOmitted: omitted } : {}),
  };
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
