// How the App's work is run, read from the environment once at start-up: where jobs wait (in process, or
// BullMQ on Redis when REDIS_URL is set), which role this process plays, and the timings that keep a
// check run from staying in progress. Times are environment variables so the fault suite can run an
// outage in seconds instead of minutes; production keeps the defaults.

export type Role = "web" | "worker" | "all";

export interface RetrySettings {
  /** How long completing a check run keeps being retried through a GitHub outage. */
  budgetMs: number;
  /** First wait between completion attempts; doubles up to `maxMs`. */
  baseMs: number;
  maxMs: number;
}

export interface WorkSettings {
  /** Set: the durable queue on this Redis. Unset: the in-process queue (not durable). */
  redisUrl: string | undefined;
  role: Role;
  /** Jobs one worker process runs at once. */
  concurrency: number;
  /** Attempts of a job before its dead-letter path completes the check run with the error. */
  attempts: number;
  /** First wait before a job is tried again; doubles each attempt. */
  backoffMs: number;
  /** A worker's lock on a job; a job whose worker stops renewing it is taken over after this. */
  lockMs: number;
  /** A run of ours still in progress this long after its job last started is finished by the sweeper. */
  runDeadlineMs: number;
  /** How often the sweeper looks (one process at a time, through a lock in Redis). */
  sweepMs: number;
  /** SIGTERM: how long running jobs may take to finish before they are put back on the queue. */
  drainMs: number;
  completion: RetrySettings;
}

const NUMBERS = {
  concurrency: ["RCE_GUARD_CONCURRENCY", 16],
  attempts: ["RCE_GUARD_JOB_ATTEMPTS", 6],
  backoffMs: ["RCE_GUARD_RETRY_BACKOFF_MS", 10_000],
  lockMs: ["RCE_GUARD_LOCK_MS", 30_000],
  runDeadlineMs: ["RCE_GUARD_RUN_DEADLINE_MS", 2 * 3600_000],
  sweepMs: ["RCE_GUARD_SWEEP_MS", 60_000],
  drainMs: ["RCE_GUARD_DRAIN_MS", 25_000],
  completionBudgetMs: ["RCE_GUARD_COMPLETE_RETRY_MS", 3600_000],
  completionBaseMs: ["RCE_GUARD_COMPLETE_RETRY_BASE_MS", 2_000],
  completionMaxMs: ["RCE_GUARD_COMPLETE_RETRY_MAX_MS", 60_000],
} as const;

/** `argv`: `--role web|worker|all` wins over RCE_GUARD_ROLE; the default is `all`. */
export function workSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = [],
): { settings: WorkSettings; problems: string[] } {
  const problems: string[] = [];
  const n = {} as Record<keyof typeof NUMBERS, number>;
  for (const [key, [name, fallback]] of Object.entries(NUMBERS) as [
    keyof typeof NUMBERS,
    (typeof NUMBERS)[keyof typeof NUMBERS],
  ][]) {
    const raw = env[name];
    const value = Number(raw);
    if (raw === undefined || raw === "") n[key] = fallback;
    else if (Number.isInteger(value) && value > 0) n[key] = value;
    else {
      n[key] = fallback;
      problems.push(`${name}=${JSON.stringify(raw)} is not a positive whole number; using ${fallback}`);
    }
  }
  const flag = argv.indexOf("--role");
  const rawRole = (flag >= 0 ? argv[flag + 1] : undefined) ?? env.RCE_GUARD_ROLE ?? "all";
  let role: Role = "all";
  if (rawRole === "web" || rawRole === "worker" || rawRole === "all") role = rawRole;
  else problems.push(`role ${JSON.stringify(rawRole)} is not one of web, worker, all; using all`);
  const redisUrl = env.REDIS_URL || undefined;
  return {
    settings: {
      redisUrl,
      role,
      concurrency: n.concurrency,
      attempts: n.attempts,
      backoffMs: n.backoffMs,
      lockMs: n.lockMs,
      runDeadlineMs: n.runDeadlineMs,
      sweepMs: n.sweepMs,
      drainMs: n.drainMs,
      completion: { budgetMs: n.completionBudgetMs, baseMs: n.completionBaseMs, maxMs: n.completionMaxMs },
    },
    problems,
  };
}

export const DEFAULT_COMPLETION_RETRY: RetrySettings = workSettingsFromEnv({}).settings.completion;
