/** Thrown by ConcurrencyGate.run when the queue is full: the caller answers 503 rather than wait. */
export class GateFull extends Error {}

/**
 * Runs at most `concurrency` tasks at once; up to `maxWaiting` more wait their turn in arrival
 * order, and beyond that `run` fails at once with GateFull (load shedding, not an ever-growing queue).
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new GateFull(`${this.running} running and ${this.waiting.length} waiting`);
      // The finishing task hands its slot over directly, so `running` never dips and lets a newcomer jump the queue.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
