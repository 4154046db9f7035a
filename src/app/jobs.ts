// The three kinds of work the App does, each an ordinary async function over an Octokit instance:
// review a pull request's head, check a merge-queue group, and re-run on request. Whatever happens, the
// check run they create ends completed.
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { DEFAULT_CONFIG } from "../config.js";
import { incompleteFiles } from "../engine/index.js";
import { type CheckRunReport, toCheckRunReport } from "../report/check-run.js";
import { markerFingerprint, planReview } from "../report/review.js";
import {
  type Completion,
  completeCheckRun,
  createCompletedCheckRun,
  startCheckRun,
} from "../github/check-run.js";
import type { RepoRef } from "../github/contents.js";
import type { GitHub } from "../github/octokit.js";
import {
  compareFiles,
  currentHead,
  getPullRequest,
  listChangedFiles,
  mergeBaseOf,
  pullRequestsForCommit,
} from "../github/pull-request.js";
import {
  postReview,
  readRemainingThreads,
  readReviewState,
  resolveThreads,
  reviewStateSelection,
} from "../github/review.js";
import { type Analysis, analyzeChange, DEFAULT_LIMITS, type Limits } from "./analyze-change.js";
import { isTransient, retryTransient } from "./queue/retry.js";
import { DEFAULT_COMPLETION_RETRY, type RetrySettings } from "./queue/settings.js";

/** Where a job's repository is: the API coordinates and its page (links in summaries and comments). */
interface JobRepository {
  repo: RepoRef;
  defaultBranch: string;
  /** `repository.html_url` of the delivery (a GitHub Enterprise Server's own host); github.com when absent. */
  repoUrl?: string;
}

export interface PullRequestJob extends JobRepository {
  kind: "pull_request";
  number: number;
  headSha: string;
  baseSha: string;
  draft: boolean;
}

export interface MergeGroupJob extends JobRepository {
  kind: "merge_group";
  headSha: string;
  baseSha: string;
}

export interface RerunJob extends JobRepository {
  kind: "rerun";
  headSha: string;
  /** From the event; empty for fork heads, where GitHub does not link the PR. */
  pullNumbers: number[];
  /** The previous run's external id (`pr:12`, `merge_group:<base sha>`). */
  externalId?: string | null;
}

export type Job = PullRequestJob | MergeGroupJob | RerunJob;

export interface JobDeps {
  log: Logger;
  /**
   * Aborted when the server shuts down and the grace period ran out (./drain.ts): the job's check run is
   * then completed at once with a message and a Re-run button, never left in progress.
   */
  signal?: AbortSignal;
  limits?: Limits;
  /** The durable queue's record of the runs a job created (./queue/ledger.ts); absent in process. */
  runs?: CheckRunHooks;
  /** How long completing a run is retried through a GitHub outage (default: an hour). */
  completionRetry?: RetrySettings;
}

/**
 * What a durable queue adds to a job: a run created by an earlier attempt (a crashed worker, a retried
 * job) is finished instead of a second one being created, and a transient failure before the last attempt
 * leaves the run in progress for the next attempt instead of completing it with the error.
 */
export interface CheckRunHooks {
  existing(externalId: string): Promise<number | undefined>;
  created(externalId: string, checkRunId: number): Promise<void>;
  completed(externalId: string, checkRunId: number): Promise<void>;
  /** True: rethrow, the queue tries the job again later. */
  retryLater(error: unknown): boolean;
}

export function jobKey(job: Job): string {
  return `${job.repo.owner}/${job.repo.repo}@${job.headSha}`;
}

export async function runJob(octokit: GitHub, job: Job, deps: JobDeps): Promise<void> {
  switch (job.kind) {
    case "pull_request":
      return reviewPullRequest(octokit, job, deps);
    case "merge_group":
      return checkMergeGroup(octokit, job, deps);
    case "rerun":
      return rerun(octokit, job, deps);
  }
}

/**
 * Creates the run, does `work`, completes the run with what `work` returns; on any error completes it
 * with the error (conclusion from `on_error`) and a Re-run button. A run never stays in progress.
 */
