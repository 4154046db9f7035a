// The last line of defence against a run stuck in progress: every few seconds one process (whichever takes
// the lock in Redis) looks for runs of ours past their deadline whose job is no longer queued or running
// (it failed without reaching its dead-letter path, or its record outlived it) and completes them with an
// error and a Re-run button. A run whose job is still alive gets a new deadline instead.
import { randomUUID } from "node:crypto";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { GitHub } from "../../github/octokit.js";
import { describeError } from "../jobs.js";
import { finishRun } from "./dead-letter.js";
import type { RunLedger } from "./ledger.js";
import type { WorkSettings } from "./settings.js";

const ALIVE = new Set(["active", "waiting", "delayed", "prioritized", "waiting-children"]);

export class Sweeper {
  readonly #token = randomUUID();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ledger: RunLedger,
    private readonly queue: Queue,
    private readonly auth: (installationId: number) => Promise<GitHub>,
    private readonly settings: WorkSettings,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.#timer = setInterval(() => {
      this.#running ??= this.sweep()
        .catch((error: unknown) => {
          this.log.error(describeError(error), "sweeper failed");
          return 0;
        })
        .finally(() => {
          this.#running = undefined;
        });
    }, this.settings.sweepMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass; returns how many runs it completed. */
  async sweep(now = Date.now()): Promise<number> {
    const lock = await this.redis.set(
      `${this.prefix}:sweeper`,
      this.#token,
      "PX",
      this.settings.sweepMs,
      "NX",
    );
    if (lock !== "OK") return 0;
    let finished = 0;
    for (const run of await this.ledger.due(now)) {
      const state = await this.queue.getJobState(run.jobKey);
      if (ALIVE.has(state)) {
        await this.ledger.extend(run.jobKey, now + this.settings.runDeadlineMs);
        continue;
      }
      const log = this.log.child({ jobId: run.jobKey, checkRunId: run.checkRunId });
      try {
        const octokit = await this.auth(run.installationId);
        const reason = new Error(
          "the analysis did not finish in time (its worker stopped, or GitHub was unavailable for too long)",
        );
        // One try per sweep: the next sweep tries again.
        await finishRun(octokit, this.ledger, run, reason, { budgetMs: 1, baseMs: 1, maxMs: 1 }, log);
        finished += 1;
      } catch (error) {
        log.error(describeError(error), "sweeper could not complete the run; trying again next time");
        const tooOld = run.createdAt + this.settings.runDeadlineMs + this.settings.completion.budgetMs;
        if (now > tooOld) {
          await this.ledger.remove(run.jobKey, run.externalId);
          log.error("giving up on the run: it stays in progress until someone re-runs it");
        }
      }
    }
    return finished;
  }
}
