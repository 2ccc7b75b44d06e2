// ArtifactsCapability: `codemode.artifacts.*`, data a run saves for later runs, the host and the CLI, kept in
// a Storage (FileStorage or RedisStorage). Built only on the public API: defineTool here, the `Artifacts`
// store of `codemode/storage` underneath. The store's refusals become model errors that never show where
// the store lives (no host paths, no Redis address).
import { z } from 'zod';
import { Artifacts, CodemodeError, ToolError, defineTool, type Capability, type Storage, type ToolDefinition } from '../shared/public-api.js';
import { invalidOption, knownKeys, optionsObject } from '../shared/options.js';

export interface ArtifactsCapabilityOptions {
  /** Where artifacts live: `new FileStorage({ dir })` or `new RedisStorage({ url })` from `codemode/storage`. */
  readonly storage: Storage;
}

const WHERE = 'ArtifactsCapability';

const name = z.string().describe('e.g. "report.csv" or "runs/2024-06-01.json"; "/" separates folders.');
const data = z.unknown().describe('Text, any JSON value, or bytes (Uint8Array).');
const info = z.strictObject({
  name: z.string(),
  kind: z.enum(['text', 'json', 'bytes']).describe('What load() returns: a string, a JSON value, or a Uint8Array.'),
  contentType: z.string(),
  size: z.number().int().describe('Bytes.'),
  createdAt: z.string().describe('ISO 8601.'),
  updatedAt: z.string().describe('ISO 8601.'),
});

const saveInput = z.strictObject({
  name,
  data,
  contentType: z.string().optional().describe('Media type, e.g. "text/csv". Default by kind: text/plain, application/json, application/octet-stream.'),
});
const saveOutput = z.strictObject({ name: z.string(), size: z.number().int().describe('Bytes stored.'), version: z.number().int() });
const loadInput = z.strictObject({ name });
const loadOutput = data.describe('The data as saved: a string, a JSON value, or a Uint8Array.');
const listInput = z.strictObject({}).optional();
const listOutput = z.array(info).describe('Sorted by name.');
const deleteInput = z.strictObject({ name });
const deleteOutput = z.strictObject({ deleted: z.boolean().describe('False when there was no artifact of that name.') });

/** `codemode.artifacts.*`: save, load, list and delete artifacts in one store. */
export class ArtifactsCapability implements Capability {
  readonly name = 'artifacts';
  readonly description = 'Data kept after the run ends, by name: text, JSON values or bytes. The host sees the same artifacts.';
  readonly tools: readonly ToolDefinition[];

  constructor(options: ArtifactsCapabilityOptions) {
    const raw = optionsObject(WHERE, options);
    knownKeys(WHERE, raw, ['storage']);
    const storage = raw.storage as Storage;
    if (typeof storage !== 'object' || storage === null || typeof storage.get !== 'function' || typeof storage.put !== 'function') {
      invalidOption(WHERE, 'storage', 'a Storage (FileStorage or RedisStorage from codemode/storage)', raw.storage);
    }
    const artifacts = new Artifacts(storage);
    this.tools = Object.freeze([
      defineTool({
        name: 'save',
        description: 'Saves data under a name, replacing any artifact of that name. It loads back as the same kind.',
        input: saveInput,
        output: saveOutput,
        run: (input) =>
          modelErrors(input.name, async () => {
            const saved = await artifacts.save({ name: input.name, data: input.data as never, ...(input.contentType !== undefined ? { contentType: input.contentType } : {}) });
            return { name: saved.name, size: saved.size, version: saved.version };
          }),
      }),
      defineTool({
        name: 'load',
        description: 'The data of an artifact as saved. Rejects when there is none of that name.',
        input: loadInput,
        output: loadOutput,
        run: ({ name }) => modelErrors(name, () => artifacts.load({ name })),
      }),
      defineTool({
        name: 'list',
        description: 'Every artifact, without its data.',
        input: listInput,
        output: listOutput,
        run: () => modelErrors(undefined, async () => (await artifacts.list()).map(({ version: _, ...rest }) => rest)),
      }),
      defineTool({
        name: 'delete',
        description: 'Deletes an artifact.',
        input: deleteInput,
        output: deleteOutput,
        run: ({ name }) => modelErrors(name, async () => ({ deleted: await artifacts.delete({ name }) })),
      }),
    ]);
  }
}

/** Turns the store's CodemodeErrors into model errors: bad input is `invalid_input`, the rest `host`. */
export async function modelErrors<T>(name: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof CodemodeError)) throw error;
    const quoted = JSON.stringify(name);
    switch (error.code) {
      case 'INVALID_NAME':
      case 'INVALID_DATA':
        throw new ToolError('invalid_input', error.message.replace(/^expected name /, 'expected the artifact name '));
      case 'NOT_FOUND':
        throw new ToolError('host', `no artifact named ${quoted}`, { hint: 'codemode.artifacts.list() shows the saved names.' });
      case 'TOO_LARGE':
      case 'STORAGE_FULL':
        throw new ToolError('host', error.message.replace(/ \((maxEntryBytes|maxEntries)\)/, ''));
      default:
        // Unavailable, busy, damaged, closed: the message would show where the store lives; the model
        // gets the fact, the host's own calls get the details.
        throw new ToolError('host', `the artifact store failed (${error.code})`, { hint: 'Try again later; artifacts saved before are kept.' });
    }
  }
}
