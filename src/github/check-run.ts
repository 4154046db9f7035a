// Check-run writes: a stable name (so it can be a required status check), annotations sent 50 per request
// (GitHub's cap; each update appends), and a completion that every code path reaches.
import type { RestEndpointMethodTypes } from "@octokit/rest";
import type { RepoRef } from "./contents.js";
import type { GitHub } from "./octokit.js";

/** Never rename: branch protection matches required checks by this name. */
export const CHECK_NAME = "RCE Guard";
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
export const RERUN_ACTION = {
  label: "Re-run",
  description: "Run RCE Guard again",
  identifier: "rerun",
} as const;

type CreateParams = RestEndpointMethodTypes["checks"]["create"]["parameters"];
type UpdateParams = RestEndpointMethodTypes["checks"]["update"]["parameters"];
export type Annotation = NonNullable<NonNullable<CreateParams["output"]>["annotations"]>[number];
export type Conclusion = NonNullable<UpdateParams["conclusion"]>;

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations: Annotation[];
}

export interface Completion {
  conclusion: Conclusion;
  output: CheckRunOutput;
  /** Show the Re-run button (error paths; GitHub allows at most three actions). */
  rerunButton?: boolean;
}

export async function startCheckRun(
  octokit: GitHub,
  repo: RepoRef,
  headSha: string,
  externalId: string,
  detailsUrl?: string,
): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: "in_progress",
    external_id: externalId,
    started_at: new Date().toISOString(),
    ...(detailsUrl ? { details_url: detailsUrl } : {}),
    output: { title: "Analysing the pull request", summary: "RCE Guard is reading the changed files." },
  });
  return data.id;
}

/**
 * Sends every annotation batch but the last as in-progress updates, then completes the run with the last
 * batch, the summary and the conclusion, so the run is never seen "completed" with half its annotations.
 */
export async function completeCheckRun(
  octokit: GitHub,
  repo: RepoRef,
  checkRunId: number,
  completion: Completion,
): Promise<void> {
  const { output } = completion;
  const batches: Annotation[][] = [];
  for (let i = 0; i < output.annotations.length; i += MAX_ANNOTATIONS_PER_REQUEST) {
    batches.push(output.annotations.slice(i, i + MAX_ANNOTATIONS_PER_REQUEST));
  }
  const last = batches.pop() ?? [];
  const base = {
    title: output.title,
    summary: output.summary,
    ...(output.text ? { text: output.text } : {}),
  };
  for (const batch of batches) {
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: checkRunId,
      output: { ...base, annotations: batch },
    });
  }
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    status: "completed",
    conclusion: completion.conclusion,
    completed_at: new Date().toISOString(),
    output: { ...base, ...(last.length > 0 ? { annotations: last } : {}) },
    ...(completion.rerunButton ? { actions: [{ ...RERUN_ACTION }] } : {}),
  });
}

/** For when even creating the in-progress run failed: one request that creates it already completed. */
export async function createCompletedCheckRun(
  octokit: GitHub,
  repo: RepoRef,
  headSha: string,
  externalId: string,
  completion: Completion,
): Promise<void> {
  await octokit.rest.checks.create({
    ...repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: "completed",
    external_id: externalId,
    conclusion: completion.conclusion,
    completed_at: new Date().toISOString(),
    output: {
      title: completion.output.title,
      summary: completion.output.summary,
      annotations: completion.output.annotations.slice(0, MAX_ANNOTATIONS_PER_REQUEST),
    },
    ...(completion.rerunButton ? { actions: [{ ...RERUN_ACTION }] } : {}),
  });
}
