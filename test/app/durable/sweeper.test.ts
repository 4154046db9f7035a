// The sweeper and the run ledger against a real Redis and the fake GitHub: a run of ours left in progress
// past its deadline, whose job is gone, is completed with the error and a Re-run button; one whose job is
// still queued gets a new deadline instead; only one process sweeps at a time.
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PREFIX, QUEUE_NAME } from "../../../src/app/queue/durable.js";
import { RunLedger } from "../../../src/app/queue/ledger.js";
import { workSettingsFromEnv } from "../../../src/app/queue/settings.js";
import { Sweeper } from "../../../src/app/queue/sweeper.js";
import { GitHubServer } from "../support/app-process.js";
import { type RedisServer, startRedis } from "../support/redis-server.js";

let redis: RedisServer;
let client: Redis;
let github: GitHubServer;
let queue: Queue;
let queueConnection: Redis;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
  github = new GitHubServer([]);
  await github.listen();
  queueConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
  queue = new Queue(QUEUE_NAME, { connection: queueConnection, prefix: PREFIX });
});

afterAll(async () => {
  await queue?.close();
  queueConnection?.disconnect();
  client?.disconnect();
  await github?.close();
  await redis?.stop();
});

it("completes an abandoned run past its deadline, leaves one whose job is queued, and sweeps once at a time", async () => {
  const { fake, octokit, repo, startRun } = github.installation();
  const abandoned = await startRun("pr:2");
  const queued = await startRun("pr:3");

  const ledger = new RunLedger(client, PREFIX);
  const record = (jobKey: string, externalId: string, checkRunId: number) =>
    ledger.record(
      {
        installationId: 1,
        repo,
        headSha: fake.headSha,
        externalId,
        checkRunId,
        jobKey,
        createdAt: Date.now() - 10_000,
      },
      Date.now() - 1000,
    );
  await record("Codertocat/Hello-World@gone", "pr:2", abandoned);
  await record("Codertocat/Hello-World@queued", "pr:3", queued);
  await queue.add("pull_request", {}, { jobId: "Codertocat/Hello-World@queued" });

  const settings = { ...workSettingsFromEnv({}).settings, sweepMs: 60_000 };
  const sweeper = (name: string) =>
    new Sweeper(
      client,
      PREFIX,
      ledger,
      queue,
      async () => octokit,
      settings,
      pino({ level: "silent", name }),
    );
  const [one, two] = await Promise.all([sweeper("a").sweep(), sweeper("b").sweep()]);
  expect([one, two].sort()).toEqual([0, 1]);

  const run = fake.checkRuns.get(abandoned);
  expect(run?.status).toBe("completed");
  expect(run?.output.title).toBe("RCE Guard could not finish the analysis");
  expect(run?.output.summary).toContain("did not finish in time");
  expect(run?.actions).toEqual([
    { label: "Re-run", description: "Run RCE Guard again", identifier: "rerun" },
  ]);
  expect(fake.checkRuns.get(queued)?.status).toBe("in_progress");
  expect(await ledger.get("Codertocat/Hello-World@gone", "pr:2")).toBeUndefined();
  expect(await ledger.due(Date.now())).toEqual([]);
  expect((await ledger.get("Codertocat/Hello-World@queued", "pr:3"))?.checkRunId).toBe(queued);
});
