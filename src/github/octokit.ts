// The Octokit every GitHub call goes through: Probot's (throttling, retry, pagination, REST methods),
// with secondary rate limits retried (a bot must always finish its check run) and writes spaced per
// installation, GraphQL reads not at all (./throttling.ts).
import { ProbotOctokit } from "probot";
import { perInstallationThrottle } from "./throttling.js";

export type GitHub = ProbotOctokit;

export interface RetryTuning {
  /** Attempts after a secondary rate limit before giving up (the check run then completes with the error). */
  secondaryRetries?: number;
  /** Milliseconds per second of `retry-after` and of plugin-retry's backoff (1000 in production; tiny in tests). */
  retryAfterBaseValue?: number;
  /**
   * Replacement Bottleneck groups for plugin-throttling's lanes (`global`, `write`, `notifications`, ...).
   * Only tests and the benchmark pass these, to take the one-second write spacing out of the picture.
   */
  throttleGroups?: Record<string, unknown>;
}

type ThrottleLimitHandler = (
  retryAfter: number,
  options: { method: string; url: string },
  octokit: { log: { warn: (message: string) => void } },
  retryCount: number,
) => boolean;

/**
 * Probot's defaults log secondary rate limits and give up, which would turn a transient 403 into a failed
 * run. GitHub asks clients to wait `retry-after` (or a minute) and try again; this does that a few times.
 */
export function secondaryRateLimitHandler(maxRetries: number): ThrottleLimitHandler {
  return (retryAfter, options, octokit, retryCount) => {
    octokit.log.warn(
      `Secondary rate limit on ${options.method} ${options.url}; attempt ${retryCount + 1}, waiting ${retryAfter}s`,
    );
    return retryCount < maxRetries;
  };
}

/** Probot's Octokit with retrying secondary-rate-limit handling; passed to Probot as `Octokit`. */
export function createOctokitClass(tuning: RetryTuning = {}): typeof ProbotOctokit {
  const { secondaryRetries = 3, retryAfterBaseValue, throttleGroups = {} } = tuning;
  return ProbotOctokit.defaults((options: Record<string, unknown>) => {
    const throttle = (options.throttle ?? {}) as Record<string, unknown>;
    const retry = (options.retry ?? {}) as Record<string, unknown>;
    return {
      ...options,
      throttle: {
        ...perInstallationThrottle(throttle, options.auth),
        ...throttleGroups,
        onSecondaryRateLimit: secondaryRateLimitHandler(secondaryRetries),
        ...(retryAfterBaseValue === undefined ? {} : { retryAfterBaseValue }),
      },
      retry: { ...retry, ...(retryAfterBaseValue === undefined ? {} : { retryAfterBaseValue }) },
    };
  }) as typeof ProbotOctokit;
}

export const RceGuardOctokit = createOctokitClass();
