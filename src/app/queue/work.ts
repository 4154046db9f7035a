// The one interface the webhook handlers, the health and metrics routes and shutdown see, whichever queue
// runs the jobs: the in-process queue (one instance, not durable) or BullMQ on Redis (./durable.ts).
import type { EventEmitter } from "node:events";
import type { Logger } from "pino";
import type { Probot } from "probot";
import type { GitHub } from "../../github/octokit.js";
import type { Limits } from "../analyze-change.js";
import type { AppMetrics } from "../ops/metrics.js";
import type { Job } from "../jobs.js";
import type { RetrySettings } from "./settings.js";

/** What is queued: serialisable, so a worker in another process can run it. */
export interface QueuedJob {
  installationId: number;
  deliveryId: string;
  job: Job;
  /** Triggered by a push, not by a person: skipped when this head was analysed moments ago. */
  automatic: boolean;
}

export type SubmitOutcome = "queued" | "coalesced" | "recent" | "redelivery";

/** Counters since this process started (depth is the whole queue's, across processes when durable). */
export interface WorkStats {
  durable: boolean;
  role: "web" | "worker" | "all";
  /** Jobs waiting (and, durable, waiting for a retry). */
  depth: number;
  /** Jobs running in this process. */
  active: number;
  completed: number;
  failed: number;
  retried: number;
  /** Wall time of the jobs this process finished, in milliseconds (the last 1,000). */
  durationsMs: number[];
}

/** `job` events carry one of these (for /metrics and logs). */
export interface JobEvent {
  key: string;
  kind: Job["kind"];
  outcome: "completed" | "failed" | "retry";
  ms: number;
}

export interface RunDeps {
  limits: Limits;
  completionRetry: RetrySettings;
  /** Job durations, outcomes and GitHub requests for /metrics (./ops/metrics.ts). */
  metrics?: AppMetrics;
}

export interface Work {
  readonly durable: boolean;
  /** Emits `job` (JobEvent) when a job ends in this process. */
  readonly events: EventEmitter;
  /** Called once Probot loads the App: workers take installation tokens from `app`. */
  attach(app: Probot, deps: RunDeps): void;
  submit(item: QueuedJob, octokit: GitHub, log: Logger): Promise<SubmitOutcome>;
  stats(): Promise<WorkStats>;
  /** For /readyz: the queue can take work (Redis answers). */
  ready(): Promise<boolean>;
  /** Stops taking jobs, lets running ones finish within `graceMs`, puts the rest back (durable). */
  drain(graceMs: number): Promise<void>;
}

export const RECENT_MS = 10 * 60 * 1000;

/** Keeps the last `max` durations. */
export function pushDuration(list: number[], ms: number, max = 1000): void {
  list.push(ms);
  if (list.length > max) list.splice(0, list.length - max);
}
