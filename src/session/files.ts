// Files out of a run: tools register collectors (`context.returnFiles`) while the run goes, and when it
// ends the session calls each once and puts what they give in `result.files`, up to `maxFilesBytes` in all.
// Collectors are host code: what they return is checked, and one that throws or returns junk costs the
// run its files from that collector only, never the result.
import { reportFault } from '../fault.js';
import { isContentType } from '../storage/artifacts.js';
import type { ReturnedFile } from '../tools/define.js';
import type { OmittedFile, RunFile, RunFiles } from '../results/types.js';

/** Longest path a returned file may have, in characters. */
const MAX_PATH_CHARS = 4096;

/** Media types by extension, for files a collector did not type. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  xml: 'application/xml',
  js: 'text/javascript; charset=utf-8',
  pdf: 'application/pdf',
};

/** The media type of a path by its extension; `application/octet-stream` when unknown. */
export function contentTypeOf(path: string): string {
  const dot = path.lastIndexOf('.');
  if (dot <= path.lastIndexOf('/')) return 'application/octet-stream';
  return CONTENT_TYPES[path.slice(dot + 1).toLowerCase()] ?? 'application/octet-stream';
}

/** Collects the files of a run, in the order the collectors were registered; the first file of a path wins. */
export class RunFileCollector {
  private readonly collectors: Array<() => Iterable<ReturnedFile>> = [];

  /** `context.returnFiles` of every call of the run. */
  readonly register = (collect: () => Iterable<ReturnedFile>): void => {
    if (typeof collect === 'function') this.collectors.push(collect);
  };

  /** Called once, when the run ends: the files to return, and those past `maxBytes` left out. */
  collect(runId: string, maxBytes: number): RunFiles {
    if (this.collectors.length === 0) return {};
    const files: RunFile[] = [];
    const omitted: OmittedFile[] = [];
    const seen = new Set<string>();
    let total = 0;
    for (const collect of this.collectors.splice(0)) {
      try {
        for (const file of collect()) {
          const checked = check(file);
          if (seen.has(checked.path)) continue;
          seen.add(checked.path);
          if (total + checked.size > maxBytes) {
            omitted.push({ path: checked.path, size: checked.size });
            continue;
          }
          total += checked.size;
          files.push(checked);
        }
      } catch (error) {
        reportFault(`collecting the files of run ${runId}`, error);
      }
    }
    return { ...(files.length > 0 ? { files } : {}), ...(omitted.length > 0 ? { filesOmitted: omitted } : {}) };
  }
}

/** A collector's file as a RunFile; throws (caught above) for anything that is not one. */
function check(file: ReturnedFile): RunFile {
  const { path, bytes, contentType } = file ?? ({} as ReturnedFile);
  if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_CHARS) {
    throw new TypeError(`a returned file needs a path of 1 to ${MAX_PATH_CHARS} characters`);
  }
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`returned file ${JSON.stringify(path.slice(0, 200))} has no Uint8Array bytes`);
  // A media type only: control characters or line breaks would reach the MCP mimeType and the result text.
  const type = isContentType(contentType) ? contentType : contentTypeOf(path);
  return { path, size: bytes.length, contentType: type, bytes };
}
