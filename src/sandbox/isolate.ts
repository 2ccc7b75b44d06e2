// Runs in the sandbox process. Makes isolates, and contexts in them with the harness loaded, each context
// ready for one run. A context serves exactly one run (a workspace's, several of its runs) and is then
// released; an isolate serves the runs of one affinity (one executor and tenant, said by the host) until it
// retires (see main.ts). Contexts share nothing a run can reach: each has its own global object, built-ins
// and harness, and no object ever passes from one context to another.
import type ivmModule from 'isolated-vm';
import { decodeValue, encodeValue } from '../bridge/codec.js';
import { BRIDGE_CAPS, CODE_FILENAME, HARNESS_FILENAME, logLimitText, type HarnessSignal } from '../bridge/protocol.js';
import { harness } from './harness.js';
import { createFormatter } from './inspect.js';

type Ivm = typeof ivmModule;

/** One isolate and what the process knows of its past: whose runs it served, and how many. */
export interface SandboxIsolate {
  readonly isolate: ivmModule.Isolate;
  readonly memoryLimitMb: number;
  /** The affinity of the runs it served; undefined while it has served none. */
  affinity: string | undefined;
  runs: number;
}

/** A context in an isolate, with the harness loaded: ready for one run. */
export interface PreparedContext {
  readonly owner: SandboxIsolate;
  readonly isolate: ivmModule.Isolate;
  readonly context: ivmModule.Context;
  readonly begin: ivmModule.Reference<Function>;
  readonly settle: ivmModule.Reference<Function>;
  readonly resolveOne: ivmModule.Reference<Function>;
  readonly deterministic: ivmModule.Reference<Function>;
  readonly memoryLimitMb: number;
  /** What the harness signalled during the current entry into the isolate, in order. */
  readonly signals: HarnessSignal[];
  /** Called after each signal, while the isolate still runs: lets a long entry send what it has so far. */
  onSignal: (signal: HarnessSignal) => void;
  /** False once released: whatever the context's code still does is never heard (it has no way to run anyway). */
  live: boolean;
}

// Built once per process: the harness and the functions it needs, as one function of `send`.
const HARNESS_SOURCE =
  `(function (send) { return (${harness})(send, ${encodeValue}, ${decodeValue}, ${createFormatter}, ${logLimitText}, ` +
  `${JSON.stringify(BRIDGE_CAPS)}, ${JSON.stringify(CODE_FILENAME)}, ${JSON.stringify(HARNESS_FILENAME)}); })`;

/** V8's compiled form of the harness, made by the first isolate and reused by the next ones. */
let harnessCache: ivmModule.ExternalCopy<ArrayBuffer> | undefined;

export function createIsolate(ivm: Ivm, memoryLimitMb: number): SandboxIsolate {
  const isolate = new ivm.Isolate({
    memoryLimit: memoryLimitMb,
    // isolated-vm's advice: after a catastrophic error nothing in this process can be trusted. The host sees
    // the exit, reports the run as crashed and starts a fresh process.
    onCatastrophicError: () => process.abort(),
  });
  return { isolate, memoryLimitMb, affinity: undefined, runs: 0 };
}

/** A fresh context in `owner`'s isolate with its own harness. Throws if the isolate cannot make one. */
export function prepareContext(ivm: Ivm, owner: SandboxIsolate): PreparedContext {
  const { isolate } = owner;
  const context = isolate.createContextSync();
  try {
    const signals: HarnessSignal[] = [];
    const prepared: Pick<PreparedContext, 'onSignal' | 'live'> = { onSignal: () => {}, live: true };
    const send = new ivm.Callback((...signal: HarnessSignal) => {
      if (!prepared.live) return;
      signals.push(signal);
      prepared.onSignal(signal);
    });
    const script: ivmModule.Script & ivmModule.CachedDataResult = isolate.compileScriptSync(HARNESS_SOURCE, {
      filename: HARNESS_FILENAME,
      ...(harnessCache ? { cachedData: harnessCache } : { produceCachedData: true }),
    });
    if (!harnessCache && script.cachedData) harnessCache = script.cachedData;
    const factory = script.runSync(context, { reference: true, release: true }) as ivmModule.Reference<Function>;
    const api = factory.applySync(undefined, [send], { result: { reference: true } }) as ivmModule.Reference<Record<string, Function>>;
    factory.release();
    const begin = api.getSync('begin', { reference: true }) as ivmModule.Reference<Function>;
    const settle = api.getSync('settle', { reference: true }) as ivmModule.Reference<Function>;
    const resolveOne = api.getSync('resolveOne', { reference: true }) as ivmModule.Reference<Function>;
    const deterministic = api.getSync('deterministic', { reference: true }) as ivmModule.Reference<Function>;
    api.release();
    return Object.assign(prepared, { owner, isolate, context, begin, settle, resolveOne, deterministic, memoryLimitMb: owner.memoryLimitMb, signals });
  } catch (error) {
    context.release();
    throw error;
  }
}

/** Lets go of a context: nothing of it is reachable any more, and its heap is garbage for the next collection. */
export function releaseContext(prepared: PreparedContext): void {
  prepared.live = false;
  prepared.onSignal = () => {};
  prepared.signals.length = 0;
  if (prepared.isolate.isDisposed) return;
  prepared.begin.release();
  prepared.settle.release();
  prepared.resolveOne.release();
  prepared.deterministic.release();
  prepared.context.release();
}

/** A fresh isolate with a prepared context (a run of any affinity may take it). */
export function prepareIsolate(ivm: Ivm, memoryLimitMb: number): PreparedContext {
  const owner = createIsolate(ivm, memoryLimitMb);
  try {
    return prepareContext(ivm, owner);
  } catch (error) {
    owner.isolate.dispose();
    throw error;
  }
}
