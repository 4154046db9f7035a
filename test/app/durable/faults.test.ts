// The fault suite: the App as real processes (web receivers and workers running src/app/main.ts) on a
// real redis-server, against the fake GitHub on loopback, with real signed deliveries. Each test stops
// the job at a chosen request, breaks something (kill -9, GitHub down, Redis restart, SIGTERM, a
// redelivery to another receiver), lets it go on, and checks what GitHub was left with: every check run
// the App created is completed, none is duplicated, no review is posted twice.
//
// Time scale: production waits 30 s for a dead worker's lock and 10 s before a job's first retry; here
// RCE_GUARD_LOCK_MS and RCE_GUARD_RETRY_BACKOFF_MS make that 3 s and 1 s. The GitHub outage lasts 60 s of
// real time unless RCE_GUARD_FAULT_OUTAGE_MS says otherwise.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type AppProcess, deliver, GitHubServer, startApp, waitFor } from "../support/app-process.js";
import { FakeGitHub } from "../support/fake-github.js";
import { fixture } from "../support/fixtures.js";
import { pullRequestPayload } from "../support/harness.js";
import { type RedisServer, startRedis } from "../support/redis-server.js";

const OUTAGE_MS = Number(process.env.RCE_GUARD_FAULT_OUTAGE_MS ?? 60_000);
const FAST: Record<string, string> = {
  RCE_GUARD_LOCK_MS: "3000",
  RCE_GUARD_RETRY_BACKOFF_MS: "1000",
  RCE_GUARD_JOB_ATTEMPTS: "8",
  RCE_GUARD_COMPLETE_RETRY_BASE_MS: "500",
  RCE_GUARD_COMPLETE_RETRY_MAX_MS: "4000",
  RCE_GUARD_SWEEP_MS: "1000",
  RCE_GUARD_DRAIN_MS: "2000",
  RCE_GUARD_CONCURRENCY: "2",
};

let redis: RedisServer;
let github: GitHubServer;
let fake: FakeGitHub;
const started: AppProcess[] = [];

beforeAll(async () => {
  redis = await startRedis({ appendonly: true });
  github = new GitHubServer([]);
  await github.listen();
});

afterAll(async () => {
  await github?.close();
  await redis?.stop();
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.kill("SIGKILL")));
  github.down = false;
  // Each test starts from an empty Redis.
  const { Redis } = await import("ioredis");
  const client = new Redis(redis.url);
  await client.flushall();
  client.disconnect();
});

function newFake(): FakeGitHub {
  fake = new FakeGitHub();
  fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
  github.fakes.splice(0, github.fakes.length, fake);
  return fake;
}

async function app(role: "web" | "worker" | "all", env: Record<string, string> = {}): Promise<AppProcess> {
  const p = await startApp({ role, github, redisUrl: redis.url, env: { ...FAST, ...env } });
  started.push(p);
  return p;
}

async function completion(timeoutMs = 90_000): Promise<void> {
  await waitFor(
    () => fake.checkRuns.size > 0 && [...fake.checkRuns.values()].every((r) => r.status === "completed"),
    timeoutMs,
    () => JSON.stringify([...fake.checkRuns.values()].map((r) => [r.id, r.status])),
  );
}

/** What every test ends with: all runs completed, one per head and external id, no review twice. */
function expectNothingStuckOrTwice(): void {
  const runs = [...fake.checkRuns.values()];
  expect(runs.filter((r) => r.status !== "completed")).toEqual([]);
  const keys = runs.map((r) => `${r.head_sha}#${r.external_id}`);
  expect(new Set(keys).size).toBe(keys.length);
  const reviewed = fake.reviews.map((r) => r.commit_id);
  expect(new Set(reviewed).size).toBe(reviewed.length);
  const comments = fake.threads.map((t) => `${t.path}:${t.line}`);
  expect(new Set(comments).size).toBe(comments.length);
}

/** The analysis ran to its end (the fixture has a critical finding): the run is no error report. */
function expectAnalysed(): void {
  const [run] = fake.completedRuns;
  expect(run?.conclusion).toBe("failure");
  expect(run?.output.title).not.toBe("RCE Guard could not finish the analysis");
  expect(fake.reviews).toHaveLength(1);
}

const FILES = /\/pulls\/2\/files$/;

