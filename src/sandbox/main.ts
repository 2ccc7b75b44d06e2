// Entry of a sandbox process. It holds isolates and the harness and nothing else: no capabilities, no
// secrets, no environment, and (under Node's permission model) no file access beyond its own code. It must
// never run two runs at once: a run that crashes or hangs this process harms only itself. A process pinned to
// a workspace keeps that workspace's isolate between its runs, and prepares no spare one meanwhile.
import { createRequire } from 'node:module';
import type ivmModule from 'isolated-vm';
import { PROTOCOL_VERSION, type HostToSandbox, type SandboxToHost } from '../bridge/protocol.js';
import { prepareIsolate, type PreparedIsolate } from './isolate.js';
import { SandboxRun } from './run.js';

interface SandboxConfig {
  /** Absolute path of isolated-vm's entry, resolved by the host so this process does no module lookup. */
  ivmPath: string;
  memoryLimitMb: number;
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

let warm: PreparedIsolate | undefined;
/** A workspace's isolate, alive between its runs (a process pinned to a workspace gets only its runs). */
let kept: PreparedIsolate | undefined;
let current: SandboxRun | undefined;

function post(message: SandboxToHost): void {
  if (process.connected) process.send!(message);
}

/** Prepares the next run's isolate while nothing runs, so a run does not wait for one; tells the host. */
function refill(): void {
  if (warm || current || kept) return;
  warm = prepareIsolate(ivm, config.memoryLimitMb);
  post({ type: 'ready', protocol: PROTOCOL_VERSION });
}

function take(memoryLimitMb: number): PreparedIsolate {
  const ready = warm;
  warm = undefined;
  if (ready && ready.memoryLimitMb === memoryLimitMb) return ready;
  ready?.isolate.dispose();
  return prepareIsolate(ivm, memoryLimitMb);
}

/** The workspace's isolate from its last run, if it ended cleanly with the same heap limit; else a fresh one. */
function keptOrNew(memoryLimitMb: number): PreparedIsolate {
  const previous = kept;
  kept = undefined;
  if (previous && previous.memoryLimitMb === memoryLimitMb) return previous;
  previous?.isolate.dispose();
  return take(memoryLimitMb);
}

process.on('message', (message: HostToSandbox) => {
  switch (message.type) {
    case 'run': {
      if (current) throw new Error(`sandbox got run ${message.runId} while ${current.runId} is active`);
      const prepared = message.keep ? keptOrNew(message.limits.memoryLimitMb) : take(message.limits.memoryLimitMb);
      const run = new SandboxRun(ivm, prepared, message, post, (keep) => {
        current = undefined;
        if (keep) kept = prepared;
        setImmediate(refill);
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
