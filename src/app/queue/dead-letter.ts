// What happens to a job whose last attempt failed, or a run whose job is gone: the check run is completed
// with the error and a Re-run button (created completed if no run exists yet), so no run of ours stays
// in progress, and the job is kept on a capped dead-letter list in Redis for the operator.
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { DEFAULT_CONFIG } from "../../config.js";
import { completeCheckRun, createCompletedCheckRun } from "../../github/check-run.js";
import type { GitHub } from "../../github/octokit.js";
import { describeError, errorCompletion, type Job } from "../jobs.js";
import type { RunLedger, RunRecord } from "./ledger.js";
import { retryTransient } from "./retry.js";
import type { RetrySettings } from "./settings.js";

const DEAD_LETTERS_KEPT = 1000;

/** The external id a job's run has (as jobs.ts gives it), for creating a completed run when none exists. */
export function externalIdOf(job: Job): string {
  switch (job.kind) {
    case "pull_request":
      return `pr:${job.number}`;
    case "merge_group":
      return `merge_group:${job.baseSha}`;
    case "rerun":
      return job.externalId ?? (job.pullNumbers[0] === undefined ? "none" : `pr:${job.pullNumbers[0]}`);
  }
}

export async function deadLetter(
  redis: Redis,
  prefix: string,
  entry: { key: string; job: Job; installationId: number; deliveryId: string; error: unknown },
): Promise<void> {
  const record = JSON.stringify({
    ...entry,
    error: describeError(entry.error),
    at: new Date().toISOString(),
  });
  await redis
    .multi()
    .lpush(`${prefix}:dead`, record)
    .ltrim(`${prefix}:dead`, 0, DEAD_LETTERS_KEPT - 1)
    .exec();
}

/** Completes every open run of a failed job with the error; creates one completed if it had none. */
export async function finishFailedJob(
  octokit: GitHub,
  ledger: RunLedger,
  key: string,
  job: Job,
  error: unknown,
  retry: RetrySettings,
  log: Logger,
): Promise<void> {
  const completion = errorCompletion(error, DEFAULT_CONFIG.onError);
  const open = await ledger.forJob(key);
  if (open.length === 0) {
    await retryTransient(
      () => createCompletedCheckRun(octokit, job.repo, job.headSha, externalIdOf(job), completion),
      retry,
      log,
      "reporting the failed job",
    );
    return;
  }
  for (const run of open) await finishRun(octokit, ledger, run, error, retry, log);
}

export async function finishRun(
  octokit: GitHub,
  ledger: RunLedger,
  run: RunRecord,
  error: unknown,
  retry: RetrySettings,
  log: Logger,
): Promise<void> {
  await retryTransient(
    () => completeCheckRun(octokit, run.repo, run.checkRunId, errorCompletion(error, DEFAULT_CONFIG.onError)),
    retry,
    log,
    "completing an abandoned check run",
  );
  await ledger.remove(run.jobKey, run.externalId);
  log.warn({ checkRunId: run.checkRunId, ...describeError(error) }, "check run completed with the error");
}
