// Small statistics for the bench: median and p95 of a list of samples, and a timer that collects them.

export interface Figure {
  median: number;
  p95: number;
  samples: number;
}

export function summarize(samples: number[]): Figure {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95), samples: sorted.length };
}

/** Runs `body` `count` times after `warmup` untimed runs; returns milliseconds per run. */
export async function time(count: number, warmup: number, body: () => unknown): Promise<Figure> {
  for (let i = 0; i < warmup; i++) await body();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await body();
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

/** Lets the event loop (and the sandbox processes) go idle for `ms` milliseconds. */
export function idle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
