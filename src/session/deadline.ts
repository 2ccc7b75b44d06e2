// A run's wall-clock deadline. It can be paused while the run waits on an approval (a human's reaction
// time is not the code being slow); pauses nest, and the clock runs again when the last one ends.

export class Deadline {
  private remainingAtPause: number;
  private endsAt = 0;
  // Held at one until the first resume(): the clock does not run while the run waits for a sandbox process.
  private pauses = 1;
  private timer: NodeJS.Timeout | undefined;
  private expired = false;

  constructor(
    budgetMs: number,
    private readonly onExpire: () => void,
  ) {
    this.remainingAtPause = budgetMs;
  }

  /** Milliseconds left; the full rest of the budget while paused. */
  remaining(): number {
    if (this.expired) return 0;
    return this.pauses > 0 ? this.remainingAtPause : Math.max(0, this.endsAt - performance.now());
  }

  pause(): void {
    if (this.expired || this.pauses++ > 0) return;
    this.remainingAtPause = Math.max(0, this.endsAt - performance.now());
    clearTimeout(this.timer);
  }

  resume(): void {
    if (this.expired || this.pauses === 0 || --this.pauses > 0) return;
    this.endsAt = performance.now() + this.remainingAtPause;
    this.timer = setTimeout(() => {
      this.expired = true;
      this.onExpire();
    }, Math.ceil(this.remainingAtPause));
  }

  clear(): void {
    this.expired = true;
    clearTimeout(this.timer);
  }
}
