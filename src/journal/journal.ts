// The journal of one durable run, on the host: what the session and the call pipeline ask of it.
//
// A durable run is deterministic by construction (the harness seeds Math.random and reads the journal's
// clock; see DurableClock in src/bridge/protocol.ts), so the code makes the same calls in the same order as
// long as it gets the same deliveries of results in the same order. Replay is that: every call the journal
// holds is checked against the recording (another name or input at its position: `diverged`), and the
// recorded deliveries go to the code in their order, each once all the calls it answers were made again,
// without calling any tool. Calls the journal does not hold, and recorded calls that were never answered,
// run live; their deliveries are recorded, after the recorded ones.
//
// Writes go out in order through one queue that groups what piles up while a write is in flight into one
// append (a Promise.all of many calls costs a few appends, not one each). A tool runs only once its call's
// record is stored, and a delivery reaches the code only once it is stored, so a crash never loses what the
// code saw or a call that may have started.
import { randomBytes } from 'node:crypto';
import type { CallResult, DurableClock, HostCallData } from '../bridge/protocol.js';
import type { ApprovalDecision, JournaledApprovals } from '../pipeline/approval.js';
import type { HostCall } from '../pipeline/call.js';
import type { Storage } from '../storage/storage.js';
import { ToolError } from '../tools/tool-error.js';
import { encodeRecord, inputDigest, JOURNAL_VERSION, type JournalRecord, type PendingCall, type ReadJournal } from './records.js';

export interface JournalLimits {
  readonly journalMaxBytes: number;
  readonly journalTtlMs: number;
}

/** How the session goes on with a call the code made. */
export type Admission = { type: 'replay' } | { type: 'live' } | { type: 'diverged'; message: string };

interface Recorded {
  name: string;
  digest: string;
  ask: boolean;
  approved: boolean;
  answered: boolean;
  /** Made again in this run. */
  made: boolean;
  /** Recorded before this run and never answered: it was running, or waiting for a person, when the run stopped. */
  open: boolean;
  /** Open, and past its approval if it needed one: its tool may have run. */
  running: boolean;
}

export class RunJournal implements JournaledApprovals {
  readonly clock: DurableClock;
  private readonly calls = new Map<number, Recorded>();
  /** Recorded deliveries not yet handed to the code. */
  private readonly replay: Array<{ at: number; results: CallResult[] }>;
  private readonly writer: JournalWriter;
  /** Live calls waiting for a person (no approver at hand): the run pauses when nothing else moves. */
  private readonly held = new Map<number, PendingCall>();
  private readonly decisions: ReadonlyMap<number, ApprovalDecision>;
  /** Writes of each call's record (and approval), awaited before its tool runs. */
  private readonly stored = new Map<number, Promise<void>>();
  private lastAt: number;
  /** The journal holds an end record already (a replay of a run that ended adds nothing). */
  private readonly ended: boolean;

  constructor(
    readonly runId: string,
    storage: Storage,
    limits: JournalLimits,
    recorded: ReadJournal | undefined,
    recordCount: number,
    /** Whether a call of this name waits for approval (its tool says `approval: 'ask'`). */
    private readonly needsApproval: (name: string) => boolean,
    decisions: ReadonlyMap<number, ApprovalDecision> = new Map(),
  ) {
    this.decisions = decisions;
    this.writer = new JournalWriter(storage, runId, limits, recordCount, recorded?.ended !== undefined);
    if (recorded) {
      this.clock = { seed: recorded.start.seed, clock: recorded.start.clock };
      const answered = new Set(recorded.deliveries.flatMap((delivery) => delivery.results.map((result) => result.callId)));
      for (const [callId, call] of recorded.calls) {
        const isAnswered = answered.has(callId);
        this.calls.set(callId, { ...call, answered: isAnswered, made: false, open: !isAnswered, running: !isAnswered && (!call.ask || call.approved) });
      }
      this.replay = [...recorded.deliveries];
      this.lastAt = recorded.deliveries.at(-1)?.at ?? recorded.start.clock;
      this.ended = recorded.ended !== undefined;
    } else {
      this.ended = false;
      this.clock = { seed: randomBytes(16).toString('hex'), clock: Date.now() };
      this.replay = [];
      this.lastAt = this.clock.clock;
    }
  }

