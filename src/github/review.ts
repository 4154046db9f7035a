// Review reads and writes: what the App already said on this pull request (hidden fingerprints in its
// comments and review bodies), posting one review, and resolving threads whose finding went away.
// Threads are GraphQL-only (REST has no resolution state).
import { readFingerprints, readReviewedHead } from "../report/review.js";
import type { ExtraSelection, RepoRef } from "./contents.js";
import type { GitHub } from "./octokit.js";

export interface BotThread {
  id: string;
  path: string;
  fingerprints: string[];
  isResolved: boolean;
  /** Someone answered: the conversation belongs to people now and is left alone. */
  hasReplies: boolean;
}

export interface ReviewState {
  headSha: string | undefined;
  /** Fingerprints already posted in this PR (inline comments and review bodies). */
  known: Set<string>;
  /** Head SHAs the App already posted a review for. */
  reviewedHeads: Set<string>;
  threads: BotThread[];
  /** More threads exist than were read; resolution only covers the ones read. */
  partial: boolean;
  /** Where the next page of threads starts, while `partial`. */
  threadsCursor?: string;
}

const THREAD_PAGE = `pageInfo { hasNextPage endCursor }
        nodes {
          id isResolved path
          comments(first: 1) { totalCount nodes { body viewerDidAuthor author { __typename } } }
        }`;

const THREADS = `reviewThreads(first: 100) {
        ${THREAD_PAGE}
      }
      reviews(last: 50) { nodes { body viewerDidAuthor author { __typename } } }`;

export function reviewStateSelection(pullNumber: number): ExtraSelection {
  return {
    inRepository: `pullRequest(number: $number) {
      headRefOid
      ${THREADS}
    }`,
    declarations: ["$number: Int!"],
    variables: { number: pullNumber },
  };
}

interface RawComment {
  body: string;
  viewerDidAuthor: boolean;
  author: { __typename: string } | null;
}

interface RawThreadPage {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  nodes: {
    id: string;
    isResolved: boolean;
    path: string;
    comments: { totalCount: number; nodes: RawComment[] };
  }[];
}

/** The App's own words: written by this installation (viewer) or, failing that signal, by a bot, and marked. */
function isOurs(comment: RawComment | undefined): boolean {
  if (!comment) return false;
  return (
    (comment.viewerDidAuthor || comment.author?.__typename === "Bot") &&
    readFingerprints(comment.body).length > 0
  );
}

export function readReviewState(data: Record<string, unknown>): ReviewState {
  const pr = ((data.repository ?? {}) as Record<string, unknown>).pullRequest as
    | {
        headRefOid: string;
        reviewThreads: RawThreadPage;
        reviews: { nodes: RawComment[] };
      }
    | null
    | undefined;
  const state: ReviewState = {
    headSha: pr?.headRefOid,
    known: new Set(),
    reviewedHeads: new Set(),
    threads: [],
    partial: false,
  };
  if (!pr) return state;
  addThreads(state, pr.reviewThreads);
  for (const review of pr.reviews.nodes) {
    if (!(review.viewerDidAuthor || review.author?.__typename === "Bot")) continue;
    for (const fp of readFingerprints(review.body)) state.known.add(fp);
    const head = readReviewedHead(review.body);
    if (head) state.reviewedHeads.add(head);
  }
  return state;
}

import type { ReviewComment } from "../report/review.js";

export type { ReviewComment };

/**
 * Posts one COMMENT review on `commitId`. GitHub rejects the whole review when any comment is off the
 * diff; comments are validated beforehand, and if GitHub still refuses, the review goes out without
 * inline comments (their text moved to the body) instead of not at all.
 */
export async function postReview(
  octokit: GitHub,
  repo: RepoRef,
  pullNumber: number,
  commitId: string,
  body: string,
  comments: readonly ReviewComment[],
  fallbackBody: () => string,
): Promise<{ inline: boolean }> {
  try {
    await octokit.rest.pulls.createReview({
      ...repo,
      pull_number: pullNumber,
      commit_id: commitId,
      event: "COMMENT",
      body,
      comments: [...comments],
    });
    return { inline: true };
  } catch (error) {
    if ((error as { status?: number }).status !== 422 || comments.length === 0) throw error;
    await octokit.rest.pulls.createReview({
      ...repo,
      pull_number: pullNumber,
      commit_id: commitId,
      event: "COMMENT",
      body: fallbackBody(),
    });
    return { inline: false };
  }
}

function addThreads(state: ReviewState, page: RawThreadPage): void {
  for (const thread of page.nodes) {
    const first = thread.comments.nodes[0];
    // Known-ness counts any marked comment (never re-post); ownership gates resolution.
    for (const fp of readFingerprints(first?.body ?? "")) state.known.add(fp);
    if (!isOurs(first)) continue;
    state.threads.push({
      id: thread.id,
      path: thread.path,
      fingerprints: readFingerprints(first?.body ?? ""),
      isResolved: thread.isResolved,
      hasReplies: thread.comments.totalCount > 1,
    });
  }
  state.partial = page.pageInfo.hasNextPage;
  if (page.pageInfo.hasNextPage && page.pageInfo.endCursor) state.threadsCursor = page.pageInfo.endCursor;
  else delete state.threadsCursor;
}

/** Pages past which a pull request's threads are left unread (100 each): a bound on requests per run. */
const MAX_THREAD_PAGES = 20;

/** Reads the review threads past the first page, so findings fixed in long reviews get resolved too. */
export async function readRemainingThreads(
  octokit: GitHub,
  repo: RepoRef,
  pullNumber: number,
  state: ReviewState,
): Promise<void> {
  const query = `query($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $after) {
        ${THREAD_PAGE}
      }
    }
  }
}`;
  for (let page = 0; page < MAX_THREAD_PAGES && state.partial && state.threadsCursor; page++) {
    const data = await octokit.graphql<{
      repository: { pullRequest: { reviewThreads: RawThreadPage } | null } | null;
    }>(query, {
      owner: repo.owner,
      name: repo.repo,
      number: pullNumber,
      after: state.threadsCursor,
    });
    const threads = data.repository?.pullRequest?.reviewThreads;
    if (!threads) return;
    addThreads(state, threads);
  }
}

/** Resolves threads in one GraphQL request per 50 (aliased mutations). */
export async function resolveThreads(octokit: GitHub, threadIds: readonly string[]): Promise<void> {
  for (let i = 0; i < threadIds.length; i += 50) {
    const batch = threadIds.slice(i, i + 50);
    const variables: Record<string, string> = {};
    const fields = batch.map((id, j) => {
      variables[`t${j}`] = id;
      return `r${j}: resolveReviewThread(input: { threadId: $t${j} }) { thread { id isResolved } }`;
    });
    const declarations = batch.map((_, j) => `$t${j}: ID!`).join(", ");
    await octokit.graphql(`mutation(${declarations}) {\n  ${fields.join("\n  ")}\n}`, variables);
  }
}