async function withCheckRun(
  octokit: GitHub,
  repo: RepoRef,
  headSha: string,
  externalId: string,
  log: Logger,
  deps: JobDeps,
  work: (configSeen: (config: Config) => void) => Promise<Completion>,
): Promise<void> {
  let checkRunId: number | undefined;
  let onError: Config["onError"] = DEFAULT_CONFIG.onError;
  let completion: Completion;
  try {
    checkRunId = await deps.runs?.existing(externalId);
    if (checkRunId === undefined) {
      checkRunId = await startCheckRun(octokit, repo, headSha, externalId);
      await deps.runs?.created(externalId, checkRunId);
    } else log.info({ checkRunId }, "finishing the check run an earlier attempt created");
    const working = work((config) => {
      onError = config.onError;
    });
    completion = await (deps.signal ? Promise.race([working, stopped(deps.signal, working)]) : working);
  } catch (error) {
    if (deps.signal?.aborted) {
      log.warn("server shutting down: the analysis was stopped before it finished");
      completion = shutdownCompletion(onError);
    } else if (deps.runs?.retryLater(error)) {
      log.warn(describeError(error), "analysis failed; the job will be tried again");
      throw error;
    } else {
      log.error(describeError(error), "analysis failed");
      completion = errorCompletion(error, onError);
    }
  }
  // Through a GitHub outage the completion is retried (an hour by default): a run never stays in progress.
  const retry = deps.completionRetry ?? DEFAULT_COMPLETION_RETRY;
  const id = checkRunId;
  try {
    await retryTransient(
      () =>
        id === undefined
          ? createCompletedCheckRun(octokit, repo, headSha, externalId, completion)
          : completeCheckRun(octokit, repo, id, completion),
      retry,
      log,
      "completing the check run",
    );
  } catch (error) {
    log.error(describeError(error), "could not complete the check run");
    if (id === undefined || completion.output.annotations.length === 0 || isTransient(error)) return;
    // Annotations are the likeliest to be refused; the conclusion matters more than they do.
    const bare = errorCompletion(error, onError);
    try {
      await retryTransient(
        () => completeCheckRun(octokit, repo, id, bare),
        retry,
        log,
        "completing the check run",
      );
    } catch (e) {
      log.error(describeError(e), "could not complete the check run with the error either");
      return;
    }
  }
  if (id !== undefined) await deps.runs?.completed(externalId, id);
}

export async function reviewPullRequest(octokit: GitHub, job: PullRequestJob, deps: JobDeps): Promise<void> {
  const log = deps.log.child({ pr: job.number, head: job.headSha.slice(0, 12) });
  const limits = deps.limits ?? DEFAULT_LIMITS;
  await withCheckRun(octokit, job.repo, job.headSha, `pr:${job.number}`, log, deps, async (configSeen) => {
    const listing = await listChangedFiles(octokit, job.repo, job.number);
    const analysis = await analyzeChange(
      octokit,
      {
        repo: job.repo,
        defaultBranch: job.defaultBranch,
        headSha: job.headSha,
        files: listing.files,
        listingCapped: listing.capped,
        mergeBase: () => mergeBaseOf(octokit, job.repo, job.baseSha, job.headSha),
        extraSelection: reviewStateSelection(job.number),
        onConfig: configSeen,
      },
      limits,
      log,
    );
    const config = analysis.loaded.config;
    const notes: string[] = [];
    if (job.draft && !config.reviewDrafts) {
      notes.push(
        "This pull request is a draft: review comments wait until it is ready for review (`review_drafts: false`).",
      );
    } else {
      notes.push(...(await reviewStage(octokit, job, analysis, log)));
    }
    const r = report(
      job,
      job.headSha,
      analysis,
      notes,
      "GitHub lists at most 3,000 changed files of a pull request: the files after the first 3,000 are not known to RCE Guard and were not analysed.",
    );
    log.info(
      {
        findings: analysis.result.findings.length,
        files: analysis.analysedFiles,
        skipped: analysis.skipped.length,
        unanalysed: r.unanalysed.length,
        conclusion: r.conclusion,
      },
      "analysis complete",
    );
    return successCompletion(r);
  });
}