  /** The first record of a new journal; resolves when it is stored (another process with the run refuses it). */
  begin(code: string): Promise<void> {
    return this.writer.write([{ type: 'start', version: JOURNAL_VERSION, code, seed: this.clock.seed, clock: this.clock.clock }], 'running');
  }

  /** A call the code made, in call order: answered from the journal, run live, or not what the journal holds. */
  admit(call: HostCallData): Admission {
    const digest = inputDigest(call.input);
    const recorded = this.calls.get(call.callId);
    if (!recorded && this.ended) {
      return { type: 'diverged', message: `the code makes call ${call.callId} of the run (codemode.${call.name}) after the recorded run ended` };
    }
    if (!recorded) {
      // Recorded before anything else happens to it, so its delivery (a refusal too) always follows its record.
      const ask = this.needsApproval(call.name);
      this.calls.set(call.callId, { name: call.name, digest, ask, approved: false, answered: false, made: true, open: false, running: false });
      this.stored.set(call.callId, quiet(this.writer.write([{ type: 'call', callId: call.callId, name: call.name, digest, ...(ask ? { ask: true as const } : {}) }])));
      return { type: 'live' };
    }
    recorded.made = true;
    if (recorded.name !== call.name) {
      return { type: 'diverged', message: `call ${call.callId} of the run was codemode.${recorded.name}(…) when it was recorded; now the code calls codemode.${call.name}(…) there` };
    }
    if (recorded.digest !== digest) {
      return { type: 'diverged', message: `call ${call.callId} of the run, codemode.${call.name}, had another input when it was recorded` };
    }
    return recorded.answered ? { type: 'replay' } : { type: 'live' };
  }

  /**
   * The next recorded delivery, once every call it answers was made again; undefined while it waits (or
   * when none is left). Each comes out once.
   */
  nextReplay(): { at: number; results: CallResult[] } | undefined {
    const next = this.replay[0];
    if (!next || !next.results.every((result) => this.calls.get(result.callId)!.made)) return undefined;
    return this.replay.shift();
  }

  /** True while recorded deliveries are left: live results wait behind them, as they came after them. */
  get replaying(): boolean {
    return this.replay.length > 0;
  }

  /** Why a replay cannot go on when the code waits and nothing is running: the call the next delivery needs was not made. */
  stalled(): string | undefined {
    const next = this.replay[0];
    if (!next) return undefined;
    const missing = next.results.find((result) => !this.calls.get(result.callId)!.made)!;
    const call = this.calls.get(missing.callId)!;
    return `the code now waits without making call ${missing.callId} of the run (codemode.${call.name}), which it made when it was recorded`;
  }

  /** Recorded calls the code never made again, once it ended. */
  unmade(): string | undefined {
    for (const [callId, call] of this.calls) {
      if (!call.made) return `the code ended without making call ${callId} of the run (codemode.${call.name}), which it made when it was recorded`;
    }
    return undefined;
  }

  /**
   * The approval stage of a journaled `ask` call: `approved` when the journal says it was (it is not asked
   * again), the decision given to `resume` for it, or undefined (ask as usual).
   */
  approval(callId: number): 'approved' | ApprovalDecision | undefined {
    const recorded = this.calls.get(callId);
    if (recorded?.approved) return 'approved';
    return this.decisions.get(callId);
  }

  /** An `ask` call was allowed: recorded before its tool runs. */
  approve(callId: number): void {
    const call = this.calls.get(callId);
    if (!call || call.approved) return;
    call.approved = true;
    const before = this.stored.get(callId) ?? Promise.resolve();
    // Both writes are handled here: a failure of either stops the run (the writer's failure), never the host.
    const approved = quiet(this.writer.write([{ type: 'approved', callId }]));
    this.stored.set(callId, quiet(Promise.all([before, approved]).then(() => undefined)));
  }

