// The zod shapes of the fs tools: what the model sends and gets back. Declarations shown to the model are
// generated from these, so descriptions are terse and exact. No logic here.
import { z } from 'zod';

/** How `path` is described to the model: relative to the first root, or (with mounts) to `/`. */
export const ROOTS_PATH = 'Relative to the first root, or absolute.';
export const MOUNTS_PATH = 'Absolute, under a mount; relative paths start at /.';

export type FsSchemas = ReturnType<typeof fsSchemas>;

/** The shapes of every fs tool, with `path` described as `pathText`, and `word` naming roots or mounts. */
export function fsSchemas(pathText: string, word: 'root' | 'mount') {
  const path = z.string().describe(pathText);
  const encoding = z.enum(['utf8', 'base64']).optional().describe("'utf8' (default) for text, 'base64' for bytes.");
  const overwrite = z.boolean().optional().describe('Replace an existing file at `to` (default false).');

  const readFileInput = z.strictObject({ path, encoding });
  const readFileOutput = z.string().describe('The file as text, or as base64 with encoding "base64".');

  const writeFileInput = z.strictObject({ path, content: z.string(), encoding });
  const writeFileOutput = z.strictObject({ bytesWritten: z.number().int() });

  const appendFileInput = writeFileInput;
  const appendFileOutput = z.strictObject({
    bytesWritten: z.number().int(),
    size: z.number().int().describe('File size in bytes after the append.'),
  });

  const entryType = z.enum(['file', 'directory', 'symlink', 'other']);
  const readDirInput = z.strictObject({ path });
  const readDirOutput = z.strictObject({
    entries: z.array(z.strictObject({ name: z.string(), type: entryType })).describe('Sorted by name.'),
    truncated: z.boolean().describe('True when the directory holds more entries than the limit; the rest are not listed.'),
  });

  const statInput = z.strictObject({ path });
  const statOutput = z
    .strictObject({
      type: z.enum(['file', 'directory']),
      size: z.number().int().describe('Bytes.'),
      modifiedAt: z.string().describe('ISO 8601.'),
      writable: z.boolean().describe(`Whether it may be changed: a writable ${word} holds it, and a file has no other hard links.`),
    })
    .nullable()
    .describe('null when nothing exists at the path.');

  const mkdirInput = z.strictObject({
    path,
    recursive: z.boolean().optional().describe('Create missing parents; no error if it exists (default false).'),
  });
  const mkdirOutput = z.strictObject({ created: z.boolean() });

  const removeInput = z.strictObject({
    path,
    recursive: z.boolean().optional().describe('Required to remove a directory, with its contents (default false).'),
  });
  const removeOutput = z.strictObject({ removed: z.number().int().describe('Entries removed, counting the path itself.') });

  const moveInput = z.strictObject({ from: path, to: path, overwrite });
  const moveOutput = z.strictObject({ overwritten: z.boolean() });

  const copyInput = z.strictObject({ from: path, to: path, overwrite });
  const copyOutput = z.strictObject({ bytesCopied: z.number().int() });
  return { readFileInput, readFileOutput, writeFileInput, writeFileOutput, appendFileInput, appendFileOutput, entryType, readDirInput, readDirOutput, statInput, statOutput, mkdirInput, mkdirOutput, removeInput, removeOutput, moveInput, moveOutput, copyInput, copyOutput };
}
