// The records of a durable run's journal, one JSON line each in the run's storage journal (src/storage):
//
//   start     the code, the seed of Math.random and the clock at the start (first record, once)
//   call      a host call as the code made it: id, name and a digest of its encoded input; `ask` when its
//             tool needed approval (it runs only after an `approved` record)
//   approved  a person or the approver allowed an `ask` call: from here on it may be running
//   deliver   one delivery of results to the code, in delivery order, with the clock it moved to
//   pause     the run stopped to wait for a person: the calls pending approval, with their inputs
//   end       the run ended (completed or failed); a replay gives the same result without calling a tool
//
// Everything read back is checked for shape and size (a store can be shared, stale, or edited), and for
// sense across records (ids grow, a result answers a recorded call once). Nothing here touches storage.
import { createHash } from 'node:crypto';
import { BRIDGE_CAPS, type CallResult } from '../bridge/protocol.js';
import { amount, int, list, literal, object, oneOf, optional, string, union, type Infer } from '../bridge/shape.js';
import { checkShape, type InboxLimits } from '../bridge/validate.js';

export const JOURNAL_VERSION = 1;

const callId = int(1, 'maxHostCalls');
const callName = string(BRIDGE_CAPS.callNameChars);
const callResult = union('ok', [
  object({ callId, ok: literal(true), value: string('maxValueChars') }),
  object({
    callId,
    ok: literal(false),
    error: object({
      kind: oneOf(['host', 'denied', 'invalid_input', 'runtime'] as const),
      name: string(BRIDGE_CAPS.errorNameChars),
      message: string('maxValueChars'),
      hint: optional(string('maxValueChars')),
    }),
  }),
]);

const record = union('type', [
  object({ type: literal('start'), version: int(JOURNAL_VERSION, JOURNAL_VERSION), code: string('maxValueChars'), seed: string(32), clock: amount() }),
  object({ type: literal('call'), callId, name: callName, digest: string(64), ask: optional(literal(true)) }),
  object({ type: literal('approved'), callId }),
  object({ type: literal('deliver'), at: amount(), results: list(callResult, 'maxHostCalls') }),
  object({ type: literal('pause'), pending: list(object({ callId, name: callName, input: string('maxValueChars') }), 'maxHostCalls') }),
  object({ type: literal('end'), outcome: string(64) }),
]);
export type JournalRecord = Infer<typeof record>;
export type StartRecord = Extract<JournalRecord, { type: 'start' }>;
export type PendingCall = Extract<JournalRecord, { type: 'pause' }>['pending'][number];

/** A digest of a call's encoded input: equal inputs, equal digests (the encoding is deterministic). */
export function inputDigest(input: string): string {
  return createHash('sha256').update(input, 'utf8').digest('base64url').slice(0, 22);
}

export function encodeRecord(value: JournalRecord): string {
  return JSON.stringify(value);
}

/** What a journal's records say, checked; or why they cannot be a journal this host wrote. */
export interface ReadJournal {
  readonly start: StartRecord;
  readonly calls: Map<number, { name: string; digest: string; ask: boolean; approved: boolean }>;
  /** Recorded deliveries, in order. */
  readonly deliveries: Array<{ at: number; results: CallResult[] }>;
  /** The calls of the last pause, if the run is paused now. */
  readonly paused: PendingCall[] | undefined;
  /** The outcome of the `end` record, if the run ended. */
  readonly ended: string | undefined;
}

export function readRecords(records: readonly string[], limits: InboxLimits): ReadJournal | { problem: string } {
  const calls: ReadJournal['calls'] = new Map();
  const deliveries: ReadJournal['deliveries'] = [];
  const delivered = new Set<number>();
  let start: StartRecord | undefined;
  let paused: PendingCall[] | undefined;
  let ended: string | undefined;
  let lastCall = 0;
  for (let i = 0; i < records.length; i++) {
    const at = `record ${i + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(records[i]!);
    } catch {
      return { problem: `${at} is not JSON` };
    }
    const checked = checkShape(record, parsed, limits, at);
    if (!checked.ok) return { problem: checked.problem };
    const r = checked.value as JournalRecord;
    if ((i === 0) !== (r.type === 'start')) return { problem: `${at}: a journal starts with one start record` };
    if (ended !== undefined) return { problem: `${at} comes after the end record` };
    switch (r.type) {
      case 'start':
        start = r;
        break;
      case 'call':
        if (r.callId !== lastCall + 1) return { problem: `${at}: call ${r.callId} after call ${lastCall}` };
        lastCall = r.callId;
        calls.set(r.callId, { name: r.name, digest: r.digest, ask: r.ask === true, approved: false });
        paused = undefined;
        break;
      case 'approved': {
        const call = calls.get(r.callId);
        if (!call || !call.ask || call.approved || delivered.has(r.callId)) return { problem: `${at}: approval of call ${r.callId}, which is not waiting for one` };
        call.approved = true;
        paused = undefined;
        break;
      }
      case 'deliver':
        for (const result of r.results) {
          if (!calls.has(result.callId) || delivered.has(result.callId)) return { problem: `${at}: a result for call ${result.callId}, which is not recorded or was answered` };
          delivered.add(result.callId);
        }
        deliveries.push(r as { at: number; results: CallResult[] });
        paused = undefined;
        break;
      case 'pause':
        for (const call of r.pending) {
          const recorded = calls.get(call.callId);
          const waits = recorded && recorded.name === call.name && recorded.ask && !recorded.approved && !delivered.has(call.callId);
          if (!waits || inputDigest(call.input) !== recorded.digest) return { problem: `${at}: pending call ${call.callId} is not a recorded call waiting for approval with that input` };
        }
        paused = r.pending;
        break;
      case 'end':
        ended = r.outcome;
        break;
    }
  }
  if (!start) return { problem: 'the journal is empty' };
  return { start, calls, deliveries, paused, ended };
}
