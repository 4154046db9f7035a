// The durable queue: BullMQ on Redis (REDIS_URL). Web processes verify, coalesce and enqueue; worker
// processes (`--role worker`, or `all`) take jobs with an installation token of their own. A job's id is
// its repository and head SHA, so redeliveries and several receivers coalesce into one job while it is
// queued or running (as the in-process queue does); a delivery id seen before is not queued again.
// Transient failures are retried with backoff; a worker that dies loses its lock and another worker (or
// the restarted one) takes the job over and finishes the check run the first one created (./ledger.ts);
// the last attempt's failure completes the run with the error (./dead-letter.ts); the sweeper completes
// what is left past its deadline (./sweeper.ts).
import { EventEmitter } from "node:events";
import { type Job as BullJob, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Probot } from "probot";
import type { GitHub } from "../../github/octokit.js";
import { type CheckRunHooks, describeError, jobKey, runJob } from "../jobs.js";
import { deadLetter, finishFailedJob } from "./dead-letter.js";
import { RunLedger } from "./ledger.js";
import { isTransient, sleep } from "./retry.js";
import type { WorkSettings } from "./settings.js";
import { Sweeper } from "./sweeper.js";
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

export const PREFIX = "rce-guard";
export const QUEUE_NAME = "analysis";
/** How long a delivery id is remembered (GitHub's redelivery window is three days; a day covers retries). */
const DELIVERY_TTL_S = 24 * 3600;

export class DurableWork implements Work {
  readonly durable = true;
  readonly events = new EventEmitter();
  readonly settings: WorkSettings;
  /** Enqueueing fails fast when Redis is away, so the webhook is answered 5xx and GitHub can redeliver. */
  readonly #producer: Redis;
  /** Workers' commands wait through a Redis restart instead of failing the job. */
  readonly #patient: Redis;
  readonly #queue: Queue;
  readonly #ledger: RunLedger;
  readonly #active = new Map<string, { job: BullJob<QueuedJob>; token: string | undefined }>();
  readonly #durations: number[] = [];
  #worker: Worker<QueuedJob> | undefined;
  #deps: RunDeps | undefined;
  #sweeper: Sweeper | undefined;
  #completed = 0;
  #failed = 0;
  #retried = 0;

