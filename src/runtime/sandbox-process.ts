// Host side of one sandbox process: spawns it with nothing to take (no environment, Node's permission model
// limiting reads to what sandbox-permissions.ts resolves, no writes, no child processes), carries messages,
// and reports how it ended.
// It never interprets run messages; the session does.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { BRIDGE_CAPS, PROTOCOL_VERSION, type HostToSandbox, type SandboxToHost } from '../bridge/protocol.js';
import { describeValue } from '../errors.js';
import { CODE_ROOT, sandboxPermissions } from './sandbox-permissions.js';
import { startFailure } from './start-failure.js';

/** Enough for a Node error with its stack and properties (the denied resource comes last). */
const STDERR_TAIL_CHARS = 4000;
const READY_TIMEOUT_MS = 15_000;

/** What a sandbox process is told at spawn, besides the protocol version. */
export interface SandboxSpawn {
  /** The heap limit it prepares its spare isolate with. */
  memoryLimitMb: number;
  /** Runs one isolate serves before it retires (1: a fresh isolate per run). */
  isolateRuns: number;
  /** An isolate whose heap holds more than this after a run retires (MB). */
  isolateHeapMb: number;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the process wrote to stderr, e.g. a V8 fatal error. */
  stderr: string;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** If the host exits without closing its executors, take the sandbox processes with it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export class SandboxProcess {
  private readonly child: ChildProcess;
  private stderr = '';
  private exitInfo: ProcessExit | undefined;
  /** Resolves when the process can take a run; rejects (CodemodeError SANDBOX_START_FAILED) if it dies or stalls first. */
  readonly ready: Promise<void>;
  /** Resolves when the process has exited, however that happened. */
  readonly exited: Promise<ProcessExit>;
  /** Every message but `ready`, unchecked: whoever reads it checks it first (see bridge/validate.ts). */
  onMessage: (message: unknown) => void = () => {};
  /** True when the process has a fresh isolate prepared: a run of any affinity sent now starts at once. */
  spare = false;
  /** The affinity whose isolate has a context prepared: a run of it sent now starts at once. */
  affinity: string | undefined;
  onExit: (exit: ProcessExit) => void = () => {};

  /** `codeRoot` is for tests that need a sandbox process of another version; the host's own code by default. */
  constructor(spawn: SandboxSpawn, codeRoot: string = CODE_ROOT) {
    installExitHook();
    const permissions = sandboxPermissions(codeRoot);
    const { memoryLimitMb, isolateRuns, isolateHeapMb } = spawn;
    const config = { ivmPath: permissions.ivmEntry, memoryLimitMb, isolateRuns, isolateHeapMb, protocol: PROTOCOL_VERSION };
    this.child = fork(join(codeRoot, 'sandbox', 'main.js'), [JSON.stringify(config)], {
      env: {},
      execArgv: [
        '--no-node-snapshot',
        // Compile every function of the harness up front, so the code cache that each new isolate loads holds
        // all of it: a run then starts without compiling harness functions (≈0.5 ms saved per run).
        '--no-lazy',
        // The process's own heap holds only messages in flight; a small young generation keeps it small
        // (isolates size their heaps themselves).
        '--max-semi-space-size=1',
        ...permissions.execArgv,
        '--no-warnings',
      ],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    live.add(this.child);
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        live.delete(this.child);
        // Report the exit only after the last words: stderr (a V8 fatal error) and every message the process
        // sent before it died (a run it confirmed must not look unstarted). Both end at the pipes' EOF.
        let waiting = 1;
        const finish = () => {
          if (--waiting > 0) return;
          this.exitInfo = { code, signal, stderr: this.stderr.trim() };
          resolve(this.exitInfo);
          this.onExit(this.exitInfo);
        };
        if (!this.child.stderr!.readableEnded) {
          waiting++;
          this.child.stderr!.once('close', finish);
        }
        if (this.child.connected) {
          waiting++;
          this.child.once('disconnect', finish);
        }
        finish();
      });
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(startFailure({ timeoutMs: READY_TIMEOUT_MS, stderr: this.stderr }));
        this.kill();
      }, READY_TIMEOUT_MS);
      this.child.on('message', (message: unknown) => {
        if ((message as SandboxToHost | null)?.type !== 'ready') return this.onMessage(message);
        const { protocol, spare, affinity } = message as { protocol?: unknown; spare?: unknown; affinity?: unknown };
        if (protocol !== PROTOCOL_VERSION) {
          // Never speak to it: its code is not the host's (e.g. the package was upgraded under a running host).
          clearTimeout(timer);
          const spoken = typeof protocol === 'number' ? String(protocol) : describeValue(protocol);
          reject(new Error(`the sandbox process speaks protocol version ${spoken}, the host ${PROTOCOL_VERSION}: its code is not the host's (was codemode upgraded while the host ran? restart the host)`));
          return this.kill();
        }
        // Only a preference of the pool: the process itself decides which isolate a run gets.
        this.spare = spare === true;
        this.affinity = typeof affinity === 'string' && affinity.length <= BRIDGE_CAPS.affinityChars ? affinity : undefined;
        clearTimeout(timer);
        resolve();
      });
      void this.exited.then((exit) => {
        clearTimeout(timer);
        reject(startFailure(exit));
      });
    });
    this.ready.catch(() => {});
    this.child.on('error', () => this.kill());
    this.setActive(true);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitInfo === undefined && this.child.connected;
  }
  send(message: HostToSandbox): void {
    if (message.type === 'run') {
      // Until the process says what it prepared next.
      this.spare = false;
      this.affinity = undefined;
    }
    if (this.alive) this.child.send(message);
  }

  /** An idle process must not keep the host's event loop alive; one serving a run must. */
  setActive(active: boolean): void {
    const channel = this.child.channel as { ref?(): void; unref?(): void } | undefined;
    if (active) {
      this.child.ref();
      channel?.ref?.();
      (this.child.stderr as Socket | null)?.ref();
    } else {
      this.child.unref();
      channel?.unref?.();
      (this.child.stderr as Socket | null)?.unref();
    }
  }

  kill(): void {
    if (this.exitInfo !== undefined) return;
    // Whoever kills a process waits for its exit (close() does): an unref'd child would let the loop end first.
    this.setActive(true);
    this.child.kill('SIGKILL');
  }
}

export function describeExit(exit: ProcessExit): string {
  const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
  // A V8 fatal error prints "# Fatal JavaScript invalid size error 134217727 (see crbug...)" among framing
  // lines and a native stack; the one informative line is what the model needs.
  const reason = exit.stderr
    .split('\n')
    .map((line) => line.replace(/^#\s*/, '').replace(/\s*\(see crbug[^)]*\)/, '').trim())
    .find((line) => line !== '' && !/^(Fatal error in|FailureMessage|-----|\d+: 0x)/.test(line));
  return reason ? `${how}: ${reason.slice(0, 200)}` : how;
}