/** Posts the review and resolves threads of findings that went away; returns notes for the summary. */
async function reviewStage(
  octokit: GitHub,
  job: PullRequestJob,
  analysis: Analysis,
  log: Logger,
): Promise<string[]> {
  const config = analysis.loaded.config;
  const state = readReviewState(analysis.extra);
  try {
    // The first 100 threads came with the contents; a long review has more.
    await readRemainingThreads(octokit, job.repo, job.number, state);
    const head = await currentHead(octokit, job.repo, job.number);
    if (head.sha !== job.headSha) {
      log.info({ current: head.sha.slice(0, 12) }, "head moved during analysis; review not posted");
      return [
        `A newer commit (\`${head.sha.slice(0, 7)}\`) was pushed during the analysis: no review was posted for this one.`,
      ];
    }
    const commentable = new Map([...analysis.hunks].map(([path, map]) => [path, map.hunkOf]));
    const plan = state.reviewedHeads.has(job.headSha)
      ? undefined
      : planReview({
          findings: analysis.result.findings,
          known: state.known,
          commentable,
          texts: analysis.texts,
          maxComments: config.maxComments,
          commentMinSeverity: config.commentMinSeverity,
          headSha: job.headSha,
          fileUrl: fileUrl(job, job.headSha),
        });
    const notes: string[] = [];
    if (plan) {
      const posted = await postReview(
        octokit,
        job.repo,
        job.number,
        job.headSha,
        plan.body,
        plan.comments,
        () => plan.fallbackBody,
      );
      if (!posted.inline)
        notes.push("GitHub refused the inline comments; the review lists the findings in its body.");
      log.info(
        { comments: posted.inline ? plan.comments.length : 0, reported: plan.reported.length },
        "review posted",
      );
    }
    const current = new Set(analysis.result.findings.map((f) => markerFingerprint(f.fingerprint)));
    // A file not (fully) analysed has no findings to compare: its threads stay open.
    const unanalysed = new Set([
      ...analysis.skipped.map((s) => s.path),
      ...incompleteFiles(analysis.result).map((f) => f.path),
    ]);
    const gone = state.threads.filter(
      (t) =>
        !t.isResolved &&
        !t.hasReplies &&
        !unanalysed.has(t.path) &&
        t.fingerprints.every((fp) => !current.has(fp)),
    );
    if (gone.length > 0) {
      await resolveThreads(
        octokit,
        gone.map((t) => t.id),
      );
      log.info({ resolved: gone.length }, "resolved threads of fixed findings");
    }
    return notes;
  } catch (error) {
    // The findings stand whatever happened to the review: the check run still reports them.
    log.error(describeError(error), "review failed");
    return [
      `The review could not be posted (${errorText(error)}); the findings below are complete. Re-run to try again.`,
    ];
  }
}

export async function checkMergeGroup(octokit: GitHub, job: MergeGroupJob, deps: JobDeps): Promise<void> {
  const log = deps.log.child({ mergeGroup: job.headSha.slice(0, 12) });
  const limits = deps.limits ?? DEFAULT_LIMITS;
  await withCheckRun(
    octokit,
    job.repo,
    job.headSha,
    `merge_group:${job.baseSha}`,
    log,
    deps,
    async (configSeen) => {
      const compared = await compareFiles(octokit, job.repo, job.baseSha, job.headSha);
      const analysis = await analyzeChange(
        octokit,
        {
          repo: job.repo,
          defaultBranch: job.defaultBranch,
          headSha: job.headSha,
          files: compared.files,
          listingCapped: compared.capped,
          mergeBase: async () => compared.mergeBase,
          onConfig: configSeen,
        },
        limits,
        log,
      );
      const notes = ["Merge queue group: the changes of the queued pull requests are checked together."];
      const capped = "GitHub's compare API lists at most 300 changed files: later files were not analysed.";
      return successCompletion(report(job, job.headSha, analysis, notes, capped));
    },
  );
}

async function rerun(octokit: GitHub, job: RerunJob, deps: JobDeps): Promise<void> {
  const log = deps.log.child({ rerun: job.headSha.slice(0, 12) });
  const mergeGroupBase = /^merge_group:([0-9a-f]{7,64})$/.exec(job.externalId ?? "")?.[1];
  if (mergeGroupBase) {
    return checkMergeGroup(
      octokit,
      {
        kind: "merge_group",
        repo: job.repo,
        defaultBranch: job.defaultBranch,
        ...(job.repoUrl ? { repoUrl: job.repoUrl } : {}),
        headSha: job.headSha,
        baseSha: mergeGroupBase,
      },
      deps,
    );
  }
  const fromExternalId = /^pr:(\d+)$/.exec(job.externalId ?? "")?.[1];
  let number = job.pullNumbers[0] ?? (fromExternalId ? Number(fromExternalId) : undefined);
  try {
    if (number === undefined)
      number = (await pullRequestsForCommit(octokit, job.repo, job.headSha))[0]?.number;
    if (number === undefined) {
      await createCompletedCheckRun(octokit, job.repo, job.headSha, "none", {
        conclusion: "neutral",
        output: {
          title: "No pull request to review",
          summary: "No open pull request has this commit as its head, so there is nothing to review.",
          annotations: [],
        },
      });
      return;
    }
    const pr = await getPullRequest(octokit, job.repo, number);
    return reviewPullRequest(
      octokit,
      {
        kind: "pull_request",
        repo: job.repo,
        defaultBranch: job.defaultBranch,
        ...(job.repoUrl ? { repoUrl: job.repoUrl } : {}),
        number,
        headSha: job.headSha,
        baseSha: pr.baseSha,
        draft: pr.draft,
      },
      deps,
    );
  } catch (error) {
    if (deps.runs?.retryLater(error)) throw error;
    log.error(describeError(error), "re-run failed before the analysis");
    await createCompletedCheckRun(
      octokit,
      job.repo,
      job.headSha,
      number === undefined ? "none" : `pr:${number}`,
      errorCompletion(error, DEFAULT_CONFIG.onError),
    ).catch((e: unknown) => log.error(describeError(e), "could not report the failed re-run"));
  }
}

