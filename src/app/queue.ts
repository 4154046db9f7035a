// In-process job queue: the webhook handler enqueues and returns, so GitHub gets its 2xx before any
// analysis runs. Jobs with the same key (repository + head SHA) coalesce while queued or running, so a
// redelivered webhook or two events for one push do one analysis.

export interface QueueStats {
  running: number;
  queued: number;
}

export class JobQueue {
  readonly #concurrency: number;
  readonly #waiting: { key: string; task: () => Promise<void> }[] = [];
  readonly #active = new Set<string>();
  readonly #pendingKeys = new Set<string>();
  #idleWaiters: (() => void)[] = [];
  readonly #onError: (key: string, error: unknown) => void;

  constructor(options: { concurrency?: number; onError?: (key: string, error: unknown) => void } = {}) {
    this.#concurrency = options.concurrency ?? 4;
    this.#onError = options.onError ?? (() => {});
  }

  /** Returns false when a job with this key is already queued or running (the event is coalesced). */
  enqueue(key: string, task: () => Promise<void>): boolean {
    if (this.#pendingKeys.has(key)) return false;
    this.#pendingKeys.add(key);
    this.#waiting.push({ key, task });
    // Starting on a later tick keeps the webhook response ahead of any work.
    setImmediate(() => this.#pump());
    return true;
  }

  get stats(): QueueStats {
    return { running: this.#active.size, queued: this.#waiting.length };
  }

  /** Resolves once nothing is queued or running (tests and graceful shutdown wait on this). */
  idle(): Promise<void> {
    if (this.#pendingKeys.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #pump(): void {
    while (this.#active.size < this.#concurrency && this.#waiting.length > 0) {
      const job = this.#waiting.shift()!;
      this.#active.add(job.key);
      void job
        .task()
        .catch((error: unknown) => this.#onError(job.key, error))
        .finally(() => {
          this.#active.delete(job.key);
          this.#pendingKeys.delete(job.key);
          this.#pump();
          if (this.#pendingKeys.size === 0) {
            const waiters = this.#idleWaiters;
            this.#idleWaiters = [];
            for (const resolve of waiters) resolve();
          }
        });
    }
  }
}
