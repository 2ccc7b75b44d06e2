// Approvals through MCP elicitation: a tool marked `approval: 'ask'` makes the server ask the human at
// the client, showing the tool, its description and its input. Accept allows the call; decline or cancel
// denies it. A client that cannot elicit cannot ask anyone, so the call is denied and the model is told why.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalRequest, Approver } from '../index.js';
import { jsonText } from '../present/json.js';

/** Input shown to the human is cut here: enough to judge the call, not a wall of text. */
const MAX_SHOWN_INPUT_CHARS = 2_000;

/** Why a call was denied when the client cannot ask; the session puts it in the model's error message. */
export const NO_ELICITATION = 'this MCP client cannot ask the user for approval (it does not support elicitation)';

export interface ElicitationContext {
  /** The request the run belongs to: over streamable HTTP the question travels on that request's stream. */
  requestId: RequestId;
  /** The client cancelled the `execute` call: stop waiting for an answer. */
  signal: AbortSignal;
  /** How long the human may take; the session's own `approvalTimeoutMs` ends the wait at the same time. */
  timeoutMs: number;
}

/** True when the client connected to `server` can show a form question (elicitation). */
export function canElicit(server: Server): boolean {
  return server.getClientCapabilities()?.elicitation?.form !== undefined;
}

/** An approver that asks the user of the client connected to `server`. */
export function elicitationApprover(server: Server, context: ElicitationContext): Approver {
  return async (request) => {
    if (!canElicit(server)) return { allowed: false, reason: NO_ELICITATION };
    const answer = await server.elicitInput(
      { mode: 'form', message: approvalMessage(request), requestedSchema: { type: 'object', properties: {} } },
      // A little longer than the session's own limit, so the session's message ("no decision within …") wins.
      // The question is withdrawn when the client cancels the call or the run ends for any other reason.
      { relatedRequestId: context.requestId, signal: AbortSignal.any([context.signal, request.signal]), timeout: context.timeoutMs + 1_000 },
    );
    return answer.action === 'accept' ? true : { allowed: false, reason: answer.action === 'decline' ? 'the user declined' : 'the user dismissed the question' };
  };
}

/** What the human reads: which tool, what it does, with which input. */
export function approvalMessage(request: ApprovalRequest): string {
  const input = jsonText(request.input) ?? 'undefined';
  const shown = input.length > MAX_SHOWN_INPUT_CHARS ? `${input.slice(0, MAX_SHOWN_INPUT_CHARS)}… (${input.length} characters)` : input;
  const about = request.description ? `\n${request.description}` : '';
  return `Allow codemode.${request.name}?${about}\nInput: ${shown}`;
}
