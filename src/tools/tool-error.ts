// How a tool reports a failure whose kind the model should see. Anything else a tool throws is kind `host`.

/** The kinds a tool may give its failure. */
export type ToolErrorKind = 'host' | 'denied' | 'invalid_input';

/**
 * Throw from a tool's `run` to fail the call with a chosen kind and a hint for the model, e.g.
 * `throw new ToolError('denied', 'path is outside the allowed roots', { hint: 'Use a path under ./data.' })`.
 * Inside the isolate the call rejects with an `Error` whose `kind`, `name`, `message` and `hint` are these.
 */
export class ToolError extends Error {
  readonly kind: ToolErrorKind;
  readonly hint: string | undefined;
  constructor(kind: ToolErrorKind, message: string, options: { hint?: string; name?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.hint = options.hint;
    this.name = options.name ?? 'ToolError';
  }
}
