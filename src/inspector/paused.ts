// Paused durable runs on the inspector page: read from the executor's journals (so runs paused by any host
// on the same storage show up), each with the calls it waits on, and resumed with a decision per call.
// Reading is bounded: at most SHOWN_PAUSED journals and READ_BYTES per listing, a journal unchanged since the
// last listing is not read again, inputs are shown as cut text.
import type { ApprovalDecision } from '../pipeline/approval.js';
import type { JournalSummary } from '../journal/journals.js';
import type { RunResult } from '../results/types.js';
import type { JournalInfo } from '../storage/storage.js';
import { preview } from './preview.js';

/** Paused runs read for one listing; older ones wait until these are decided. */
export const SHOWN_PAUSED = 50;
const INPUT_CHARS = 2_000;

/** What the inspector needs of an executor with a storage (an `Executor` is one). */
export interface DurableRuns {
  readonly journals: { list(): Promise<JournalInfo[]>; get(runId: string): Promise<JournalSummary | undefined> };
  resume(runId: string, options: { decisions: Readonly<Record<number, ApprovalDecision>> }): Promise<RunResult>;
}

export interface PausedRunView {
  runId: string;
  /** ISO 8601: when it paused. */
  pausedAt: string;
  /** ISO 8601: when its journal expires, and the run with it. */
  expiresAt: string;
  pending: { callId: number; name: string; input: string }[];
}

/** Journal bytes one listing reads at most; the rest wait for the next listing. */
const READ_BYTES = 32 * 2 ** 20;

/** Views made by the last listing, by run: a journal unchanged since (same records and time) is not read again. */
const made = new WeakMap<DurableRuns, Map<string, { key: string; view: PausedRunView | undefined }>>();

/** The paused runs of the store, most recently paused first. */
export async function pausedRuns(durable: DurableRuns): Promise<PausedRunView[]> {
  const infos = (await durable.journals.list()).filter((info) => info.status === 'paused');
  infos.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  const before = made.get(durable);
  const now = new Map<string, { key: string; view: PausedRunView | undefined }>();
  let budget = READ_BYTES;
  for (const info of infos.slice(0, SHOWN_PAUSED)) {
    const key = `${info.updatedAt} ${info.records} ${info.bytes}`;
    const known = before?.get(info.runId);
    if (known?.key === key) {
      now.set(info.runId, known);
      continue;
    }
    // One journal that does not fit waits; cached and smaller ones still show.
    if (info.bytes > budget) continue;
    budget -= info.bytes;
    // A journal that is unreadable (damaged, or from another version) is left out, not shown half.
    const summary = await durable.journals.get(info.runId).catch(() => undefined);
    const view =
      summary?.state !== 'paused'
        ? undefined
        : {
            runId: info.runId,
            pausedAt: info.updatedAt,
            expiresAt: info.expiresAt,
            pending: summary.pending.map((call) => ({ callId: call.callId, name: call.name, input: preview(call.input, INPUT_CHARS) })),
          };
    now.set(info.runId, { key, view });
  }
  made.set(durable, now);
  return [...now.values()].flatMap(({ view }) => (view ? [view] : []));
}

/** `{ "<callId>": { allowed, reason? } }` from the page, checked; undefined when it is not that. */
export function decisionsOf(body: Record<string, unknown>): Record<number, ApprovalDecision> | undefined {
  const decisions = body.decisions;
  if (typeof decisions !== 'object' || decisions === null || Array.isArray(decisions)) return undefined;
  const out: Record<number, ApprovalDecision> = {};
  for (const [key, value] of Object.entries(decisions)) {
    if (!/^\d{1,12}$/.test(key) || typeof value !== 'object' || value === null) return undefined;
    const { allowed, reason } = value as { allowed?: unknown; reason?: unknown };
    if (typeof allowed !== 'boolean' || (reason !== undefined && (typeof reason !== 'string' || reason.length > 1000))) return undefined;
    out[Number(key)] = reason ? { allowed, reason } : { allowed };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
