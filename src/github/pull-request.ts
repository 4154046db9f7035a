// Pull-request reads: changed files (paginated up to GitHub's 3,000), the merge base for files whose patch
// GitHub omits, and the current head (to avoid posting a review for a commit that is no longer the head).
import type { RepoRef } from "./contents.js";
import type { GitHub } from "./octokit.js";

export interface ChangedFile {
  path: string;
  previousPath?: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  /** Unified diff of the file; absent for binary files and diffs GitHub deems too large. */
  patch?: string;
  additions: number;
  deletions: number;
}

/** GitHub's own cap on `pulls/{n}/files`. */
export const MAX_LISTED_FILES = 3000;

export async function listChangedFiles(
  octokit: GitHub,
  repo: RepoRef,
  pullNumber: number,
): Promise<{ files: ChangedFile[]; capped: boolean }> {
  const files: ChangedFile[] = [];
  for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
    ...repo,
    pull_number: pullNumber,
    per_page: 100,
  })) {
    for (const f of page.data) files.push(toChangedFile(f));
    if (files.length >= MAX_LISTED_FILES) break;
  }
  return { files, capped: files.length >= MAX_LISTED_FILES };
}

/** Files changed between two commits (merge queue groups): the compare API, which lists up to 300. */
export async function compareFiles(
  octokit: GitHub,
  repo: RepoRef,
  base: string,
  head: string,
): Promise<{ files: ChangedFile[]; mergeBase: string; capped: boolean }> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
    ...repo,
    basehead: `${base}...${head}`,
    per_page: 100,
  });
  const files = (data.files ?? []).map(toChangedFile);
  return { files, mergeBase: data.merge_base_commit.sha, capped: files.length >= 300 };
}

/** The commit `pulls/{n}/files` diffs against: needed only when a patch is missing. */
export async function mergeBaseOf(
  octokit: GitHub,
  repo: RepoRef,
  base: string,
  head: string,
): Promise<string> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
    ...repo,
    basehead: `${base}...${head}`,
    per_page: 1,
  });
  return data.merge_base_commit.sha;
}

export async function currentHead(
  octokit: GitHub,
  repo: RepoRef,
  pullNumber: number,
): Promise<{ sha: string; state: string; draft: boolean }> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pullNumber });
  return { sha: data.head.sha, state: data.state, draft: data.draft ?? false };
}

export interface PullRequestRef {
  number: number;
  headSha: string;
  baseSha: string;
  baseRef: string;
  draft: boolean;
}

/** Open pull requests whose head is `sha`: check events for fork heads carry no `pull_requests`. */
export async function pullRequestsForCommit(
  octokit: GitHub,
  repo: RepoRef,
  sha: string,
): Promise<PullRequestRef[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    ...repo,
    commit_sha: sha,
  });
  return data
    .filter((pr) => pr.state === "open" && pr.head.sha === sha)
    .map((pr) => ({
      number: pr.number,
      headSha: pr.head.sha,
      baseSha: pr.base.sha,
      baseRef: pr.base.ref,
      draft: pr.draft ?? false,
    }));
}

export async function getPullRequest(
  octokit: GitHub,
  repo: RepoRef,
  pullNumber: number,
): Promise<PullRequestRef> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pullNumber });
  return {
    number: data.number,
    headSha: data.head.sha,
    baseSha: data.base.sha,
    baseRef: data.base.ref,
    draft: data.draft ?? false,
  };
}

/** The fields of a pull-request or compare file entry the App uses. */
function toChangedFile(f: {
  filename: string;
  previous_filename?: string;
  status: ChangedFile["status"];
  patch?: string;
  additions: number;
  deletions: number;
}): ChangedFile {
  return {
    path: f.filename,
    ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
    status: f.status,
    ...(typeof f.patch === "string" ? { patch: f.patch } : {}),
    additions: f.additions,
    deletions: f.deletions,
  };
}
