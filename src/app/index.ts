// Probot wiring: webhook events → jobs on the queue. Handlers only translate payloads and return, so
// GitHub gets its answer before any analysis starts; the work happens in ./jobs.ts.
import type { ApplicationFunction, Context, Probot } from "probot";
import type { GitHub } from "../github/octokit.js";
import { DEFAULT_LIMITS, type Limits } from "./analyze-change.js";
import { CHECK_NAME } from "../github/check-run.js";
import { budgetsFromEnv } from "./isolated-analysis.js";
import { type Job, jobKey, type RerunJob } from "./jobs.js";
import { opsHandler, type ReadinessProbe } from "./ops/health.js";
import { type AppMetrics, createMetrics } from "./ops/metrics.js";
import { int, pullNumbers, repositoryOf, sha, str } from "./payload.js";
import type { JobQueue } from "./queue.js";
import { InProcessWork } from "./queue/in-process.js";
import { DEFAULT_COMPLETION_RETRY, type RetrySettings } from "./queue/settings.js";
import type { Work } from "./queue/work.js";

export interface AppOptions {
  /** Shared with tests (to await idle) and the health route. */
  queue?: JobQueue;
  /** Where jobs run (./queue/): `npm start` passes the in-process or the durable queue; default in process. */
  work?: Work;
  limits?: Limits;
  /** Served on /metrics; one is created when not given. */
  metrics?: AppMetrics;
  /** What /readyz checks besides the App having started (a Redis PING in the Redis mode). */
  ready?: ReadinessProbe;
  completionRetry?: RetrySettings;
}

const PULL_REQUEST_ACTIONS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.edited",
] as const;

export function createApp(appOptions: AppOptions = {}): ApplicationFunction {
  return (app: Probot, options) => {
    const work = appOptions.work ?? new InProcessWork(appOptions.queue ? { queue: appOptions.queue } : {});
    let limits = appOptions.limits;
    if (!limits) {
      const { budgets, problems } = budgetsFromEnv();
      for (const problem of problems) app.log.warn(problem);
      limits = { ...DEFAULT_LIMITS, budgets };
    }
    const metrics = appOptions.metrics ?? createMetrics();
    work.attach(app, {
      limits,
      completionRetry: appOptions.completionRetry ?? DEFAULT_COMPLETION_RETRY,
      metrics,
    });
    metrics.watchQueue({
      depth: async () => (await work.stats()).depth,
      active: async () => (await work.stats()).active,
    });

    try {
      options?.addHandler?.(
        opsHandler({
          metrics,
          stats: async () => {
            const stats = await work.stats();
            return { running: stats.active, queued: stats.depth, durable: stats.durable };
          },
          // Ready: the queue can take work (Redis answers when durable), and whatever the caller adds.
          ready: async () => (await work.ready()) && (appOptions.ready ? await appOptions.ready() : true),
        }),
      );
    } catch {
      // No HTTP server (tests driving probot.receive, serverless adapters): nothing to mount the route on.
    }

    /** `automatic`: triggered by a push, not by a person asking; skipped if this head was just analysed. */
    const enqueue = async (context: Context, job: Job, automatic: boolean) => {
      const key = jobKey(job);
      const octokit = context.octokit as GitHub;
      // Every line a job logs names the delivery that asked for it and the job (repository@head).
      const log = context.log.child({
        deliveryId: context.id,
        jobId: key,
        repo: `${job.repo.owner}/${job.repo.repo}`,
      });
      const installationId = int(context.payload, "installation.id");
      // A closed queue (shutting down) throws: the delivery fails and GitHub can redeliver it.
      const outcome = await work.submit(
        { installationId, deliveryId: context.id, job, automatic },
        octokit,
        log,
      );
      if (outcome === "recent") log.debug({ key }, "head analysed moments ago; event ignored");
      else if (outcome === "redelivery")
        log.info({ key, event: context.name }, "delivery seen before; ignored");
      else
        log.info(
          { key, event: context.name, coalesced: outcome === "coalesced" },
          outcome === "queued" ? "job queued" : "job already queued",
        );
    };

    // Payloads are read field by field: a delivery missing what a job needs is refused (400), see ./payload.ts.
    app.on([...PULL_REQUEST_ACTIONS], async (context) => {
      const payload = context.payload;
      // An edit matters only when the base branch changed (the diff is then a different one).
      if (
        payload.action === "edited" &&
        !("changes" in payload && payload.changes && "base" in payload.changes)
      )
        return;
      const where = repositoryOf(payload);
      if (str(payload, "pull_request.state") !== "open") return;
      await enqueue(
        context,
        {
          kind: "pull_request",
          ...where,
          number: int(payload, "pull_request.number"),
          headSha: sha(payload, "pull_request.head.sha"),
          baseSha: sha(payload, "pull_request.base.sha"),
          draft: payload.pull_request?.draft === true,
        },
        false,
      );
    });

    app.on(["check_run.rerequested", "check_run.requested_action"], async (context) => {
      const payload = context.payload;
      if (str(payload, "check_run.name") !== CHECK_NAME) return;
      if (payload.action === "requested_action" && payload.requested_action?.identifier !== "rerun") return;
      const externalId = payload.check_run.external_id;
      await enqueue(
        context,
        { ...rerunOf(payload, "check_run"), externalId: typeof externalId === "string" ? externalId : null },
        false,
      );
    });

    app.on(["check_suite.requested", "check_suite.rerequested"], async (context) => {
      const payload = context.payload;
      const automatic = payload.action === "requested";
      // Every push sends `requested`; without a pull request there is nothing to review.
      if (automatic && pullNumbers(payload, "check_suite.pull_requests").length === 0) return;
      await enqueue(context, rerunOf(payload, "check_suite"), automatic);
    });

    app.on("merge_group.checks_requested", async (context) => {
      const payload = context.payload;
      await enqueue(
        context,
        {
          kind: "merge_group",
          ...repositoryOf(payload),
          headSha: sha(payload, "merge_group.head_sha"),
          baseSha: sha(payload, "merge_group.base_sha"),
        },
        false,
      );
    });
  };
}

/** A re-run of a commit, from a check run or a check suite event (both carry the head and its PRs). */
function rerunOf(payload: unknown, subject: "check_run" | "check_suite"): RerunJob {
  return {
    kind: "rerun",
    ...repositoryOf(payload),
    headSha: sha(payload, `${subject}.head_sha`),
    pullNumbers: pullNumbers(payload, `${subject}.pull_requests`),
  };
}

export default createApp();
