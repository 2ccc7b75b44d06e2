// The descriptions of the `execute` and `search` tools: the only documentation a model reads before it
// writes code, so they are product text. Short, exact, tested word for word in test/mcp/describe.test.ts.
//
// The execute description carries the rules and the API. With search enabled and an API too long to send
// on every request, it carries only the tool names and points to `search` for their types.

export interface ExecuteDescriptionInput {
  /** `declare const codemode: { ... }` with its types, from `executor.declarations()`. */
  declarations: string;
  /** Every full tool name (`getWeather`, `fs.readFile`), for the catalog form. */
  names: readonly string[];
  /** Namespaces listed in the catalog form as one line each instead of their tools' names. */
  namespaces?: readonly NamespaceSummary[];
  /** The server's time limit per run, in ms. */
  timeoutMs: number;
  /** Whether the `search` tool exists. */
  search: boolean;
  /** With search, declarations longer than this are replaced by the catalog of names. */
  inlineDeclarationChars: number;
  /** Whether variables persist between runs (each MCP session has a workspace). Default false. */
  workspaces?: boolean;
  /** Saved workflows (with a storage): listed one line each in the catalog form, within MAX_WORKFLOW_LIST_CHARS. */
  workflows?: readonly WorkflowSummary[];
  /** The executor's modules (`modules` option), listed by name and version in one rule line. */
  modules?: readonly { name: string; version: string }[];
}

export interface WorkflowSummary {
  name: string;
  description: string;
  stale: boolean;
}

/** The workflow lines of the catalog form, at most (≈ 400 tokens): the rest are counted and left to `search`. */
export const MAX_WORKFLOW_LIST_CHARS = 1600;
/** One workflow's line is cut here. */
const MAX_WORKFLOW_LINE_CHARS = 120;

export interface NamespaceSummary {
  name: string;
  tools: number;
  /** One line; may be empty. */
  description: string;
}

/** Whether the execute description lists only names (true) or carries the full declarations. */
export function usesCatalog(input: ExecuteDescriptionInput): boolean {
  return input.search && input.declarations.length > input.inlineDeclarationChars;
}

export function executeDescription(input: ExecuteDescriptionInput): string {
  const rules = [
    "Run JavaScript that calls this host's tools, and get back what it returns. Do all the steps of a task in one run.",
    '- Send a function body (top-level await; `return` gives the result) or one async arrow function. TypeScript is fine.',
    '- Call tools as `await codemode.<name>(input)`; run independent calls at once with `Promise.all`.',
    "- A rejected call is an Error with `e.kind` ('denied', 'host', 'invalid_input', ...); catch it to adapt.",
    '- console.log output is returned with the result.',
    input.workspaces ? WORKSPACE_RULE : STATELESS_RULE,
    '- Only standard JavaScript: no fetch, require, process or timers; reach the outside only through `codemode`.',
    ...(input.modules?.length ? [modulesRule(input.modules, input.search)] : []),
    `- Time limit: ${input.timeoutMs} ms per run.`,
  ].join('\n');
  if (input.names.length === 0) return `${rules}\n\nNo tools are available: \`codemode\` is empty.`;
  if (usesCatalog(input)) {
    const namespaces = input.namespaces ?? [];
    const summarized = new Set(namespaces.map((namespace) => namespace.name));
    if (input.workflows) summarized.add('workflows');
    const loose = input.names.filter((name) => !summarized.has(name.split('.')[0]!) || !name.includes('.'));
    const lines = namespaces.map(({ name, tools, description }) => {
      const about = description ? oneLine(description) : firstNames(input.names, name);
      return `- codemode${member(name)}: ${tools} tool${tools === 1 ? '' : 's'}${about ? `: ${about}` : ''}`;
    });
    if (loose.length > 0) lines.unshift(loose.join(', '));
    if (input.workflows) lines.push(...workflowLines(input.workflows));
    return `${rules}\n\nTools (use \`search\` to get their types before calling them):\n${lines.join('\n')}`;
  }
  return `${rules}\n\nAPI:\n\`\`\`ts\n${input.declarations.trimEnd()}\n\`\`\``;
}

/** The workflows namespace in the catalog: what it is, then one line per workflow while the budget lasts. */
function workflowLines(workflows: readonly WorkflowSummary[]): string[] {
  const lines = ['- codemode.workflows: saved code, called as `await codemode.workflows.<name>(input)`; save, list, get and delete manage it'];
  let used = 0;
  for (const [index, { name, description, stale }] of workflows.entries()) {
    let line = `  - ${name}${stale ? ' (stale)' : ''}: ${oneLine(description)}`;
    if (line.length > MAX_WORKFLOW_LINE_CHARS) line = `${line.slice(0, MAX_WORKFLOW_LINE_CHARS - 1)}…`;
    if (used + line.length > MAX_WORKFLOW_LIST_CHARS) {
      lines.push(`  - and ${workflows.length - index} more (search or codemode.workflows.list())`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines;
}

/** A namespace without a description is shown by its first tools' names. */
function firstNames(names: readonly string[], namespace: string): string {
  const inside = names.filter((name) => name.startsWith(`${namespace}.`)).map((name) => name.slice(namespace.length + 1));
  const shown = inside.slice(0, FIRST_NAMES);
  return shown.join(', ') + (inside.length > shown.length ? ', …' : '');
}

const FIRST_NAMES = 3;

/** `.fs`, or `["my-server"]` for a name that is not an identifier. */
function member(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The modules line: how to import them, which there are, and (with search) where their exports are. */
export function modulesRule(modules: readonly { name: string; version: string }[], search = false): string {
  const list = modules.map(({ name, version }) => `${name} ${version}`).join(', ');
  return `- Modules you can import (\`import … from '${modules[0]!.name}'\`): ${list}.${search ? ' `search` gives their exports.' : ''}`;
}

/** The rule line that says whether variables persist. */
export const WORKSPACE_RULE = '- Variables persist: what a run declares at top level is there in your next runs; `reset: true` empties them.';
export const STATELESS_RULE = '- Each run starts fresh: variables do not persist between runs.';

export const RESET_FIELD_DESCRIPTION = 'Empty the workspace (its variables) before running.';

export const SEARCH_DESCRIPTION =
  'Find the tools `execute` can call, by what they do. Returns the best matches with their TypeScript declarations. An empty query lists every tool.';

export const CODE_FIELD_DESCRIPTION = 'JavaScript or TypeScript to run: a function body with await and return, or one async arrow function.';

export function timeoutFieldDescription(timeoutMs: number): string {
  return `Time limit for this run in ms; at most ${timeoutMs}, the default.`;
}
