// Graceful shutdown of the in-process queue (SIGTERM from `docker stop`, Kubernetes, systemd). New jobs are
// refused, queued ones dropped (they have not created a check run yet; GitHub shows the redeliverable
// webhook), running ones get a bounded grace period to finish; past it they are aborted, which completes
// their check runs at once with a message and a Re-run button (jobs.ts), so none is left in progress.
import type { JobQueue } from "./queue.js";

export interface DrainOptions {
  /** How long running jobs may take to finish on their own. */
  graceMs: number;
  /** After aborting the rest: how long their check runs may take to be completed (one API call each). */
  settleMs?: number;
}

export interface DrainResult {
  /** Queued jobs that never started. */
  dropped: string[];
  /** Running jobs stopped at the end of the grace period (their check runs completed as stopped). */
  aborted: string[];
  /** Whether every job had ended when `drain` returned. */
  idle: boolean;
}

export class ShutdownError extends Error {
  constructor() {
    super("the server is shutting down");
  }
}

/** Closes the queue and waits, bounded by `graceMs + settleMs`, for its running jobs to end. */
export async function drain(queue: JobQueue, options: DrainOptions): Promise<DrainResult> {
  const dropped = queue.close();
  if (await settles(queue.idle(), options.graceMs)) return { dropped, aborted: [], idle: true };
  const aborted = queue.abortRunning(new ShutdownError());
  const idle = await settles(queue.idle(), options.settleMs ?? 3000);
  return { dropped, aborted, idle };
}

async function settles(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
