// Which GitHub failures are worth waiting out, and a bounded retry loop for the one write that must
// happen: completing a check run. Octokit's own retries cover a few seconds; an outage lasts minutes.
import type { Logger } from "pino";
import type { RetrySettings } from "./settings.js";

/** A 5xx, a 429, a rate-limit 403 or a network failure: GitHub may answer differently later. */
export function isTransient(error: unknown): boolean {
  const e = error as { status?: unknown; message?: unknown; code?: unknown; cause?: unknown };
  const status = typeof e?.status === "number" ? e.status : undefined;
  const message = typeof e?.message === "string" ? e.message : "";
  if (status === undefined) {
    const code = (e?.cause as { code?: unknown } | undefined)?.code ?? e?.code;
    return (
      typeof code === "string" ||
      /fetch failed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|other side closed/i.test(message)
    );
  }
  if (status >= 500 || status === 429) return true;
  return status === 403 && /rate limit/i.test(message);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, fails for good (not transient), or the budget is spent; waits
 * `baseMs`, doubling to `maxMs`, between tries. Throws the last error when it gives up.
 */
export async function retryTransient<T>(
  attempt: () => Promise<T>,
  retry: RetrySettings,
  log: Logger,
  what: string,
): Promise<T> {
  const giveUpAt = Date.now() + retry.budgetMs;
  let wait = retry.baseMs;
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransient(error) || Date.now() + wait > giveUpAt) throw error;
      log.warn(
        { tries, retryInMs: wait, error: String((error as Error)?.message ?? error) },
        `${what}: GitHub unavailable, trying again`,
      );
      await sleep(wait);
      wait = Math.min(wait * 2, retry.maxMs);
    }
  }
}
