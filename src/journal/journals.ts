// The executor's side of durable runs: opening a run's journal (new, or read back to replay), checking the
// options of `run(code, { runId, durable: true })` and of `resume(runId, { decisions })`, and
// `executor.journals` (list, get, delete). What is read back from storage is checked (records.ts) before
// anything uses it: a store can be shared between hosts, stale, or edited by hand.
import type { InboxLimits } from '../bridge/validate.js';
import { decodeValue } from '../bridge/codec.js';
import { CodemodeError, describeValue } from '../errors.js';
import type { ApprovalDecision } from '../pipeline/approval.js';
import type { PendingCall } from '../results/types.js';
import type { JournalInfo, Storage } from '../storage/storage.js';
import { RunJournal, type JournalLimits } from './journal.js';
import { readRecords, type ReadJournal } from './records.js';

/** A run id a journal can be kept under (and the sandbox protocol carries): 1 to 64 of `A-Z a-z 0-9 . _ : -`. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export function checkRunId(runId: unknown): string | undefined {
  if (runId === undefined) return undefined;
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw new CodemodeError('INVALID_OPTION', `expected \`runId\` to be 1 to 64 characters of letters, digits, ".", "_", ":" and "-" (not first), got ${describeValue(runId)}`);
  }
  return runId;
}

/** A decision for each pending call, by call id, as `resume` takes them. */
export type Decisions = Readonly<Record<number | string, ApprovalDecision>>;

/** What `executor.journals.get(runId)` says about one durable run. */
export interface JournalSummary {
  readonly info: JournalInfo;
  /** The code the run runs (what `resume` runs again). */
  readonly code: string;
  /** `paused`: waiting for decisions on `pending`; `ended`: completed or failed in its code; else `open` (running, or stopped by a crash, a timeout or a cancel). */
  readonly state: 'paused' | 'ended' | 'open';
  readonly pending: PendingCall[];
  /** For an ended run: `completed` or the kind it failed with. */
  readonly outcome?: string;
}

/** The journals of an executor's storage: `executor.journals`. */
export class Journals {
  constructor(
    private readonly storage: Storage | undefined,
    private readonly limits: InboxLimits & { readonly maxDepth: number },
  ) {}

  /** Every journal that has not expired, sorted by run id. */
  async list(): Promise<JournalInfo[]> {
    return this.store().listJournals();
  }

  /** One run's journal, read and checked; undefined when there is none. */
  async get(runId: string): Promise<JournalSummary | undefined> {
    const read = await this.read(runId);
    if (!read) return undefined;
    const { info, journal } = read;
    const { maxDepth, maxValueChars } = this.limits;
    const pending = (journal.paused ?? []).map((call) => ({ callId: call.callId, name: call.name, input: decodeValue(call.input, maxDepth, maxValueChars) }));
    const state = journal.ended !== undefined ? 'ended' : journal.paused ? 'paused' : 'open';
    return { info, code: journal.start.code, state, pending, ...(journal.ended !== undefined ? { outcome: journal.ended } : {}) };
  }

  /** Resolves to whether there was a journal. */
  async delete(runId: string): Promise<boolean> {
    return this.store().deleteJournal(checkRunId(runId) ?? '');
  }

  /** @internal The journal of a run, checked; undefined when there is none. */
  async read(runId: string): Promise<{ info: JournalInfo; journal: ReadJournal; count: number } | undefined> {
    const storage = this.store();
    const data = await storage.readJournal(runId);
    if (!data) return undefined;
    const journal = readRecords(data.records, this.limits);
    if ('problem' in journal) throw new CodemodeError('STORAGE_CORRUPT', `the journal of run "${runId}" in ${storage.location} is not one this host can replay: ${journal.problem}`);
    return { info: data.info, journal, count: data.records.length };
  }

  /**
   * @internal The journal a durable run keeps: read back to replay when it exists, else started (which
   * fails with VERSION_CONFLICT if another process started it first). `code` undefined: resume, which
   * needs a journal.
   */
  async open(
    runId: string,
    code: string | undefined,
    limits: JournalLimits,
    needsApproval: (name: string) => boolean,
    decisions: Decisions | undefined,
  ): Promise<{ journal: RunJournal; code: string }> {
    const storage = this.store();
    const read = await this.read(runId);
    if (!read) {
      if (code === undefined) throw new CodemodeError('NOT_FOUND', `no journal of run "${runId}" in ${storage.location} (it never ran durably, was deleted, or expired)`);
      if (decisions !== undefined) throw new CodemodeError('INVALID_OPTION', `run "${runId}" has no journal, so it has no calls to decide`);
      const journal = new RunJournal(runId, storage, limits, undefined, 0, needsApproval);
      await journal.begin(code);
      return { journal, code };
    }
    if (code !== undefined && code !== read.journal.start.code) {
      throw new CodemodeError('INVALID_OPTION', `run "${runId}" has a journal of other code: resume it, or delete its journal`);
    }
    const checked = checkDecisions(runId, decisions, read.journal);
    return { journal: new RunJournal(runId, storage, limits, read.journal, read.count, needsApproval, checked), code: code ?? read.journal.start.code };
  }

  private store(): Storage {
    if (!this.storage) throw new CodemodeError('NO_STORAGE', 'durable runs keep their journals in a storage: create the Executor with `storage` (a FileStorage or RedisStorage)');
    return this.storage;
  }
}

/** Decisions by call id: each for a call the paused run waits on, each `true`, `false` or `{ allowed, reason? }`. */
function checkDecisions(runId: string, decisions: Decisions | undefined, journal: ReadJournal): Map<number, ApprovalDecision> {
  const checked = new Map<number, ApprovalDecision>();
  if (decisions === undefined) return checked;
  if (typeof decisions !== 'object' || decisions === null || Array.isArray(decisions)) {
    throw new CodemodeError('INVALID_OPTION', `expected \`decisions\` to be an object of decisions by call id, got ${describeValue(decisions)}`);
  }
  const pending = new Set((journal.paused ?? []).map((call) => call.callId));
  for (const [key, decision] of Object.entries(decisions)) {
    const callId = Number(key);
    if (!pending.has(callId)) {
      const waiting = pending.size === 0 ? 'it waits on none' : `it waits on ${[...pending].join(', ')}`;
      throw new CodemodeError('INVALID_OPTION', `run "${runId}" has no call ${JSON.stringify(key)} waiting for a decision (${waiting})`);
    }
    const valid =
      typeof decision === 'boolean' ||
      (typeof decision === 'object' && decision !== null && typeof decision.allowed === 'boolean' && (decision.reason === undefined || typeof decision.reason === 'string'));
    if (!valid) throw new CodemodeError('INVALID_OPTION', `expected the decision for call ${callId} to be true, false or { allowed, reason? }, got ${describeValue(decision)}`);
    checked.set(callId, decision);
  }
  return checked;
}
