// Credentials given to upstream servers (a stdio server's `env`, an HTTP server's `headers`) stay on the
// host. A server may still echo them (a debug tool that prints its environment, an error that repeats a
// header), so every string that comes back from upstream passes through here before the model sees it.

/** Shorter values are not hidden: `"1"` or `"true"` would blank out ordinary text, and hide nothing. */
const MIN_SECRET_LENGTH = 8;
const MASK = '[redacted]';
const MAX_DEPTH = 64;

export class Redactor {
  private readonly secrets: readonly string[];

  /** `values`: env and header values; each is hidden whole and, when it has several words (`Bearer abc…`), word by word. */
  constructor(values: readonly string[]) {
    const secrets = new Set<string>();
    for (const value of values) {
      for (const part of [value, ...value.split(/\s+/)]) if (part.length >= MIN_SECRET_LENGTH) secrets.add(part);
    }
    // Longest first, so a secret that contains another is masked whole.
    this.secrets = [...secrets].sort((a, b) => b.length - a.length);
  }

  text(text: string): string {
    let result = text;
    for (const secret of this.secrets) if (result.includes(secret)) result = result.replaceAll(secret, MASK);
    return result;
  }

  /** A copy of a JSON-like value with every string (keys included) masked. */
  value(value: unknown, depth = 0): unknown {
    if (this.secrets.length === 0) return value;
    if (typeof value === 'string') return this.text(value);
    if (typeof value !== 'object' || value === null) return value;
    // Deeper than a walk goes: masked as text, never passed on unmasked.
    if (depth > MAX_DEPTH) return this.text(JSON.stringify(value) ?? '');
    if (Array.isArray(value)) return value.map((item) => this.value(item, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.text(key), this.value(item, depth + 1)]));
  }
}
