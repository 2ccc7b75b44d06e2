// The approval stage: asks an `approve` callback about a call to a tool marked `approval: 'ask'`. The
// question is withdrawn (its signal aborted) when it times out or the run ends, and a callback that throws
// or hangs refuses the call instead of stalling the run.

/** What an approval callback is asked about. */
export interface ApprovalRequest {
  runId: string;
  callId: number;
  /** Full tool name, e.g. `fs.writeFile`. */
  name: string;
  /** The input after schema validation. */
  input: unknown;
  description: string;
  /** Aborted when the question is moot: the run ended, or `approvalTimeoutMs` passed. */
  signal: AbortSignal;
}

/** `true` allows the call; `false` or `{ allowed: false, reason }` refuses it (the reason reaches the model). */
export type ApprovalDecision = boolean | { allowed: boolean; reason?: string };

export type Approver = (request: ApprovalRequest) => ApprovalDecision | Promise<ApprovalDecision>;

/** A decision as the pipeline uses it: true, or why the call is refused ('' without a reason). */
export function decided(decision: ApprovalDecision): true | string {
  if (decision === true) return true;
  if (typeof decision === 'object' && decision !== null) return decision.allowed === true ? true : typeof decision.reason === 'string' ? decision.reason : '';
  return '';
}

/**
 * What a durable run's journal (src/journal/) decides in the approval stage: a call it recorded as approved
 * is not asked again, a decision given to `resume` answers its call, and with no approver at hand a call
 * waits for a person (the run pauses).
 */
export interface JournaledApprovals {
  approval(callId: number): 'approved' | ApprovalDecision | undefined;
  /** Records that the call was allowed, before its tool runs. */
  approve(callId: number): void;
  /** `input`: as encoded for the bridge. Never settles: the run pauses. */
  hold(callId: number, name: string, input: string): Promise<never>;
}

/** Open questions of one run, so they can all be withdrawn when it ends. */
export class Approvals {
  private readonly open = new Set<AbortController>();

  constructor(
    private readonly approve: Approver,
    private readonly timeoutMs: number,
  ) {}

  /** True, or why the call is refused ('' when the approver gave no reason). Never rejects. */
  async ask(request: Omit<ApprovalRequest, 'signal'>): Promise<true | string> {
    const controller = new AbortController();
    this.open.add(controller);
    const timer = setTimeout(() => controller.abort(new Error(`no decision within ${this.timeoutMs} ms`)), this.timeoutMs);
    try {
      // Settles when the question is withdrawn: timed out, or the run ended (withdrawAll()).
      const withdrawn = new Promise<string>((resolve) => {
        controller.signal.addEventListener('abort', () => resolve((controller.signal.reason as Error).message), { once: true });
      });
      const decision = Promise.resolve().then(() => this.approve({ ...request, signal: controller.signal }));
      const outcome = await Promise.race([decision, withdrawn]);
      if (typeof outcome === 'string') return outcome;
      return decided(outcome);
    } catch (error) {
      return `the approver failed (${error instanceof Error ? error.message : String(error)})`;
    } finally {
      clearTimeout(timer);
      this.open.delete(controller);
    }
  }

  /** The run ended: every open question is moot. */
  withdrawAll(): void {
    for (const controller of this.open) controller.abort(new Error('the run ended'));
  }
}
