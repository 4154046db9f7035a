// The embedded default: jobs run in this process on ../queue.ts's JobQueue, with the webhook's own
// Octokit, exactly as before the durable queue existed. Queued and running jobs are lost when the
// process stops, which is why the App says so at start-up.
import { EventEmitter } from "node:events";
import type { Logger } from "pino";
import type { Probot } from "probot";
import type { GitHub } from "../../github/octokit.js";
import { drain as drainQueue } from "../drain.js";
import { describeError, jobKey, runJob } from "../jobs.js";
import { JobQueue } from "../queue.js";
import {
  type JobEvent,
  pushDuration,
  type QueuedJob,
  RECENT_MS,
  type RunDeps,
  type SubmitOutcome,
  type Work,
  type WorkStats,
} from "./work.js";

export class InProcessWork implements Work {
  readonly durable = false;
  readonly events = new EventEmitter();
  readonly queue: JobQueue;
  readonly #announce: boolean;
  readonly #recent = new Map<string, number>();
  readonly #durations: number[] = [];
  #deps: RunDeps | undefined;
  #completed = 0;
  #failed = 0;
  #closing = false;

  /** `announce`: log at start that jobs do not survive a restart (the `npm start` path). */
  constructor(options: { queue?: JobQueue; concurrency?: number; announce?: boolean } = {}) {
    this.queue = options.queue ?? new JobQueue({ concurrency: options.concurrency ?? 4 });
    this.#announce = options.announce ?? false;
  }

  attach(app: Probot, deps: RunDeps): void {
    this.#deps = deps;
    if (this.#announce)
      app.log.warn(
        "Job queue: in process, not durable (queued and running analyses are lost when this process stops). Set REDIS_URL for the durable queue.",
      );
  }

  async submit(item: QueuedJob, octokit: GitHub, log: Logger): Promise<SubmitOutcome> {
    const key = jobKey(item.job);
    const now = Date.now();
    for (const [k, at] of this.#recent) if (now - at > RECENT_MS) this.#recent.delete(k);
    if (item.automatic && this.#recent.has(key)) return "recent";
    const deps = this.#deps;
    // A closed queue (shutting down) throws: the delivery fails and GitHub can redeliver it.
    const accepted = this.queue.enqueue(key, async (signal) => {
      const started = Date.now();
      deps?.metrics?.observeGitHub(octokit, item.installationId);
      try {
        await runJob(octokit, item.job, { log, ...deps, signal });
        this.#recent.set(key, Date.now());
        this.#completed += 1;
        this.#emit({ key, kind: item.job.kind, outcome: "completed", ms: Date.now() - started });
      } catch (error) {
        // runJob completes its check run whatever fails; reaching here is a bug, logged with the job's ids.
        this.#failed += 1;
        this.#emit({ key, kind: item.job.kind, outcome: "failed", ms: Date.now() - started });
        log.error({ key, ...describeError(error) }, "job crashed");
      }
    });
    return accepted ? "queued" : "coalesced";
  }

  #emit(event: JobEvent): void {
    pushDuration(this.#durations, event.ms);
    this.#deps?.metrics?.jobFinished(event.kind, event.ms / 1000, event.outcome);
    this.events.emit("job", event);
  }

  async stats(): Promise<WorkStats> {
    const { running, queued } = this.queue.stats;
    return {
      durable: false,
      role: "all",
      depth: queued,
      active: running,
      completed: this.#completed,
      failed: this.#failed,
      retried: 0,
      durationsMs: [...this.#durations],
    };
  }

  async ready(): Promise<boolean> {
    return !this.#closing;
  }

  /**
   * Refuses new jobs, drops queued ones (no check run yet; the webhook can be redelivered), lets running
   * ones finish within `graceMs`, then aborts them, which completes their check runs as stopped (../drain.ts).
   */
  async drain(graceMs: number): Promise<void> {
    this.#closing = true;
    await drainQueue(this.queue, { graceMs });
  }
}