describe("durable queue under faults (real processes, real Redis)", { timeout: 240_000 }, () => {
  it("kill -9 of the worker mid-job: another worker finishes the same check run", async () => {
    newFake();
    const web = await app("web");
    const first = await app("worker");
    const held = github.hold("GET", FILES);
    const answer = await deliver(web, "pull_request", pullRequestPayload("opened", fake));
    expect(answer.status).toBe(200);
    await held.reached;
    expect(fake.checkRuns.size).toBe(1);
    await app("worker");
    await first.kill("SIGKILL");
    held.release();
    await completion();
    expectNothingStuckOrTwice();
    expectAnalysed();
    expect(fake.checkRuns.size).toBe(1);
  });

  it("kill -9 of the only process (web and worker): the restarted process finishes the run", async () => {
    newFake();
    const first = await app("all");
    const held = github.hold("GET", FILES);
    expect((await deliver(first, "pull_request", pullRequestPayload("opened", fake))).status).toBe(200);
    await held.reached;
    await first.kill("SIGKILL");
    held.release();
    await app("all");
    await completion();
    expectNothingStuckOrTwice();
    expectAnalysed();
    expect(fake.checkRuns.size).toBe(1);
  });

  it(`GitHub down for ${OUTAGE_MS / 1000} s after the run is created: the run is completed once it is back`, async () => {
    newFake();
    const web = await app("web");
    await app("worker");
    const held = github.hold("GET", FILES);
    expect((await deliver(web, "pull_request", pullRequestPayload("opened", fake))).status).toBe(200);
    await held.reached;
    github.down = true;
    held.release();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    expect([...fake.checkRuns.values()].map((r) => r.status)).toEqual(["in_progress"]);
    github.down = false;
    await completion(180_000);
    expectNothingStuckOrTwice();
    expectAnalysed();
  });

  it("Redis restarted mid-job: the job goes on and completes its run", async () => {
    newFake();
    const web = await app("web");
    await app("worker");
    const held = github.hold("GET", FILES);
    expect((await deliver(web, "pull_request", pullRequestPayload("opened", fake))).status).toBe(200);
    await held.reached;
    await redis.restart(2000);
    held.release();
    await completion();
    expectNothingStuckOrTwice();
    expectAnalysed();
  });

  it("SIGTERM during a job: the worker drains, exits 0, and the job is finished by the next worker", async () => {
    newFake();
    const web = await app("web");
    const first = await app("worker");
    const held = github.hold("GET", FILES);
    expect((await deliver(web, "pull_request", pullRequestPayload("opened", fake))).status).toBe(200);
    await held.reached;
    const exitCode = await first.kill("SIGTERM");
    expect(exitCode).toBe(0);
    expect(first.logs.join("")).toContain("drained; exiting");
    await app("worker");
    held.release();
    await completion();
    expectNothingStuckOrTwice();
    expectAnalysed();
    expect(fake.checkRuns.size).toBe(1);
  });

  it("a redelivery to a second receiver, during and after the job, makes no second run or review", async () => {
    newFake();
    const one = await app("web");
    const two = await app("web");
    await app("worker");
    const held = github.hold("GET", FILES);
    const payload = pullRequestPayload("opened", fake);
    const first = await deliver(one, "pull_request", payload);
    await held.reached;
    // The same delivery again, at another receiver, while the job runs; and another event for the head.
    expect((await deliver(two, "pull_request", payload, first.deliveryId)).status).toBe(200);
    expect((await deliver(two, "pull_request", pullRequestPayload("reopened", fake))).status).toBe(200);
    held.release();
    await completion();
    // A redelivery after the job finished (GitHub's "Redeliver" button keeps the delivery id).
    expect((await deliver(two, "pull_request", payload, first.deliveryId)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3000));
    expectNothingStuckOrTwice();
    expectAnalysed();
    expect(fake.checkRuns.size).toBe(1);
  });

  it("a job that fails on every attempt is dead-lettered: its run is completed with the error and Re-run", async () => {
    newFake();
    fake.fail({ method: "GET", path: FILES, status: 502, times: 1000 });
    const web = await app("web", { RCE_GUARD_JOB_ATTEMPTS: "2" });
    await app("worker", { RCE_GUARD_JOB_ATTEMPTS: "2" });
    expect((await deliver(web, "pull_request", pullRequestPayload("opened", fake))).status).toBe(200);
    await completion(120_000);
    expectNothingStuckOrTwice();
    const [run] = fake.completedRuns;
    expect(run?.output.title).toBe("RCE Guard could not finish the analysis");
    expect(run?.output.summary).toContain("HTTP 502");
    expect(run?.actions).toEqual([
      { label: "Re-run", description: "Run RCE Guard again", identifier: "rerun" },
    ]);
    expect(fake.checkRuns.size).toBe(1);
  });
});
