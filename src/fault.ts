// When the host itself fails while handling a run (a bug, or an input that found a path nobody bounded), the
// run still ends as data and the operator hears about it once: a process warning with the code below, which
// Node prints on stderr unless the application listens for `process.on('warning')` or runs with
// --no-warnings. Nothing here may throw: it runs where something already went wrong.

/** The `code` of the process warning emitted for each host fault. */
export const HOST_FAULT_CODE = 'CODEMODE_HOST_FAULT';

const MAX_DETAIL_CHARS = 2000;

/** Tells the operator that the host failed while doing `what` (e.g. "checking a host call of run 1f0…"). */
export function reportFault(what: string, error: unknown): void {
  try {
    process.emitWarning(`codemode: the host failed while ${what}: ${describeFault(error, true).slice(0, MAX_DETAIL_CHARS)}`, { code: HOST_FAULT_CODE });
  } catch {
    // Nowhere left to report to.
  }
}

/** `RangeError: Maximum call stack size exceeded`, with the stack for the operator. */
export function describeFault(error: unknown, withStack = false): string {
  try {
    if (error instanceof Error) {
      const head = `${String(error.name)}: ${String(error.message)}`;
      return withStack && typeof error.stack === 'string' ? error.stack : head;
    }
    return typeof error === 'string' ? error : typeof error;
  } catch {
    return 'an error that cannot be described';
  }
}

/** A stack overflow: the input was nested deeper than some recursive step on the host could follow. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
