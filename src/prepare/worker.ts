// A preparation worker: normalizes (parse, fences, wrapper, TypeScript transpiling) and type-checks model
// code off the host's main thread. The host gives each job a deadline and terminates the worker when it
// overruns, so a few hundred bytes of pathological syntax cost the host a worker, never its event loop.
// Holds no secrets and runs no model code (V8 only compiles it, in v8-syntax.ts).
import { parentPort } from 'node:worker_threads';
import { normalize } from '../normalize/normalize.js';
import { typescript } from '../normalize/typescript.js';
import { TypeChecker } from '../types/check.js';
import { moduleSignatures } from '../types/module-signatures.js';
import { compileWorkflow } from './workflow-compile.js';
import { MAX_CHECKERS, type PrepareAnswer, type PrepareJob, type WorkerReady } from './protocol.js';

const checkers = new Map<string, TypeChecker>();

function checker(declarations: string): TypeChecker {
  let found = checkers.get(declarations);
  if (found) {
    // Most recently used last, so the first key is the one to drop.
    checkers.delete(declarations);
  } else {
    found = new TypeChecker(declarations);
    if (checkers.size >= MAX_CHECKERS) checkers.delete(checkers.keys().next().value!);
  }
  checkers.set(declarations, found);
  return found;
}

function answer(job: PrepareJob): PrepareAnswer {
  try {
    if (job.signatures && job.declarations !== undefined) {
      const signatures = moduleSignatures(checker(job.declarations), job.signatures.module);
      return { id: job.id, ok: true, source: '', language: 'javascript', mapping: { edits: { start: 0, end: 0, edits: [] } }, signatures };
    }
    if (job.workflow && job.declarations !== undefined) {
      const workflow = compileWorkflow(job.code, checker(job.declarations));
      return { id: job.id, ok: true, source: workflow.source, language: workflow.language, mapping: workflow.mapping, workflow };
    }
    const normalized = normalize(job.code, { ...(job.workspace ? { workspace: job.workspace } : {}), ...(job.modules ? { modules: job.modules } : {}) });
    const { source, language, mapping, problem, declared, imports } = normalized;
    const diagnostics = job.declarations !== undefined && !problem ? checker(job.declarations).check(normalized) : undefined;
    return { id: job.id, ok: true, source, language, mapping, ...(problem ? { problem } : {}), ...(diagnostics ? { diagnostics } : {}), ...(declared ? { declared } : {}), ...(imports ? { imports } : {}) };
  } catch (error) {
    return { id: job.id, ok: false, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

typescript();
const port = parentPort!;
port.on('message', (job: PrepareJob) => port.postMessage(answer(job)));
port.postMessage({ ready: true } satisfies WorkerReady);
