// The write quota: how many bytes the write tools may write, and how many files and directories they may
// create, per run and over the capability's life. Counts are gross (a byte written then removed still
// counts), so they are exact under concurrent calls: a charge is checked and added in one synchronous step,
// before the write or the create it pays for. It must never touch the disk itself.
import { ToolError } from '../shared/public-api.js';
import { formatBytes } from '../shared/text.js';

export interface QuotaLimits {
  /** Bytes all writes of one run may write together. */
  readonly runBytes: number;
  /** Files and directories one run may create. */
  readonly runFiles: number;
  /** Over the capability's life; Infinity when not set. */
  readonly totalBytes: number;
  readonly totalFiles: number;
}

interface Usage {
  bytes: number;
  files: number;
}

/** "64 MiB (67108864 bytes)", or "1000 bytes" when the round form would say nothing more. */
function bytesText(n: number): string {
  const round = formatBytes(n);
  return round.endsWith(' bytes') ? round : `${round} (${n} bytes)`;
}

const RUN_HINT = 'Write less in one run; the quota starts again with the next run.';
const TOTAL_HINT = 'This quota does not reset; the host operator sets it (maxTotalWriteBytes, maxTotalFilesCreated).';

export class WriteQuota {
  // A run is known by its call signal: one AbortSignal for every call of a run (the ToolContext's), so the
  // entry goes when the run's session is collected, with no end-of-run hook needed.
  private readonly runs = new WeakMap<AbortSignal, Usage>();
  private readonly total: Usage = { bytes: 0, files: 0 };

  constructor(readonly limits: QuotaLimits) {}

  /** Throws unless `bytes` more would fit both quotas; charges nothing (a cheap early refusal). */
  checkBytes(signal: AbortSignal, bytes: number, what: string): void {
    this.refuseBytes(this.run(signal), bytes, what);
  }

  /** Charges `bytes` to the run and the capability, or throws (charging nothing) if either would overflow. */
  chargeBytes(signal: AbortSignal, bytes: number, what: string): void {
    const run = this.run(signal);
    this.refuseBytes(run, bytes, what);
    run.bytes += bytes;
    this.total.bytes += bytes;
  }

  /** Charges one created file or directory; the returned function gives it back (the create did not happen). */
  chargeFile(signal: AbortSignal, what: string): () => void {
    const run = this.run(signal);
    const { runFiles, totalFiles } = this.limits;
    if (run.files + 1 > runFiles) {
      throw new ToolError('host', `creating ${what} would pass this run's quota of ${runFiles} new files and directories`, { hint: RUN_HINT });
    }
    if (this.total.files + 1 > totalFiles) {
      throw new ToolError('host', `creating ${what} would pass the fs capability's quota of ${totalFiles} new files and directories (over its life)`, {
        hint: TOTAL_HINT,
      });
    }
    run.files += 1;
    this.total.files += 1;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      run.files -= 1;
      this.total.files -= 1;
    };
  }

  private refuseBytes(run: Usage, bytes: number, what: string): void {
    const { runBytes, totalBytes } = this.limits;
    if (run.bytes + bytes > runBytes) {
      throw new ToolError('host', `writing ${bytes} bytes to ${what} would pass this run's write quota of ${bytesText(runBytes)}; ${run.bytes} written so far`, {
        hint: RUN_HINT,
      });
    }
    if (this.total.bytes + bytes > totalBytes) {
      throw new ToolError('host', `writing ${bytes} bytes to ${what} would pass the fs capability's write quota of ${bytesText(totalBytes)} over its life; ${this.total.bytes} written so far`, {
        hint: TOTAL_HINT,
      });
    }
  }

  private run(signal: AbortSignal): Usage {
    let usage = this.runs.get(signal);
    if (usage === undefined) {
      usage = { bytes: 0, files: 0 };
      this.runs.set(signal, usage);
    }
    return usage;
  }
}
