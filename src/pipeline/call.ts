// What an interceptor sees of a host call, and how interceptors compose. An interceptor is one function
// `(call, next) => Promise<value>`: it may look at the call, change it (`next({ ...call, input })`),
// answer it without calling `next` (a cache, a journal replay), or wrap `next` (timing, tracing, retries).
//
// Order: the executor's interceptors, then the run's; within a list, the first one is the outermost. So
// with `interceptors: [a, b]` a call meets `a`, then `b`, then the tool, and the value goes back through
// `b`, then `a`. Interceptors run after the call is admitted (its tool exists, its input passed the schema
// and the policy allowed it) and before the tool runs; what `next` resolves to is the tool's value after
// the output schema check; what the outermost one resolves to is sent to the code.
import type { CallApproval } from '../results/types.js';
import type { ToolContext, ToolDefinition, ToolNotice } from '../tools/define.js';

export type { CallApproval };

/** A tool's notice (`context.notify`), with the call it came from. */
export type CallNotice = ToolNotice & { readonly runId: string; readonly callId: number; readonly name: string };

/** One admitted host call. Also the `ToolContext` its tool's `run` receives. */
export interface HostCall extends ToolContext {
  /** The input after schema validation (zod's output: defaults applied). */
  readonly input: unknown;
  /** The registered tool the name resolved to. */
  readonly tool: ToolDefinition;
  readonly approval: CallApproval;
}

/** Continues a call down the pipeline; resolves to the value for the code, rejects with the error for it. */
export type CallHandler = (call: HostCall) => Promise<unknown>;

export type Interceptor = (call: HostCall, next: CallHandler) => Promise<unknown>;

/** `interceptors` around `last`, the first outermost. Built once per run, so a call allocates no closures. */
export function composeInterceptors(interceptors: readonly Interceptor[], last: CallHandler): CallHandler {
  let handler = last;
  for (let i = interceptors.length - 1; i >= 0; i--) {
    const interceptor = interceptors[i]!;
    const next = handler;
    handler = (call) => interceptor(call, next);
  }
  return handler;
}
