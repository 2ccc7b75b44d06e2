// Entry of a sandbox process. It holds isolates and the harness and nothing else: no capabilities, no
// secrets, no environment, and (under Node's permission model) no file access beyond its own code. It must
// never run two runs at once: a run that crashes or hangs this process harms only itself.
//
// Every run gets a fresh context with its own harness. The isolate under it is either a fresh one (`spare`,
// prepared while the process is idle) or the one that served the previous runs of the same affinity (one
// executor and tenant), which the process keeps with a fresh context ready (`reused`). An isolate retires
// (is disposed) after a run that did not end cleanly (timeout, memory, stop, a failed entry), after
// `isolateRuns` runs, or when its heap holds more than `isolateHeapMb` after a run. A process pinned to a
// workspace keeps that workspace's context between its runs, and prepares no spare meanwhile.
import { createRequire } from 'node:module';
import type ivmModule from 'isolated-vm';
import { PROTOCOL_VERSION, type HostToSandbox, type SandboxToHost } from '../bridge/protocol.js';
import { prepareContext, prepareIsolate, releaseContext, type PreparedContext, type SandboxIsolate } from './isolate.js';
import { SandboxRun, type RunOutcome } from './run.js';
import { keepModules } from './modules.js';

interface SandboxConfig {
  /** Absolute path of isolated-vm's entry, resolved by the host so this process does no module lookup. */
  ivmPath: string;
  memoryLimitMb: number;
  /** Runs one isolate serves before it retires. */
  isolateRuns: number;
  /** An isolate whose heap holds more than this after a run retires. */
  isolateHeapMb: number;
  /** The host's PROTOCOL_VERSION. */
  protocol: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as SandboxConfig;
if (config.protocol !== PROTOCOL_VERSION) {
  // A host of another codemode version: its messages would be misread. Say so where the host looks (stderr).
  process.stderr.write(`codemode sandbox: the host speaks protocol version ${String(config.protocol)}, this sandbox process speaks ${PROTOCOL_VERSION}\n`);
  process.exit(1);
}
const ivm = createRequire(import.meta.url)(config.ivmPath) as typeof ivmModule;
const retireHeapBytes = config.isolateHeapMb * 2 ** 20;

/** A fresh isolate with a context: any run may take it. */
let spare: PreparedContext | undefined;
/** A fresh context in the isolate that served the last runs, for the next run of the same affinity. */
let reused: PreparedContext | undefined;
/** That isolate between a run's end and the preparation of its next context. */
let retained: SandboxIsolate | undefined;
/** A workspace's context, alive between its runs (a process pinned to a workspace gets only its runs). */
let kept: PreparedContext | undefined;
let current: SandboxRun | undefined;
let refillScheduled = false;

function post(message: SandboxToHost): void {
  if (process.connected) process.send!(message);
}

function ready(): void {
  post({ type: 'ready', protocol: PROTOCOL_VERSION, ...(spare ? { spare: true as const } : {}), ...(reused?.owner.affinity !== undefined ? { affinity: reused.owner.affinity } : {}) });
}

/**
 * Prepares what the next run needs while nothing runs, one step per turn of the event loop (a run that
 * arrives meanwhile is not kept waiting for the rest): a spare first (a run of any affinity can take it, and
 * under many tenants most runs do), then the next context of the kept isolate. Tells the host after each step.
 */
function refill(): void {
  refillScheduled = false;
  if (current || kept) return;
  if (!spare) {
    spare = prepareIsolate(ivm, config.memoryLimitMb);
  } else if (retained) {
    const owner = retained;
    retained = undefined;
    try {
      reused = prepareContext(ivm, owner);
    } catch {
      // An isolate that cannot make a context is not worth keeping.
      owner.isolate.dispose();
    }
  } else {
    return;
  }
  ready();
  scheduleRefill();
}

function scheduleRefill(): void {
  if (refillScheduled) return;
  refillScheduled = true;
  setImmediate(refill);
}

function dispose(owner: SandboxIsolate): void {
  if (!owner.isolate.isDisposed) owner.isolate.dispose();
}

/** Lets go of the kept isolate and its prepared context, if any. */
function dropReused(): void {
  if (reused) {
    releaseContext(reused);
    dispose(reused.owner);
    reused = undefined;
  }
  if (retained) {
    dispose(retained);
    retained = undefined;
  }
}

/** The context for a run of `affinity`: in the isolate that served it, else in a fresh isolate. */
function take(memoryLimitMb: number, affinity: string): PreparedContext {
  // A run that came before the next context was prepared in its isolate: prepare it now.
  if (retained && !reused && retained.affinity === affinity) {
    const owner = retained;
    retained = undefined;
    try {
      reused = prepareContext(ivm, owner);
    } catch {
      dispose(owner);
    }
  }
  if (reused && reused.owner.affinity === affinity && reused.memoryLimitMb === memoryLimitMb) {
    const context = reused;
    reused = undefined;
    return context;
  }
  // Another affinity's isolate is never used for this run; it stays for its own next run until this one ends.
  return takeSpare(memoryLimitMb);
}

/** The spare fresh isolate's context if it has this heap limit; else a new isolate (the spare is dropped). */
function takeSpare(memoryLimitMb: number): PreparedContext {
  const fresh = spare;
  spare = undefined;
  if (fresh && fresh.memoryLimitMb === memoryLimitMb) return fresh;
  if (fresh) {
    releaseContext(fresh);
    dispose(fresh.owner);
  }
  return prepareIsolate(ivm, memoryLimitMb);
}

/** The workspace's context from its last run, if it ended cleanly with the same heap limit; else a fresh one. */
function keptOrNew(memoryLimitMb: number): PreparedContext {
  const previous = kept;
  kept = undefined;
  if (previous && previous.memoryLimitMb === memoryLimitMb) return previous;
  if (previous) dispose(previous.owner);
  // A workspace's isolate serves only it: never one that served other runs.
  dropReused();
  return takeSpare(memoryLimitMb);
}

/** What becomes of a run's context and isolate once the run has ended and its answer is on its way. */
function afterRun(prepared: PreparedContext, outcome: RunOutcome, workspace: boolean): void {
  const { owner } = prepared;
  if (workspace) {
    if (outcome !== 'failed' && !owner.isolate.isDisposed) kept = prepared;
    else dispose(owner);
    return;
  }
  releaseContext(prepared);
  if (outcome !== 'clean' || owner.isolate.isDisposed || owner.runs >= config.isolateRuns || heapUsed(owner) > retireAbove(owner)) {
    dispose(owner);
    return;
  }
  // At most one isolate is kept: the one that served the latest run.
  if (reused?.owner !== owner) dropReused();
  retained = owner;
}

/**
 * Heap a kept isolate may hold after a run: `isolateHeapMb`, and never more than a quarter of the memory
 * limit, so what one run leaves alive (e.g. a context kept by a waiter that never resolves) cannot use up
 * the next run's limit and have it fail as `memory`.
 */
function retireAbove(owner: SandboxIsolate): number {
  return Math.min(retireHeapBytes, (owner.memoryLimitMb * 2 ** 20) / 4);
}

function heapUsed(owner: SandboxIsolate): number {
  try {
    return owner.isolate.getHeapStatisticsSync().used_heap_size;
  } catch {
    return Infinity;
  }
}

process.on('message', (message: HostToSandbox) => {
  switch (message.type) {
    case 'run': {
      if (current) throw new Error(`sandbox got run ${message.runId} while ${current.runId} is active`);
      keepModules(message.modules);
      const workspace = message.keep === true;
      const { memoryLimitMb } = message.limits;
      const prepared = workspace ? keptOrNew(memoryLimitMb) : take(memoryLimitMb, message.affinity);
      prepared.owner.affinity = message.affinity;
      prepared.owner.runs++;
      const run = new SandboxRun(ivm, prepared, message, post, (outcome) => {
        current = undefined;
        afterRun(prepared, outcome, workspace);
        scheduleRefill();
      });
      current = run;
      post({ type: 'started', runId: message.runId });
      run.start();
      break;
    }
    case 'results':
      if (current?.runId === message.runId) current.deliver(message.results, message.budgetMs, message.at);
      break;
    case 'stop':
      if (current?.runId === message.runId) current.stop(message.reason);
      break;
  }
});

// The host is gone (closed the channel or died): nothing is left to serve.
process.on('disconnect', () => process.exit(0));

refill();
