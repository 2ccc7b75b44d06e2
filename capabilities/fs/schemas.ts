// The zod shapes of the fs tools: what the model sends and gets back. Declarations shown to the model are
// generated from these, so descriptions are terse and exact. No logic here.
import { z } from 'zod';

export const path = z.string().describe('Relative to the first root, or absolute.');
const encoding = z.enum(['utf8', 'base64']).optional().describe("'utf8' (default) for text, 'base64' for bytes.");
const overwrite = z.boolean().optional().describe('Replace an existing file at `to` (default false).');

export const readFileInput = z.strictObject({ path, encoding });
export const readFileOutput = z.string().describe('The file as text, or as base64 with encoding "base64".');

export const writeFileInput = z.strictObject({ path, content: z.string(), encoding });
export const writeFileOutput = z.strictObject({ bytesWritten: z.number().int() });

export const appendFileInput = writeFileInput;
export const appendFileOutput = z.strictObject({
  bytesWritten: z.number().int(),
  size: z.number().int().describe('File size in bytes after the append.'),
});

export const entryType = z.enum(['file', 'directory', 'symlink', 'other']);
export const readDirInput = z.strictObject({ path });
export const readDirOutput = z.strictObject({
  entries: z.array(z.strictObject({ name: z.string(), type: entryType })).describe('Sorted by name.'),
  truncated: z.boolean().describe('True when the directory holds more entries than the limit; the rest are not listed.'),
});

export const statInput = z.strictObject({ path });
export const statOutput = z
  .strictObject({
    type: z.enum(['file', 'directory']),
    size: z.number().int().describe('Bytes.'),
    modifiedAt: z.string().describe('ISO 8601.'),
    writable: z.boolean().describe('Whether it may be changed: a writable root holds it, and a file has no other hard links.'),
  })
  .nullable()
  .describe('null when nothing exists at the path.');

export const mkdirInput = z.strictObject({
  path,
  recursive: z.boolean().optional().describe('Create missing parents; no error if it exists (default false).'),
});
export const mkdirOutput = z.strictObject({ created: z.boolean() });

export const removeInput = z.strictObject({
  path,
  recursive: z.boolean().optional().describe('Required to remove a directory, with its contents (default false).'),
});
export const removeOutput = z.strictObject({ removed: z.number().int().describe('Entries removed, counting the path itself.') });

export const moveInput = z.strictObject({ from: path, to: path, overwrite });
export const moveOutput = z.strictObject({ overwritten: z.boolean() });

export const copyInput = z.strictObject({ from: path, to: path, overwrite });
export const copyOutput = z.strictObject({ bytesCopied: z.number().int() });
