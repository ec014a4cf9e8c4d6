// A work queue with a concurrency limit and a cap on waiting tasks: offering beyond the cap is refused rather
// than held in memory without bound. Tasks must not reject (they handle their own failures).

export class BoundedQueue {
  private readonly waiting: (() => Promise<void>)[] = [];
  private running = 0;
  private closed = false;

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
  ) {}

  /** @returns false when the task was refused (too many waiting, or the queue is closed). */
  offer(task: () => Promise<void>): boolean {
    if (this.closed) return false;
    if (this.running < this.concurrency) {
      this.run(task);
      return true;
    }
    if (this.waiting.length >= this.maxWaiting) return false;
    this.waiting.push(task);
    return true;
  }

  /** Drops the waiting tasks and refuses new ones; running tasks finish. */
  close(): void {
    this.closed = true;
    this.waiting.length = 0;
  }

  private run(task: () => Promise<void>): void {
    this.running++;
    void task().finally(() => {
      this.running--;
      const next = this.waiting.shift();
      if (next) this.run(next);
    });
  }
}
