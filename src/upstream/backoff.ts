// How long a connection waits before its next reconnect attempt. Exponential, capped, and jittered: when an
// upstream server restarts, every host that fronts it (and every server of one host that shares a gateway)
// must not come back in the same millisecond. "Full jitter" between the first delay and the exponential
// ceiling: never below `baseMs` (no hot loop), never above `maxMs`.

/** The wait before attempt `attempt` (1: the first retry), in ms. `random` is Math.random's shape (tests fix it). */
export function reconnectDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  // 2^30 × any base is already past every cap; the exponent is bounded so the product stays finite.
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  const floor = Math.min(baseMs, ceiling);
  return Math.round(floor + random() * (ceiling - floor));
}
