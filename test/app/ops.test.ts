// Operations endpoints over real HTTP (the App's routes on a loopback server, as Probot's server mounts
// them) and the job logs' delivery and job ids.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import type { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { opsHandler } from "../../src/app/ops/health.js";
import { createMetrics } from "../../src/app/ops/metrics.js";
import { FakeGitHub } from "./support/fake-github.js";
import { fixture } from "./support/fixtures.js";
import { pullRequestPayload, serveHttp, setupApp } from "./support/harness.js";

const servers: Server[] = [];
afterEach(async () => {
  nock.cleanAll();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function fakeWithFinding(): FakeGitHub {
  const fake = new FakeGitHub();
  fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
  return fake;
}

/** The value of one sample line (`name{labels} value`) of a Prometheus text exposition. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("operations endpoints", () => {
  it("serve liveness, readiness and Prometheus metrics that count a processed pull request", async () => {
    const fake = fakeWithFinding();
    fake.rateLimitRemaining = 5000;
    // One server error on the listing: retried once, and counted as a retry.
    fake.fail({ method: "GET", path: /\/pulls\/\d+\/files$/, status: 502 });
    const harness = await setupApp(fake);
    const { base, server } = await serveHttp(harness);
    servers.push(server);

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", running: 0, queued: 0, durable: false });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });

    const before = await fetch(`${base}/metrics`);
    expect(before.status).toBe(200);
    expect(before.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const empty = await before.text();
    expect(empty).toContain("# TYPE rce_guard_queue_depth gauge");
    expect(empty).toContain("# TYPE rce_guard_job_duration_seconds histogram");
    expect(empty).toContain("# TYPE rce_guard_check_runs_completed_total counter");
    expect(empty).toContain("# TYPE process_cpu_seconds_total counter");
    expect(sample(empty, "rce_guard_queue_depth")).toBe(0);
    expect(sample(empty, 'rce_guard_check_runs_completed_total{conclusion="failure"}')).toBeUndefined();

    await harness.deliver("pull_request", pullRequestPayload("opened", fake));
    expect(fake.completedRuns[0]?.conclusion).toBe("failure");

    const text = await (await fetch(`${base}/metrics`)).text();
    expect(sample(text, 'rce_guard_check_runs_completed_total{conclusion="failure"}')).toBe(1);
    expect(
      sample(text, 'rce_guard_job_duration_seconds_count{kind="pull_request",outcome="completed"}'),
    ).toBe(1);
    expect(
      sample(text, 'rce_guard_job_duration_seconds_sum{kind="pull_request",outcome="completed"}'),
    ).toBeGreaterThan(0);
    expect(sample(text, 'rce_guard_github_retries_total{method="GET"}')).toBe(1);
    // Every request the fake answered, counted once by method and final status (the retried one once).
    const counted = [...text.matchAll(/^rce_guard_github_requests_total\{[^}]*\} (\d+)$/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
    expect(counted).toBe(fake.requests.length - 1);
    expect(sample(text, 'rce_guard_github_requests_total{method="PATCH",status="200"}')).toBeGreaterThan(0);
    expect(sample(text, `rce_guard_github_rate_limit_remaining{installation="${fake.installationId}"}`)).toBe(
      fake.rateLimitRemaining,
    );
    expect(sample(text, "rce_guard_queue_depth")).toBe(0);
    expect(sample(text, "rce_guard_queue_active")).toBe(0);
  });

  it("answers /readyz with 503 while the readiness probe fails or hangs", async () => {
    let answer: () => Promise<boolean> = async () => true;
    const handle = opsHandler({ metrics: createMetrics(), ready: () => answer(), probeTimeoutMs: 100 });
    const server = createServer((req, res) => {
      void handle(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    nock.enableNetConnect("127.0.0.1");
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;

    expect((await fetch(url)).status).toBe(200);
    answer = async () => false;
    expect((await fetch(url)).status).toBe(503);
    answer = async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:6379");
    };
    const refused = await fetch(url);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({
      status: "not ready",
      reason: "connect ECONNREFUSED 127.0.0.1:6379",
    });
    answer = () => new Promise(() => {});
    expect(await (await fetch(url)).json()).toEqual({
      status: "not ready",
      reason: "no answer within 100 ms",
    });
    expect((await fetch(url.replace("/readyz", "/nothing"))).status).toBe(404);
  });
});

describe("job logs", () => {
  it("carry the delivery id and the job id on every line a job writes", async () => {
    const fake = fakeWithFinding();
    const harness = await setupApp(fake);
    const id = randomUUID();
    await harness.probot.receive({
      id,
      name: "pull_request",
      payload: pullRequestPayload("opened", fake),
    } as Parameters<Probot["receive"]>[0]);
    await harness.queue.idle();
    expect(fake.completedRuns).toHaveLength(1);

    const lines = harness.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const jobId = `${fake.owner}/${fake.repo}@${fake.headSha}`;
    // A job's lines are its logger's children: they name the repository.
    const jobLines = lines.filter((l) => l.repo !== undefined);
    expect(jobLines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(["job queued", "analysis complete", "review posted"]),
    );
    for (const line of jobLines) expect(line).toMatchObject({ deliveryId: id, jobId });
  });
});
