// A workflow's frames in a stack or a console line read `workflow:<name>:line:column` in the JavaScript the
// sandbox ran; the model must read positions in the workflow's own code. Rewrites them through the mapping
// its compilation made, for the version the run used (the run's tool set says which).
import { fromMapping } from '../normalize/mapping.js';
import type { Position } from '../normalize/normalize.js';
import { WORKFLOWS } from '../bridge/protocol.js';
import type { ToolDefinition } from '../tools/define.js';
import type { ToolSet } from '../tools/registry.js';
import type { LoadedWorkflow } from './library.js';

const FRAME = /workflow:([A-Za-z_$][\w$]*):(\d+):(\d+)/g;

/** The loaded workflow behind each workflow tool (set by tools.ts when it makes the tool). */
export const workflowOfTool = new WeakMap<ToolDefinition, LoadedWorkflow>();
const lookups = new WeakMap<LoadedWorkflow, (position: Position) => Position | undefined>();
const namesOf = new WeakMap<ToolSet, string[]>();

/** The names in `tools` that are workflow tools, worked out once per tool set (runs share a set). */
export function workflowNames(tools: ToolSet): string[] {
  let names = namesOf.get(tools);
  if (!names) {
    names = tools.names().filter((name) => {
      const tool = tools.get(name);
      return tool !== undefined && workflowOfTool.has(tool.definition);
    });
    namesOf.set(tools, names);
  }
  return names;
}

/** Maps the workflow positions in `text` for a run of `tools`; text without any comes back as it is. */
export function mapWorkflowFrames(text: string, tools: ToolSet): string {
  if (!text.includes('workflow:')) return text;
  return text.replace(FRAME, (all, name: string, line: string, column: string) => {
    const tool = tools.get(`${WORKFLOWS.namespace}.${name}`);
    const loaded = tool && workflowOfTool.get(tool.definition);
    if (!loaded?.compiled) return all;
    let toOriginal = lookups.get(loaded);
    if (!toOriginal) lookups.set(loaded, (toOriginal = fromMapping(loaded.record.code, loaded.compiled.mapping)));
    const position = toOriginal({ line: Number(line), column: Number(column) });
    return position ? `workflow:${name}:${position.line}:${position.column}` : `workflow:${name}`;
  });
}
