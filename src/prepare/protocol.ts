// The messages between the host and a preparation worker (./worker.ts). Plain data only: what the worker
// made (functions included) cannot cross a thread, so the mapping travels as data and is rebuilt here.
import type { Mapping, Normalized, Problem } from '../normalize/normalize.js';
import type { TypeDiagnostic } from '../types/check.js';
import type { CompiledWorkflow } from './workflow-compile.js';

/** Type checkers a worker keeps warm, one per tool set (declaration text), least recently used dropped. */
export const MAX_CHECKERS = 4;

export interface PrepareJob {
  id: number;
  code: string;
  /** Set to type-check the code against these declarations (`declare const codemode: ...`). */
  declarations?: string;
  /** A workspace run, after earlier runs left these names (see NormalizeOptions). */
  workspace?: { persisted: string[] };
  /** The modules the host configured, which `import` may name (see src/normalize/imports.ts). */
  modules?: string[];
  /** Read the signatures of this module's exports (`declarations` names its types) instead of preparing code. */
  signatures?: { module: string };
  /** Compile `code` as a workflow (./workflow-compile.ts) against `declarations` instead of as a run. */
  workflow?: true;
}

export type PrepareAnswer =
  | {
      id: number;
      ok: true;
      source: string;
      language: Normalized['language'];
      mapping: Mapping;
      problem?: Problem;
      /** Present when the job asked for a type check and the code had no other problem. */
      diagnostics?: TypeDiagnostic[];
      /** A workspace run: the top-level names it declares. */
      declared?: string[];
      /** The modules the code imports. */
      imports?: string[];
      /** Export name → signature line, for a signatures job. */
      signatures?: Record<string, string>;
      /** The compiled workflow, for a workflow job. */
      workflow?: CompiledWorkflow;
    }
  | { id: number; ok: false; message: string };

/** The worker's first message, once the TypeScript compiler is loaded: jobs' clocks start after it. */
export interface WorkerReady {
  ready: true;
}
