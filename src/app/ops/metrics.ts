// Prometheus metrics for /metrics: the queue (depth and jobs running, read when scraped), job durations
// and outcomes, GitHub requests, retries and rate-limit headroom. One registry per App instance (tests
// run several in one process), with Node's process metrics beside the App's own.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** What the metrics read from a queue; the in-process queue and a Redis-backed one both provide it. */
export interface QueueGauge {
  /** Jobs waiting to start. */
  depth(): number | Promise<number>;
  /** Jobs running now (on this process, or on every worker for a shared queue). */
  active(): number | Promise<number>;
}

/** The part of an Octokit instance the metrics hook into (`octokit.hook`, from before-after-hook). */
export interface HookableOctokit {
  hook: {
    before(name: "request", hook: (options: unknown) => void): void;
    after(name: "request", hook: (response: unknown, options: unknown) => void): void;
    error(name: "request", hook: (error: unknown, options: unknown) => unknown): void;
  };
}

export interface AppMetrics {
  readonly registry: Registry;
  /** Reads depth and jobs running from this queue at every scrape. */
  watchQueue(queue: QueueGauge): void;
  /**
   * Times a job. `outcome`: `completed`, `failed` (a crash the job could not turn into a run, or the last
   * attempt of a durable job) or `retry` (a durable job that will be tried again): a small fixed set.
   */
  jobFinished(kind: string, seconds: number, outcome: string): void;
  /** Counts this client's requests, retries, completed check runs and rate-limit headroom. */
  observeGitHub(octokit: HookableOctokit, installation?: number | string): void;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): AppMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const queues: QueueGauge[] = [];
  const sum = async (read: (q: QueueGauge) => number | Promise<number>) => {
    let total = 0;
    for (const q of queues) total += await read(q);
    return total;
  };
  new Gauge({
    name: "rce_guard_queue_depth",
    help: "Jobs waiting to start.",
    registers: [registry],
    async collect() {
      this.set(await sum((q) => q.depth()));
    },
  });
  new Gauge({
    name: "rce_guard_queue_active",
    help: "Jobs running.",
    registers: [registry],
    async collect() {
      this.set(await sum((q) => q.active()));
    },
  });
  const durations = new Histogram({
    name: "rce_guard_job_duration_seconds",
    help: "Time from a job's start to its end (analysis and every GitHub call, throttling included).",
    labelNames: ["kind", "outcome"],
    // From a cached re-run to a large pull request waiting out rate limits.
    buckets: [0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const runs = new Counter({
    name: "rce_guard_check_runs_completed_total",
    help: "Check runs the App completed, by conclusion.",
    labelNames: ["conclusion"],
    registers: [registry],
  });
  const requests = new Counter({
    name: "rce_guard_github_requests_total",
    help: "GitHub API requests (each counted once, however often it was retried), by method and final status.",
    labelNames: ["method", "status"],
    registers: [registry],
  });
  const retries = new Counter({
    name: "rce_guard_github_retries_total",
    help: "Retries of GitHub requests (server errors, rate limits), by method.",
    labelNames: ["method"],
    registers: [registry],
  });
  const remaining = new Gauge({
    name: "rce_guard_github_rate_limit_remaining",
    help: "x-ratelimit-remaining of the last GitHub answer, by installation (app: the App's own token).",
    labelNames: ["installation"],
    registers: [registry],
  });

  return {
    registry,
    watchQueue(queue) {
      queues.push(queue);
    },
    jobFinished(kind, seconds, outcome) {
      durations.observe({ kind, outcome }, seconds);
    },
    observeGitHub(octokit, installation) {
      const who = installation === undefined ? "app" : String(installation);
      // Attempts are counted where they reach the wire: each request gets its own `request` options with
      // a counting fetch, which every retry (plugin-retry's, plugin-throttling's) calls again. (The
      // plugins' own `retryCount` lives on an object Octokit shares between requests.)
      const attempts = new WeakMap<object, number>();
      octokit.hook.before("request", (options) => {
        const o = options as RequestOptions;
        const inner = o.request?.fetch;
        const request: NonNullable<RequestOptions["request"]> = { ...o.request };
        request.fetch = (input, init) => {
          attempts.set(request, (attempts.get(request) ?? 0) + 1);
          return (inner ?? globalThis.fetch)(input, init);
        };
        o.request = request;
      });
      const seen = (options: unknown, status: number | undefined, headers: unknown) => {
        const o = (options ?? {}) as RequestOptions;
        const method = typeof o.method === "string" ? o.method : "GET";
        requests.inc({ method, status: status === undefined ? "none" : String(status) });
        const retried = (o.request ? (attempts.get(o.request) ?? 1) : 1) - 1;
        if (retried > 0) retries.inc({ method }, retried);
        const left = Number((headers as Record<string, unknown> | undefined)?.["x-ratelimit-remaining"]);
        if (Number.isFinite(left)) remaining.set({ installation: who }, left);
      };
      octokit.hook.after("request", (response, options) => {
        const r = response as { status?: number; headers?: unknown };
        seen(options, r.status, r.headers);
        const o = options as RequestOptions;
        if (
          o.status === "completed" &&
          typeof o.conclusion === "string" &&
          /\/check-runs/.test(String(o.url))
        )
          runs.inc({ conclusion: o.conclusion });
      });
      octokit.hook.error("request", (error, options) => {
        const e = error as { status?: number; response?: { headers?: unknown } };
        seen(options, e.status, e.response?.headers);
        throw error;
      });
    },
  };
}

interface RequestOptions {
  method?: unknown;
  url?: unknown;
  status?: unknown;
  conclusion?: unknown;
  request?: { fetch?: typeof fetch; [option: string]: unknown };
}
