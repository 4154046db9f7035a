// In-process job queue: the webhook handler enqueues and returns, so GitHub gets its 2xx before any
// analysis runs. Jobs with the same key (repository + head SHA) coalesce while queued or running, so a
// redelivered webhook or two events for one push do one analysis. On shutdown (./drain.ts) the queue is
// closed: new jobs are refused, queued ones dropped (they have no check run yet), running ones can be aborted.

export interface QueueStats {
  running: number;
  queued: number;
}

/** A job: told through `signal` when the server shuts down and its grace period has run out. */
export type JobTask = (signal: AbortSignal) => Promise<void>;

/** Thrown by `enqueue` once the queue is closed: the webhook is answered with an error, so GitHub can redeliver it. */
export class QueueClosedError extends Error {
  constructor() {
    super("shutting down: no new jobs are accepted");
  }
}

export class JobQueue {
  readonly #concurrency: number;
  readonly #waiting: { key: string; task: JobTask }[] = [];
  readonly #active = new Map<string, AbortController>();
  #closed = false;
  readonly #pendingKeys = new Set<string>();
  #idleWaiters: (() => void)[] = [];
  readonly #onError: (key: string, error: unknown) => void;

  constructor(options: { concurrency?: number; onError?: (key: string, error: unknown) => void } = {}) {
    this.#concurrency = options.concurrency ?? 4;
    this.#onError = options.onError ?? (() => {});
  }

  /** Returns false when a job with this key is already queued or running (the event is coalesced). */
  enqueue(key: string, task: JobTask): boolean {
    if (this.#closed) throw new QueueClosedError();
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

  get closed(): boolean {
    return this.#closed;
  }

  /** Refuses new jobs from now on and drops the queued ones (returned: their keys); running ones go on. */
  close(): string[] {
    this.#closed = true;
    const dropped = this.#waiting.splice(0).map((job) => job.key);
    for (const key of dropped) this.#pendingKeys.delete(key);
    this.#settleIfIdle();
    return dropped;
  }

  /** Aborts the running jobs' signals; returns their keys. */
  abortRunning(reason: Error): string[] {
    for (const controller of this.#active.values()) controller.abort(reason);
    return [...this.#active.keys()];
  }

  /** Resolves once nothing is queued or running (tests and graceful shutdown wait on this). */
  idle(): Promise<void> {
    if (this.#pendingKeys.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #pump(): void {
    while (this.#active.size < this.#concurrency && this.#waiting.length > 0) {
      const job = this.#waiting.shift()!;
      const controller = new AbortController();
      this.#active.set(job.key, controller);
      void job
        .task(controller.signal)
        .catch((error: unknown) => this.#onError(job.key, error))
        .finally(() => {
          this.#active.delete(job.key);
          this.#pendingKeys.delete(job.key);
          this.#pump();
          this.#settleIfIdle();
        });
    }
  }

  #settleIfIdle(): void {
    if (this.#pendingKeys.size > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
