// A run's result as the model reads it: one short text block, and the same facts as structured content.
// Model-facing: every word here is read by a model with a token budget, so keep it short and exact.
// Shared by the MCP server and the CLI, and belongs to neither: no MCP SDK here, nothing CLI-specific.
//
// Budget: the error is kept whole (it is short, and it is what the model must act on); the value and the
// console output share the rest of `maxChars`, the smaller one whole when it fits in half, and whatever is
// cut ends with a marker saying how much was left out and how to get less.
import type { LogEntry, RunError, RunResult } from '../session/events.js';
import { DEFAULT_MAX_RESULT_CHARS } from '../limits/table.js';
import { jsonText, toJson, type Json } from './json.js';

/** An error message longer than this is cut: a model acts on its start, not on a megabyte of it. */
const MAX_MESSAGE_CHARS = 2_000;

/** The structured content of an `execute` result (see `executeOutputSchema`). */
export interface ExecuteOutput {
  ok: boolean;
  /** The returned value as JSON; absent when nothing was returned or it was too large (`truncated`). */
  value?: Json;
  /** The value was too large for the result: `preview` holds the start of its JSON text. */
  truncated?: boolean;
  preview?: string;
  logs: LogEntry[];
  /** Console output was cut to fit the result. */
  logsTruncated?: boolean;
  error?: RunError;
}

export interface FormattedRun {
  text: string;
  structured: ExecuteOutput;
}

/** Formats a run for the model within `maxChars` of text. */
export function formatRun(result: RunResult, maxChars: number = DEFAULT_MAX_RESULT_CHARS): FormattedRun {
  const head = result.ok ? '' : errorText(result.error);
  const value = result.ok ? jsonText(result.value) : undefined;
  const logs = logText(result.logs);
  const [valueBudget, logBudget] = share(value?.length ?? 0, logs.length, Math.max(0, maxChars - head.length));

  const parts: string[] = [];
  const shown: Pick<ExecuteOutput, 'value' | 'truncated' | 'preview' | 'error'> = {};
  if (!result.ok) {
    parts.push(head);
    shown.error = { ...result.error, message: clip(result.error.message) };
  } else if (value === undefined) {
    parts.push('Result: undefined (the code returned nothing)');
  } else if (value.length <= valueBudget) {
    parts.push(`Result: ${value}`);
    shown.value = toJson(result.value);
  } else {
    const preview = value.slice(0, valueBudget);
    parts.push(`Result (cut): ${preview}… [cut: the value is ${value.length} characters of JSON; shown ${preview.length}. Return a summary or a slice.]`);
    Object.assign(shown, { truncated: true, preview });
  }
  let kept: Pick<ExecuteOutput, 'logs' | 'logsTruncated'> = { logs: result.logs };
  if (logs.length > logBudget) {
    parts.push(`Console (cut):\n${logs.slice(0, logBudget)}… [cut: ${logs.length - logBudget} more characters of console output. Log less.]`);
    kept = { logs: keepLogs(result.logs, logBudget), logsTruncated: true };
  } else if (logs.length > 0) {
    parts.push(`Console:\n${logs}`);
  }
  const structured: ExecuteOutput = { ok: result.ok, ...shown, ...kept };
  return { text: parts.join('\n'), structured };
}

/**
 * A failure in a few lines: kind, line, name and message, the code frame, the hint.
 *   Error (runtime) at line 3: TypeError: Cannot read properties of undefined (reading 'x')
 *     2 | const a = undefined;
 *   > 3 | return a.x;
 *       |          ^
 *   Hint: Fix the error at the line shown (lines refer to your code) and run again.
 */
export function errorText(error: RunError): string {
  const where = error.line === undefined ? '' : ` at line ${error.line}`;
  const lines = [`Error (${error.kind})${where}: ${error.name}: ${clip(error.message)}`];
  if (error.frame) lines.push(error.frame);
  if (error.hint) lines.push(`Hint: ${error.hint}`);
  return lines.join('\n');
}

/** Console entries one per line, each with its level: `[warn] disk almost full`. */
export function logText(logs: readonly LogEntry[]): string {
  return logs.map((entry) => `[${entry.level}] ${entry.text}`).join('\n');
}

/** Splits `budget` between two texts: both whole if they fit, else the smaller whole if it fits in half. */
function share(a: number, b: number, budget: number): [number, number] {
  if (a + b <= budget) return [a, b];
  const half = Math.floor(budget / 2);
  if (a <= half) return [a, budget - a];
  if (b <= half) return [budget - b, b];
  return [half, budget - half];
}

/** The log entries whose `[level] text` lines fit in `budget` characters, the last one cut to fit. */
function keepLogs(logs: readonly LogEntry[], budget: number): LogEntry[] {
  const kept: LogEntry[] = [];
  let used = 0;
  for (const entry of logs) {
    const room = budget - used - entry.level.length - 3;
    if (room <= 0) break;
    kept.push(entry.text.length <= room ? entry : { level: entry.level, text: entry.text.slice(0, room) });
    used += entry.level.length + 3 + entry.text.length + 1;
  }
  return kept;
}

function clip(message: string): string {
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}… [cut: ${message.length} characters]` : message;
}
