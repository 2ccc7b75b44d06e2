// Which known word a mistyped one most likely meant: a flag (`--alow-read`), a command (`rnu`), a tool name
// (`fs.raedFile`). One measure everywhere, so the CLI and the model get the same kind of suggestion.
//
// The word may come from model code (a tool name that does not exist), so the work is bounded whatever its
// length: a candidate whose length differs by more than the allowed edits is skipped without comparing
// (a word longer than every candidate costs nothing), only a band around the diagonal is computed, two rows
// at a time, and one call computes at most MAX_CELLS cells in all.

/** The most cells one call computes; past it the best candidate found so far is the answer. */
const MAX_CELLS = 200_000;

/** The closest candidate to a mistyped word, if one is close enough to be what was meant. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // A third of the word may be wrong (at least two letters): `--alow-read`, `--timeot`, `rnu`.
  const allowed = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = allowed + 1;
  let cells = MAX_CELLS;
  let lower: string | undefined;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: only candidates that could beat the best are compared.
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    if (cells <= 0) break;
    lower ??= word.toLowerCase();
    const { distance, used } = editDistance(lower, candidate.toLowerCase(), bestDistance - 1);
    cells -= used;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Levenshtein distance, with a transposition counted as one edit (`rnu` → `run`), computed only within
 * `bound` of the diagonal: a distance above `bound` comes back as `bound + 1`. `used`: cells computed.
 */
function editDistance(a: string, b: string, bound: number): { distance: number; used: number } {
  const over = bound + 1;
  let before = new Array<number>(b.length + 1).fill(over);
  let previous = new Array<number>(b.length + 1).fill(over);
  let current = new Array<number>(b.length + 1).fill(over);
  for (let j = 0; j <= Math.min(b.length, bound); j++) previous[j] = j;
  let used = 0;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - bound);
    const to = Math.min(b.length, i + bound);
    current.fill(over);
    if (i <= bound) current[0] = i;
    let rowBest = current[0]!;
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = Math.min(value, over);
      if (current[j]! < rowBest) rowBest = current[j]!;
    }
    used += to - from + 1;
    // Every later row is at least this row's best: nothing within the bound is left.
    if (rowBest > bound) return { distance: over, used };
    [before, previous, current] = [previous, current, before];
  }
  return { distance: Math.min(previous[b.length]!, over), used };
}
