// Compiles a workflow off the host's main thread: a job for the preparation workers (src/prepare), bounded
// by a deadline, whose answer is the compiled workflow or the reason there is none.
import { MAX_CODE_CHARS, MAX_PREPARE_MS } from '../prepare/prepare.js';
import { prepareWorkers } from '../prepare/workers.js';
import type { TypeDiagnostic } from '../types/check.js';
import type { CompiledWorkflow } from '../prepare/workflow-compile.js';

export type BuildOutcome = { ok: true; compiled: CompiledWorkflow } | { ok: false; message: string };

/** Compiles `code` against `declarations`, within MAX_PREPARE_MS of a worker's time. */
export async function buildWorkflow(code: string, declarations: string): Promise<BuildOutcome> {
  if (code.length > MAX_CODE_CHARS) return { ok: false, message: `the code is ${code.length} characters long; a workflow may have at most ${MAX_CODE_CHARS}` };
  const outcome = await prepareWorkers.run({ code, declarations, workflow: true }, MAX_PREPARE_MS);
  if (outcome.type === 'overrun') return { ok: false, message: `compiling the workflow took longer than ${MAX_PREPARE_MS} ms; write flatter code` };
  if (outcome.type !== 'answer') return { ok: false, message: `compiling the workflow failed on the host (${outcome.type === 'died' ? outcome.message : outcome.type})` };
  const { answer } = outcome;
  if (!answer.ok) return { ok: false, message: `compiling the workflow failed on the host: ${answer.message}` };
  if (!answer.workflow) return { ok: false, message: 'compiling the workflow failed on the host: the worker gave no workflow' };
  return { ok: true, compiled: answer.workflow };
}

/** A type TypeScript quotes in a message longer than this (the whole `codemode` object, say) is cut. */
const MAX_QUOTED_TYPE = 80;

/** "line 3:7 TS2339: Property 'x' does not exist…", the first few, for a message. */
export function formatDiagnostics(diagnostics: readonly TypeDiagnostic[], max = 5): string {
  const shown = diagnostics.slice(0, max).map((d) => `line ${d.line}:${d.column} TS${d.code}: ${shortTypes(d.message)}`);
  if (diagnostics.length > max) shown.push(`and ${diagnostics.length - max} more`);
  return shown.join('\n');
}

function shortTypes(message: string): string {
  return message.replace(/'(\{[^']*)'/g, (all, type: string) => (type.length <= MAX_QUOTED_TYPE ? all : `'${type.slice(0, MAX_QUOTED_TYPE - 1)}…'`));
}
