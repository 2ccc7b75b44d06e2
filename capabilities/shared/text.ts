// Small formatters for model-facing text (tool descriptions, error messages). Pure functions, no I/O.

/** A byte count as the model reads it best: "10 MiB", "512 KiB", or "1234 bytes" when not round. */
export function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KiB`;
  return `${n} bytes`;
}
