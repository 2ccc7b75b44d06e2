// What the person at the terminal got wrong (a bad flag, a missing file, a bad config): one line on
// stderr and exit code 2. Distinct from a run that failed (exit code 1) and from a bug (a stack trace).
import { closest } from '../closest.js';

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_USAGE = 2;

/** A mistake to report in one line, `codemode: <message>`, exiting with `exitCode` (2 unless said). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
  }
}

/** `(did you mean X?)` or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closest(word, candidates);
  return match === undefined ? '' : ` (did you mean ${match}?)`;
}
