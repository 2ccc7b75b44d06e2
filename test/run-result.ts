// Assertions on a run's result that say why a run failed: `valueOf(result)` is the value of a completed run,
// and for a failed one throws with the run's error as the model would read it (kind, line, message, frame,
// hint) instead of the bare "false !== 42" that `result.ok && result.value` gives.
import { AssertionError } from 'node:assert';
import type { RunError, RunResult } from '../src/index.js';
import { errorText } from '../src/present/format.js';
import { jsonText } from '../src/present/json.js';

/** The value of a completed run; a failed run throws an AssertionError showing its error. */
export function valueOf(result: RunResult): unknown {
  if (result.ok) return result.value;
  throw new AssertionError({ message: `expected the run to complete, but it failed:\n${errorText(result.error)}`, actual: result.error, expected: 'a completed run', operator: 'valueOf' });
}

/** The error of a failed run; a completed run throws an AssertionError showing its value. */
export function errorOf(result: RunResult): RunError {
  if (!result.ok) return result.error;
  throw new AssertionError({ message: `expected the run to fail, but it completed with ${jsonText(result.value) ?? 'undefined'}`, actual: result.value, expected: 'a failed run', operator: 'errorOf' });
}
