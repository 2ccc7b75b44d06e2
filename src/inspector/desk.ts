// Calls waiting for a person on the inspector page. A question stays open until someone decides it on the
// page, or its signal withdraws it (the approval timed out, the run ended, or another approver such as MCP
// elicitation answered first). The desk is bounded: beyond `MAX_PENDING` questions a new one is refused.
import type { ApprovalDecision, ApprovalRequest, Approver } from '../pipeline/approval.js';
import { preview } from './preview.js';

const MAX_PENDING = 1_000;
const MAX_REASON_CHARS = 1_000;
const INPUT_CHARS = 4_000;

export interface PendingApproval {
  /** `<runId>:<callId>`: what the page answers to. */
  id: string;
  runId: string;
  callId: number;
  session?: string;
  name: string;
  description: string;
  input: string;
  /** Epoch milliseconds. */
  askedAt: number;
  /** The code's lines that name the tool. */
  lines: { line: number; text: string }[];
}

interface Open {
  readonly shown: PendingApproval;
  readonly settle: (decision: ApprovalDecision) => void;
}

export class ApprovalDesk {
  private readonly open = new Map<string, Open>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly linesOf: (runId: string, name: string) => { line: number; text: string }[]) {}

  pending(): PendingApproval[] {
    return [...this.open.values()].map(({ shown }) => shown);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks the page; settles with the person's decision, or denies when the question is withdrawn first. */
  ask(request: ApprovalRequest, session: string | undefined): Promise<ApprovalDecision> {
    const id = `${request.runId}:${request.callId}`;
    if (this.open.size >= MAX_PENDING || this.open.has(id)) return Promise.resolve({ allowed: false, reason: 'too many calls are waiting for approval' });
    return new Promise((resolve) => {
      const done = () => {
        request.signal.removeEventListener('abort', withdraw);
        if (this.open.delete(id)) this.changed();
      };
      const withdraw = () => {
        done();
        resolve({ allowed: false, reason: 'the question was withdrawn' });
      };
      const shown: PendingApproval = {
        id,
        runId: request.runId,
        callId: request.callId,
        ...(session ? { session } : {}),
        name: request.name,
        description: request.description.slice(0, MAX_REASON_CHARS),
        input: preview(request.input, INPUT_CHARS),
        askedAt: Date.now(),
        lines: this.linesOf(request.runId, request.name),
      };
      this.open.set(id, {
        shown,
        settle: (decision) => {
          done();
          resolve(decision);
        },
      });
      if (request.signal.aborted) return withdraw();
      request.signal.addEventListener('abort', withdraw, { once: true });
      this.changed();
    });
  }

  /** A person's answer from the page; false when the question is no longer open. */
  decide(id: string, allowed: boolean, reason: string | undefined): boolean {
    const open = this.open.get(id);
    if (!open) return false;
    const why = reason?.trim().slice(0, MAX_REASON_CHARS);
    open.settle(allowed ? true : { allowed: false, reason: why ? `denied on the inspector page: ${why}` : 'denied on the inspector page' });
    return true;
  }

  /**
   * An approver that asks the page and, when given, `other` (MCP elicitation) at the same time: the first
   * answer wins and the other question is withdrawn.
   */
  approver(session: string | undefined, other: Approver | undefined): Approver {
    return async (request) => {
      const withdraw = new AbortController();
      const signal = AbortSignal.any([request.signal, withdraw.signal]);
      const asked = { ...request, signal };
      try {
        const page = this.ask(asked, session);
        if (!other) return await page;
        // An approver that fails (the client broke off the question) leaves the page to decide.
        const elsewhere = Promise.resolve()
          .then(() => other(asked))
          .catch(() => page);
        return await Promise.race([page, elsewhere]);
      } finally {
        withdraw.abort(new Error('answered elsewhere'));
      }
    };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
