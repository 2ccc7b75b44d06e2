// Model-facing text for failed runs and calls: every hint the host gives (one per kind, plus the type-check
// one) and the code frame under an error. A model with a token budget reads these; keep them short and
// exact, and test them. Hints a tool gives (ToolError) and the result layout (src/present/) live elsewhere.
import type { ErrorKind } from '../bridge/protocol.js';

/** The hint of a run failed by `typecheck`: its code does not match the declarations. */
export const TYPE_ERRORS_HINT = "Fix the type errors; the declarations give each tool's input and output types.";

/** The limits a hint quotes (a run's resolved limits have them). */
export interface HintLimits {
  readonly timeoutMs: number;
  readonly memoryLimitMb: number;
  readonly maxValueChars: number;
}

export function hintFor(kind: ErrorKind, limits: HintLimits, name: string): string {
  switch (kind) {
    case 'syntax':
      if (name === 'TypeError') return TYPE_ERRORS_HINT;
      return 'Fix the syntax at the line shown. Send JavaScript or TypeScript: statements with await and return, or one async function.';
    case 'runtime':
      return name === 'ReferenceError'
        ? 'Only standard JavaScript globals, console and codemode exist here: no require, process, fetch or timers.'
        : 'Fix the error at the line shown (lines refer to your code) and run again.';
    case 'timeout':
      return `The run took longer than ${limits.timeoutMs} ms. Do less per run, avoid unbounded loops, and run independent calls with Promise.all.`;
    case 'memory':
      return `The run used more than ${limits.memoryLimitMb} MB. Work on smaller pieces and keep only what you need.`;
    case 'cancelled':
      return 'The run was cancelled by the host; nothing is wrong with the code.';
    case 'crashed':
      return 'The sandbox process died, usually from an operation on a huge string or array. Work on smaller data.';
    case 'denied':
      return 'The host refused this call. Do not retry it; choose another approach.';
    case 'host':
      return 'The tool failed on the host. Check the input you passed, or catch the error and try another approach.';
    case 'invalid_input':
      return "Pass an input that matches the tool's declared type.";
    case 'output_limit':
      return `Return less data (at most ${limits.maxValueChars} characters encoded): a summary, a slice, or counts.`;
    case 'paused':
      return 'A person must approve the pending calls; the run continues from this point once they decide. Do not run the code again.';
    case 'diverged':
      return 'The run no longer makes the calls its journal records (a tool, module or input changed since). Run it again under a new run id.';
  }
}

/** For a run the host itself failed to handle (see fault.ts). */
export const HOST_FAULT_HINT = 'The host could not handle this run. Simplify the code (less deeply nested syntax and values, smaller data) and run again.';

/** A durable run whose journal could not be written (the store failed, or the journal reached its cap). */
export const JOURNAL_HINT = 'The host could not record this durable run, so it stopped before doing anything unrecorded; nothing is wrong with the code. Tell the user.';

/** For code nested deeper than the host's parser can follow. */
export const NESTING_HINT = 'Nest less deeply: split long nested expressions into separate statements with named variables.';

/** No sandbox process could start: the code never ran. The operator's hint stays out; the cause is the host's. */
export const NO_SANDBOX_HINT = 'The host could not start a sandbox, so your code did not run; nothing is wrong with it. Tell the user: running again fails the same way until the host is fixed.';

/** The model's line with a caret under the column, plus one line of context above. */
export function codeFrame(code: string, line: number, column: number | undefined): string | undefined {
  const lines = code.split('\n');
  const text = lines[line - 1];
  if (text === undefined) return undefined;
  const width = String(line).length;
  const out: string[] = [];
  if (line > 1) out.push(`  ${String(line - 1).padStart(width)} | ${clip(lines[line - 2]!)}`);
  out.push(`> ${String(line).padStart(width)} | ${clip(text)}`);
  if (column !== undefined && column >= 1 && column <= 160) out.push(`  ${' '.repeat(width)} | ${' '.repeat(column - 1)}^`);
  return out.join('\n');
}

function clip(text: string): string {
  return text.length > 160 ? text.slice(0, 160) + '…' : text;
}