  constructor(settings: WorkSettings) {
    if (!settings.redisUrl) throw new Error("the durable queue needs REDIS_URL");
    this.settings = settings;
    this.#producer = new Redis(settings.redisUrl, { maxRetriesPerRequest: 2 });
    this.#patient = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
    for (const client of [this.#producer, this.#patient]) client.on("error", () => {});
    this.#queue = new Queue(QUEUE_NAME, { connection: this.#producer, prefix: PREFIX });
    this.#queue.on("error", () => {});
    this.#ledger = new RunLedger(this.#patient, PREFIX);
  }

  attach(app: Probot, deps: RunDeps): void {
    this.#deps = deps;
    const s = this.settings;
    app.log.info(
      { role: s.role, concurrency: s.role === "web" ? 0 : s.concurrency, attempts: s.attempts },
      "Job queue: durable (BullMQ on Redis)",
    );
    if (s.role === "web") return;
    const auth = (id: number) => app.auth(id) as Promise<GitHub>;
    this.#worker = new Worker<QueuedJob>(
      QUEUE_NAME,
      (job, token) => this.#process(job, token, auth, deps, app.log),
      {
        connection: this.#patient,
        prefix: PREFIX,
        concurrency: s.concurrency,
        lockDuration: s.lockMs,
        stalledInterval: s.lockMs,
        maxStalledCount: 3,
      },
    );
    this.#worker.on("error", (error) => app.log.warn(describeError(error), "queue worker: Redis error"));
    // A job whose workers kept dying (stalled more than maxStalledCount times) is failed by BullMQ when a
    // worker next takes it, without running it: #process never sees it, so its run is completed here
    // rather than by the sweeper hours later. Failures of attempts that ran are #process's own.
    this.#worker.on("failed", (job, error) => {
      if (job?.deferredFailure) void this.#stalledOut(job, error, auth, deps, app.log);
    });
    this.#sweeper = new Sweeper(
      this.#patient,
      PREFIX,
      this.#ledger,
      this.#queue,
      auth,
      s,
      app.log.child({ name: "sweeper" }),
    );
    this.#sweeper.start();
  }

  async submit(item: QueuedJob, _octokit: GitHub, log: Logger): Promise<SubmitOutcome> {
    const key = jobKey(item.job);
    const delivery = `${PREFIX}:delivery:${item.deliveryId}`;
    // One round trip for the three questions: the webhook's answer waits on it. A job's hash exists only
    // while it is queued, running or waiting for a retry (finished jobs are removed).
    const answers = await this.#producer
      .multi()
      .exists(delivery)
      .exists(recentKey(key))
      .exists(`${PREFIX}:${QUEUE_NAME}:${key}`)
      .exec();
    const [seen, recent, pending] = (answers ?? []).map(([error, n]) => !error && n === 1);
    if (seen) return "redelivery";
    if (item.automatic && recent) return "recent";
    let outcome: SubmitOutcome = "coalesced";
    if (!pending) {
      // Two receivers racing past the check above still make one job: BullMQ ignores a second add of an id.
      await this.#queue.add(item.job.kind, item, {
        jobId: key,
        attempts: this.settings.attempts,
        backoff: { type: "exponential", delay: this.settings.backoffMs },
        removeOnComplete: true,
        removeOnFail: true,
      });
      outcome = "queued";
    }
    await this.#producer.set(delivery, "1", "EX", DELIVERY_TTL_S);
    log.debug({ key, outcome }, "durable queue");
    return outcome;
  }

  async #process(
    bull: BullJob<QueuedJob>,
    token: string | undefined,
    auth: (id: number) => Promise<GitHub>,
    deps: RunDeps,
    appLog: Logger,
  ): Promise<void> {
    const item = bull.data;
    const key = bull.id ?? jobKey(item.job);
    const attempt = bull.attemptsMade + 1;
    const final = attempt >= (bull.opts.attempts ?? 1);
    const log = appLog.child({
      jobId: key,
      deliveryId: item.deliveryId,
      attempt,
      repo: `${item.job.repo.owner}/${item.job.repo.repo}`,
    });
    this.#active.set(key, { job: bull, token });
    const started = Date.now();
    try {
      await this.#ledger.extend(key, started + this.settings.runDeadlineMs);
      const octokit = await auth(item.installationId);
      deps.metrics?.observeGitHub(octokit, item.installationId);
      await runJob(octokit, item.job, { log, ...deps, runs: this.#hooks(key, item, final) });
      await this.#patient.set(recentKey(key), "1", "PX", RECENT_MS);
      this.#completed += 1;
      this.#emit({ key, kind: item.job.kind, outcome: "completed", ms: Date.now() - started });
    } catch (error) {
      if (!final) {
        this.#retried += 1;
        this.#emit({ key, kind: item.job.kind, outcome: "retry", ms: Date.now() - started });
        log.warn(describeError(error), "job failed; it will be tried again");
        throw error;
      }
      await this.#failForGood(key, item, error, started, auth, deps, log);
      throw error;
    } finally {
      this.#active.delete(key);
    }
  }

  async #stalledOut(
    bull: BullJob<QueuedJob>,
    error: Error,
    auth: (id: number) => Promise<GitHub>,
    deps: RunDeps,
    appLog: Logger,
  ): Promise<void> {
    const item = bull.data;
    const key = bull.id ?? jobKey(item.job);
    const log = appLog.child({ jobId: key, deliveryId: item.deliveryId });
    const reason = new Error(
      `the worker running this job stopped (crashed or was killed) on every attempt: ${error.message}`,
    );
    await this.#failForGood(key, item, reason, bull.timestamp, auth, deps, log);
  }

  /** A job that will not be tried again: counted, dead-lettered, and its check run completed with the error. */
  async #failForGood(
    key: string,
    item: QueuedJob,
    error: unknown,
    since: number,
    auth: (id: number) => Promise<GitHub>,
    deps: RunDeps,
    log: Logger,
  ): Promise<void> {
    this.#failed += 1;
    this.#emit({ key, kind: item.job.kind, outcome: "failed", ms: Date.now() - since });
    log.error(describeError(error), "job failed for good; completing its check run with the error");
    try {
      await deadLetter(this.#patient, PREFIX, { key, ...item, error });
      const octokit = await auth(item.installationId);
      await finishFailedJob(octokit, this.#ledger, key, item.job, error, deps.completionRetry, log);
    } catch (e) {
      log.error(describeError(e), "could not complete the failed job's check run; the sweeper will");
    }
  }

  #hooks(key: string, item: QueuedJob, final: boolean): CheckRunHooks {
    return {
      existing: async (externalId) => (await this.#ledger.get(key, externalId))?.checkRunId,
      created: (externalId, checkRunId) =>
        this.#ledger.record(
          {
            installationId: item.installationId,
            repo: item.job.repo,
            headSha: item.job.headSha,
            externalId,
            checkRunId,
            jobKey: key,
            createdAt: Date.now(),
          },
          Date.now() + this.settings.runDeadlineMs,
        ),
      completed: (externalId) => this.#ledger.remove(key, externalId),
      retryLater: (error) => !final && isTransient(error),
    };
  }

  #emit(event: JobEvent): void {
    if (event.outcome !== "retry") pushDuration(this.#durations, event.ms);
    this.#deps?.metrics?.jobFinished(event.kind, event.ms / 1000, event.outcome);
    this.events.emit("job", event);
  }

  async stats(): Promise<WorkStats> {
    const counts = await this.#queue.getJobCounts("waiting", "delayed", "prioritized");
    return {
      durable: true,
      role: this.settings.role,
      depth: Object.values(counts).reduce((a, b) => a + b, 0),
      active: this.#active.size,
      completed: this.#completed,
      failed: this.#failed,
      retried: this.#retried,
      durationsMs: [...this.#durations],
    };
  }

  async ready(): Promise<boolean> {
    try {
      return (await Promise.race([this.#producer.ping(), sleep(1000).then(() => "timeout")])) === "PONG";
    } catch {
      return false;
    }
  }

  /**
   * Stops taking jobs and gives the running ones `graceMs` to finish; those still running are put back on
   * the queue (their check runs stay recorded, so whichever worker takes them finishes the same runs).
   */
  async drain(graceMs: number): Promise<void> {
    await this.#sweeper?.stop();
    const worker = this.#worker;
    if (worker) {
      const closed = worker.close().then(() => true);
      const finished = await Promise.race([closed, sleep(graceMs).then(() => false)]);
      if (!finished) {
        for (const [key, { job, token }] of this.#active) {
          await job
            .moveToWait(token)
            .catch((error: unknown) => this.#patient.emit("warning", { key, error }));
        }
      }
    }
    await this.#queue.close().catch(() => {});
    this.#producer.disconnect();
    this.#patient.disconnect();
  }

  /** For tests and the benchmark: how many dead letters there are. */
  async deadLetters(): Promise<number> {
    return this.#patient.llen(`${PREFIX}:dead`);
  }
}

function recentKey(key: string): string {
  return `${PREFIX}:recent:${key}`;
}
