// A job whose workers kept dying, against a real Redis and the fake GitHub. BullMQ fails a job that stalled
// more than maxStalledCount times when a worker next takes it, without running it; its check run (created
// by the first attempt) must still be completed promptly with the error and a Re-run button, not left to
// the sweeper's deadline hours later.
import { Redis } from "ioredis";
import { pino } from "pino";
import type { Probot } from "probot";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../../src/app/analyze-change.js";
import type { PullRequestJob } from "../../../src/app/jobs.js";
import { DurableWork, PREFIX, QUEUE_NAME } from "../../../src/app/queue/durable.js";
import { RunLedger } from "../../../src/app/queue/ledger.js";
import { workSettingsFromEnv } from "../../../src/app/queue/settings.js";
import { GitHubServer } from "../support/app-process.js";
import { type RedisServer, startRedis } from "../support/redis-server.js";

let redis: RedisServer;
let client: Redis;
let github: GitHubServer;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
  github = new GitHubServer([]);
  await github.listen();
});

afterAll(async () => {
  client?.disconnect();
  await github?.close();
  await redis?.stop();
});

it("a job failed for stalling too often completes the run its first attempt created, with the error and Re-run", async () => {
  const { fake, octokit, repo, startRun } = github.installation();
  const job: PullRequestJob = {
    kind: "pull_request",
    repo,
    defaultBranch: "main",
    number: 2,
    headSha: fake.headSha,
    baseSha: "b".repeat(40),
    draft: false,
  };
  const key = `${repo.owner}/${repo.repo}@${fake.headSha}`;
  // The first attempt created the run and recorded it; then its worker died, again and again.
  const checkRunId = await startRun("pr:2");
  const ledger = new RunLedger(client, PREFIX);
  await ledger.record(
    {
      installationId: 1,
      repo,
      headSha: fake.headSha,
      externalId: "pr:2",
      checkRunId,
      jobKey: key,
      createdAt: Date.now(),
    },
    Date.now() + 3600_000,
  );

  const { settings } = workSettingsFromEnv({ REDIS_URL: redis.url, RCE_GUARD_ROLE: "worker" });
  const work = new DurableWork(settings);
  const log = pino({ level: "silent" });
  expect(
    await work.submit({ installationId: 1, deliveryId: "d1", job, automatic: false }, octokit, log),
  ).toBe("queued");
  // What BullMQ's stalled-job check leaves on a job past maxStalledCount.
  await client.hset(`${PREFIX}:${QUEUE_NAME}:${key}`, "defa", "job stalled more than allowable limit");

  const app = { log, auth: async () => octokit } as unknown as Probot;
  work.attach(app, {
    limits: DEFAULT_LIMITS,
    completionRetry: { budgetMs: 10_000, baseMs: 100, maxMs: 1000 },
  });
  try {
    const deadline = Date.now() + 20_000;
    while (fake.checkRuns.get(checkRunId)?.status !== "completed" && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const run = fake.checkRuns.get(checkRunId);
    expect(run?.status).toBe("completed");
    expect(run?.output.title).toBe("RCE Guard could not finish the analysis");
    expect(run?.output.summary).toContain("stopped (crashed or was killed) on every attempt");
    expect(run?.actions).toEqual([
      { label: "Re-run", description: "Run RCE Guard again", identifier: "rerun" },
    ]);
    // No second run, nothing reviewed (the job never ran), the run is off the ledger, the job dead-lettered.
    expect(fake.checkRuns.size).toBe(1);
    expect(fake.reviews).toEqual([]);
    expect(await ledger.get(key, "pr:2")).toBeUndefined();
    for (let i = 0; i < 50 && (await work.deadLetters()) === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await work.deadLetters()).toBe(1);
  } finally {
    await work.drain(1000);
  }
});
