// The `workflows` capability model code sees: `save`, `list`, `get` and `delete` manage the library, and
// each workflow is one more tool, `codemode.workflows.<name>(input)`, typed from its `run` signature. A
// workflow's tool validates the input (the pipeline does, against the schema from `run`'s parameter type)
// and answers with the workflow's compiled code (a `WorkflowCode`), which the harness runs in the calling
// run's own isolate: so workflows share the run's limits, and their host calls go through its pipeline.
import { z } from 'zod';
import { WORKFLOWS, type WorkflowCode } from '../bridge/protocol.js';
import { CodemodeError } from '../errors.js';
import { defineTool, type Capability, type ToolDefinition } from '../tools/define.js';
import { ToolError } from '../tools/tool-error.js';
import { MAX_CODE_CHARS } from '../prepare/prepare.js';
import { MAX_DESCRIPTION_LENGTH } from '../storage/workflows.js';
import type { ToolEntry } from '../types/declarations.js';
import type { JsonSchemaObject } from '../types/json-schema.js';
import type { LoadedWorkflow, WorkflowLibrary } from './library.js';
import { workflowOfTool } from './positions.js';

/** A stale workflow's description carries the first line of its diagnostic, cut to this length. */
const MAX_STALE_NOTE = 160;

const NAME = z.string().describe('A JavaScript identifier, e.g. "sumInvoices".');
const INFO = z.object({
  name: z.string(),
  description: z.string(),
  version: z.number(),
  updatedAt: z.string(),
  stale: z.string().optional().describe('Set when the code no longer type-checks against the current tools: the diagnostic.'),
});

export function workflowsCapability(library: WorkflowLibrary, loaded: readonly LoadedWorkflow[]): Capability {
  const workflows = loaded.flatMap((entry) => (entry.compiled ? [workflowTool(entry)] : []));
  return {
    name: WORKFLOWS.namespace,
    description: 'Reusable code saved by earlier runs. Call a workflow as codemode.workflows.<name>(input).',
    tools: [...management(library), ...workflows],
  };
}

function management(library: WorkflowLibrary): ToolDefinition[] {
  return [
    defineTool({
      name: 'save',
      description:
        'Save reusable code as a workflow: TypeScript or JavaScript defining `async function run(input: {...}): Promise<...>`. ' +
        'It is type-checked against this API first; the next runs (not this one) call it as codemode.workflows.<name>(input).',
      // Sizes are refused here, before a worker spends its time compiling code whose save would fail.
      input: z.object({ name: NAME, description: z.string().max(MAX_DESCRIPTION_LENGTH).describe('One line: what it does.'), code: z.string().max(MAX_CODE_CHARS) }),
      output: INFO,
      run: (input) => modelErrors(() => library.save(input)),
    }),
    defineTool({
      name: 'list',
      description: 'The saved workflows: name, description, and `stale` when one no longer type-checks.',
      input: z.object({}),
      output: z.array(INFO),
      run: () => library.list(),
    }),
    defineTool({
      name: 'get',
      description: 'One saved workflow with its code.',
      input: z.object({ name: NAME }),
      output: INFO.extend({ code: z.string() }),
      run: async ({ name }) => {
        const record = await modelErrors(() => library.get({ name }));
        if (!record) throw new ToolError('invalid_input', `there is no workflow named "${name}"`, { hint: 'See the saved workflows with codemode.workflows.list().' });
        return record;
      },
    }),
    defineTool({
      name: 'delete',
      description: 'Delete a saved workflow. Resolves to whether it existed.',
      input: z.object({ name: NAME }),
      output: z.object({ deleted: z.boolean() }),
      run: async ({ name }) => ({ deleted: await modelErrors(() => library.delete({ name })) }),
    }),
  ];
}

/** Each loaded workflow's tool, made once: a change to one workflow does not convert the others' schemas again. */
const toolOfLoaded = new WeakMap<LoadedWorkflow, ToolDefinition>();

/** The tool behind `codemode.workflows.<name>`: validates the input, answers with the code to run. */
function workflowTool(loaded: LoadedWorkflow): ToolDefinition {
  const known = toolOfLoaded.get(loaded);
  if (known) return known;
  const { record, compiled } = loaded;
  const { input, output, source } = compiled!;
  const key = `${record.name}@${record.version}`;
  const note = record.stale === undefined ? '' : ` [stale: ${firstLine(record.stale)}]`;
  const tool = defineTool({
    name: record.name,
    description: record.description + note,
    input: validator(input),
    jsonSchema: { input, output: Object.keys(output).length === 0 ? undefined : output },
    run: (value): WorkflowCode => ({ key, source, input: value }),
  });
  workflowOfTool.set(tool, loaded);
  toolOfLoaded.set(loaded, tool);
  return tool;
}

/** zod for the host's check of a call's input; a schema zod cannot read lets any object through. */
function validator(schema: JsonSchemaObject): z.ZodType {
  try {
    return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return z.record(z.string(), z.unknown());
  }
}

/** The first diagnostic, without the (long) type it quotes: "line 2:25 TS2339: Property 'x' does not exist." */
function firstLine(text: string): string {
  const line = text.split('\n')[0]!.replace(/ on type '\{[^']*'/, '');
  return line.length <= MAX_STALE_NOTE ? line : `${line.slice(0, MAX_STALE_NOTE - 1)}…`;
}

/** The library's refusals (a bad name, code that does not compile, a conflict) reach model code as `invalid_input`. */
async function modelErrors<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof CodemodeError && error.code !== 'STORAGE_UNAVAILABLE' && error.code !== 'STORAGE_CLOSED' && error.code !== 'STORAGE_CORRUPT') {
      throw new ToolError('invalid_input', error.message, { name: 'WorkflowError', ...(error.code === 'WORKFLOW_INVALID' ? { hint: 'Fix the code at the lines shown and save again; codemode.workflows.* and the other tools are typed as in the declarations.' } : {}) });
    }
    throw error;
  }
}

/**
 * The entries a search looks through: save, list, get and delete only when the query speaks of workflows.
 * Otherwise their plain names outrank the tools a query means ("list directory" is not `workflows.list`);
 * the model learns of them from the declarations and the execute description.
 */
export function searchableEntries(entries: readonly ToolEntry[], query: unknown): readonly ToolEntry[] {
  if (typeof query !== 'string' || /workflow/i.test(query)) return entries;
  const managed = entries.filter((entry) => isManagement(entry.path));
  return managed.length === 0 ? entries : entries.filter((entry) => !isManagement(entry.path));
}

function isManagement(path: readonly string[]): boolean {
  return path.length === 2 && path[0] === WORKFLOWS.namespace && (WORKFLOWS.manage as readonly string[]).includes(path[1]!);
}
