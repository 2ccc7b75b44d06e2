// Paused durable runs on the inspector page: read from the executor's journals (so runs paused by any host
// on the same storage show up), each with the calls it waits on, and resumed with a decision per call.
// Reading is bounded: at most SHOWN_PAUSED journals are read per listing, inputs are shown as cut text.
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

/** The paused runs of the store, most recently paused first. */
export async function pausedRuns(durable: DurableRuns): Promise<PausedRunView[]> {
  const infos = (await durable.journals.list()).filter((info) => info.status === 'paused');
  infos.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  const views: PausedRunView[] = [];
  for (const info of infos.slice(0, SHOWN_PAUSED)) {
    // A journal that is unreadable (damaged, or from another version) is left out, not shown half.
    const summary = await durable.journals.get(info.runId).catch(() => undefined);
    if (summary?.state !== 'paused') continue;
    views.push({
      runId: info.runId,
      pausedAt: info.updatedAt,
      expiresAt: info.expiresAt,
      pending: summary.pending.map((call) => ({ callId: call.callId, name: call.name, input: preview(call.input, INPUT_CHARS) })),
    });
  }
  return views;
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