  /** A call that needs a person, with no approver at hand: it waits, and the run pauses when nothing else moves. */
  hold(callId: number, name: string, input: string): Promise<never> {
    this.held.set(callId, { callId, name, input });
    return new Promise<never>(() => undefined);
  }

  get heldCalls(): number {
    return this.held.size;
  }

  /**
   * The interceptor every live call of a durable run meets first: the tool runs once the call's record is
   * stored. A call that was open when the run stopped runs again only if its tool is idempotent.
   */
  readonly interceptor = async (call: HostCall, next: (call: HostCall) => Promise<unknown>): Promise<unknown> => {
    const recorded = this.calls.get(call.callId);
    if (recorded?.running && call.tool.idempotent !== true) {
      throw new ToolError('host', `codemode.${call.name} was running when this run stopped; its outcome is unknown, so it was not made again`, {
        hint: 'Check whether it took effect (read the state it changes) before calling it again.',
      });
    }
    await this.stored.get(call.callId);
    return next(call);
  };

  /** Live results for the code: recorded with the clock they move it to; resolves to that clock once stored. */
  async deliver(results: CallResult[]): Promise<number> {
    for (const result of results) {
      const call = this.calls.get(result.callId);
      if (call) call.answered = true;
    }
    const at = (this.lastAt = Math.max(this.lastAt, Date.now()));
    await this.writer.write([{ type: 'deliver', at, results }]);
    return at;
  }

  /** The run stops to wait for a person: every call waiting for one, stored. */
  async pause(): Promise<PendingCall[]> {
    const pending = [...this.held.values()];
    await this.writer.write([{ type: 'pause', pending }], 'paused');
    return pending;
  }

  /** The run ended: a replay of it gives the same result without running anything. */
  async end(outcome: string): Promise<void> {
    if (this.ended || this.writer.failure) return;
    return this.writer.write([{ type: 'end', outcome }], outcome === 'completed' ? 'completed' : 'failed');
  }

  /** Set when a write failed: the run stops, since nothing may run unrecorded. */
  get failure(): Error | undefined {
    return this.writer.failure;
  }
}

/**
 * A write nobody may await (the call was refused before its tool): a failure is seen by the next delivery,
 * which stops the run, and must not also surface as an unhandled rejection.
 */
function quiet(write: Promise<void>): Promise<void> {
  write.catch(() => undefined);
  return write;
}

/** The write queue of one journal: in order, grouped, with the record count the store must be at. */
class JournalWriter {
  failure: Error | undefined;
  private queue: Array<{ lines: string[]; status: string | undefined; done: (error?: Error) => void }> = [];
  private writing = false;

  constructor(
    private readonly storage: Storage,
    private readonly runId: string,
    private readonly limits: JournalLimits,
    private count: number,
    /** The journal holds its end record: nothing more is written (a record after it makes the journal unreadable). */
    private readonly closed: boolean,
  ) {}

  write(records: JournalRecord[], status?: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ lines: records.map(encodeRecord), status, done: (error) => (error ? reject(error) : resolve()) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const lines = batch.flatMap((item) => item.lines);
      const status = batch.findLast((item) => item.status !== undefined)?.status;
      try {
        if (this.failure) throw this.failure;
        await this.storage.appendJournal(this.runId, lines, {
          at: this.count,
          ttlMs: this.limits.journalTtlMs,
          maxBytes: this.limits.journalMaxBytes,
          ...(status ? { status } : {}),
        });
        this.count += lines.length;
        for (const item of batch) item.done();
      } catch (error) {
        this.failure ??= error instanceof Error ? error : new Error(String(error));
        for (const item of batch) item.done(this.failure);
      }
    }
    this.writing = false;
  }
}