/** `cappedNote`: what to say when GitHub's listing of the changed files was capped. */
function report(
  job: JobRepository,
  headSha: string,
  analysis: Analysis,
  notes: string[],
  cappedNote: string,
): CheckRunReport {
  return toCheckRunReport({
    ...(analysis.listingCapped ? { listingCapped: cappedNote } : {}),
    result: analysis.result,
    config: analysis.loaded.config,
    configLayers: analysis.loaded.layers,
    configProblems: [...analysis.loaded.problems, ...analysis.previewProblems],
    configEditedInPr: analysis.configEditedInPr,
    skipped: analysis.skipped,
    changedFiles: analysis.changedFiles,
    analysedFiles: analysis.analysedFiles,
    fileUrl: fileUrl(job, headSha),
    notes,
  });
}

function successCompletion(r: CheckRunReport): Completion {
  return {
    conclusion: r.conclusion,
    output: { title: r.title, summary: r.summary, annotations: r.annotations },
  };
}

export function errorCompletion(error: unknown, onError: Config["onError"]): Completion {
  const conclusion = onError === "fail" ? "failure" : "neutral";
  return {
    conclusion,
    rerunButton: true,
    output: {
      title: "RCE Guard could not finish the analysis",
      summary: [
        `The analysis stopped with an error: \`${errorText(error)}\``,
        `Conclusion: **${conclusion}** (\`on_error: ${onError}\`). Use **Re-run** above to try again; if it keeps failing, the error above is what to report.`,
      ].join("\n\n"),
      annotations: [],
    },
  };
}

/**
 * Rejects when `signal` aborts (the work is abandoned: its own rejection, if any, is then ignored), so the
 * check run is completed at once rather than when work that may never end does.
 */
function stopped(signal: AbortSignal, working: Promise<unknown>): Promise<never> {
  working.catch(() => {});
  return new Promise((_resolve, reject) => {
    const abort = () => reject(signal.reason ?? new Error("stopped"));
    if (signal.aborted) abort();
    else signal.addEventListener("abort", abort, { once: true });
  });
}

/** The server was stopped (a deploy, a restart) before the analysis finished: nothing is known either way. */
export function shutdownCompletion(onError: Config["onError"]): Completion {
  const conclusion = onError === "fail" ? "failure" : "neutral";
  return {
    conclusion,
    rerunButton: true,
    output: {
      title: "RCE Guard was stopped before the analysis finished",
      summary: [
        "The RCE Guard server shut down (a restart or a deploy) while this commit was being analysed, and the analysis did not finish within the shutdown grace period. Nothing was concluded about this commit's code.",
        `Conclusion: **${conclusion}** (\`on_error: ${onError}\`). Use **Re-run** above to analyse it again.`,
      ].join("\n\n"),
      annotations: [],
    },
  };
}

/** Status and message only: Octokit errors also carry request headers and response bodies (file contents). */
export function describeError(error: unknown): { status?: number; error: string } {
  const status = (error as { status?: unknown }).status;
  return { ...(typeof status === "number" ? { status } : {}), error: errorText(error) };
}

function errorText(error: unknown): string {
  const status = (error as { status?: unknown }).status;
  const message = error instanceof Error ? error.message : String(error);
  const text = `${typeof status === "number" ? `HTTP ${status}: ` : ""}${message}`.replace(/`/g, "'");
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/** Links to a file's line at a commit, on the server the repository lives on. */
function fileUrl(job: JobRepository, sha: string) {
  const repoUrl = job.repoUrl ?? `https://github.com/${job.repo.owner}/${job.repo.repo}`;
  return (path: string, line: number) =>
    `${repoUrl}/blob/${sha}/${path.split("/").map(encodeURIComponent).join("/")}#L${line}`;
}
