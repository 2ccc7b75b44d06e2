// Prepares model code for a run, bounded: normalization, TypeScript transpiling and type-checking run in a
// worker (./workers.ts) within the run's time limit and at most MAX_PREPARE_MS, and code longer than
// MAX_CODE_CHARS is refused before any work. Whatever goes wrong comes back as the run's problem, never as
// a throw, and the host's main thread only copies strings and rebuilds the position mapping.
import { EditedText } from '../normalize/edits.js';
import { fromMapping } from '../normalize/mapping.js';
import type { Problem, Runnable } from '../normalize/normalize.js';
import type { TypeDiagnostic } from '../types/check.js';
import { prepareWorkers, type JobOutcome } from './workers.js';

/** The longest code a run accepts, in characters (≈50,000 tokens: far more than one model answer). */
export const MAX_CODE_CHARS = 200_000;
/** The longest preparation (parse, transpile, type-check) of one run, whatever its time limit. */
export const MAX_PREPARE_MS = 10_000;

const SLOW_PARSE_HINT = 'Write flatter code: split deeply nested expressions and calls into statements.';

export interface PrepareOptions {
  /** The run's time limit: preparation counts toward it. */
  timeoutMs: number;
  /** Type-check against these declarations; type errors become the run's problem. */
  declarations?: string | undefined;
  /** The run's signal: aborting it ends the preparation at once (the run then ends as cancelled). */
  signal?: AbortSignal | undefined;
  /** Prepare for a workspace run (its top-level declarations persist), after earlier runs left these names. */
  workspace?: { persisted: string[] } | undefined;
  /** The modules the host configured: the names `import` may use. */
  modules?: readonly string[] | undefined;
}

export interface Prepared {
  runnable: Runnable;
  /** The type errors, when asked for and the code had no other problem. */
  diagnostics?: TypeDiagnostic[];
  /** Time the preparation took (waiting for a worker excluded): the run's deadline is that much shorter. */
  spentMs: number;
  /** A workspace run: the top-level names its code declares. */
  declared?: string[];
}

export async function prepare(code: string, options: PrepareOptions): Promise<Prepared> {
  if (code.length > MAX_CODE_CHARS) return failed(code, tooLarge(code.length), 0);
  const budgetMs = Math.min(options.timeoutMs, MAX_PREPARE_MS);
  const job = { code, ...(options.declarations !== undefined ? { declarations: options.declarations } : {}), ...(options.workspace ? { workspace: options.workspace } : {}), ...(options.modules?.length ? { modules: [...options.modules] } : {}) };
  const outcome = await prepareWorkers.run(job, budgetMs, options.signal);
  if (outcome.type !== 'answer') return failed(code, unanswered(outcome, options.timeoutMs), outcome.elapsedMs);
  const { answer } = outcome;
  if (!answer.ok) return failed(code, { kind: 'crashed', name: 'Error', message: `preparing the code failed on the host: ${answer.message}` }, outcome.elapsedMs);
  const problem = answer.problem ?? typeProblem(answer.diagnostics ?? []);
  const runnable: Runnable = {
    source: answer.source,
    language: answer.language,
    mapping: answer.mapping,
    toOriginal: fromMapping(code, answer.mapping),
    ...(problem ? { problem } : {}),
    ...(answer.imports && !problem ? { imports: answer.imports } : {}),
  };
  return { runnable, ...(answer.diagnostics ? { diagnostics: answer.diagnostics } : {}), ...(answer.declared ? { declared: answer.declared } : {}), spentMs: outcome.elapsedMs };
}

function failed(code: string, problem: Problem, spentMs: number): Prepared {
  const edits = new EditedText(code);
  return {
    runnable: { source: '', language: 'javascript', mapping: { edits: edits.toData() }, toOriginal: (position) => edits.toOriginal(position), problem },
    spentMs,
  };
}

function tooLarge(length: number): Problem {
  return {
    kind: 'syntax',
    name: 'RangeError',
    message: `the code is ${length} characters long; a run accepts at most ${MAX_CODE_CHARS}`,
    hint: 'Send shorter code: read data with the codemode tools instead of pasting it into the code, or split the work into several runs.',
  };
}

function unanswered(outcome: Exclude<JobOutcome, { type: 'answer' }>, timeoutMs: number): Problem {
  if (outcome.type === 'aborted') return { kind: 'cancelled', name: 'Error', message: 'the run was cancelled while its code was being prepared' };
  if (outcome.type === 'died') {
    return { kind: 'crashed', name: 'Error', message: `preparing the code failed on the host: ${outcome.message}`, hint: SLOW_PARSE_HINT };
  }
  if (timeoutMs <= MAX_PREPARE_MS) {
    return { kind: 'timeout', name: 'Error', message: `the run exceeded its ${timeoutMs} ms time limit while its code was being prepared (parsed, transpiled or type-checked)`, hint: SLOW_PARSE_HINT };
  }
  return { kind: 'syntax', name: 'SyntaxError', message: `preparing the code (parsing, transpiling, type-checking) took longer than ${MAX_PREPARE_MS} ms`, hint: SLOW_PARSE_HINT };
}

/** Type errors as the problem that fails a run: the first ones with their lines, the first one's position. */
function typeProblem(diagnostics: TypeDiagnostic[]): Problem | undefined {
  const [first] = diagnostics;
  if (!first) return undefined;
  const shown = diagnostics.slice(0, 3).map((d) => `line ${d.line}: TS${d.code}: ${d.message}`);
  if (diagnostics.length > 3) shown.push(`and ${diagnostics.length - 3} more`);
  return {
    kind: 'syntax',
    name: 'TypeError',
    message: shown.join('\n'),
    position: { line: first.line, column: first.column },
    // The session gives it TYPE_ERRORS_HINT, by its name.
  };
}
