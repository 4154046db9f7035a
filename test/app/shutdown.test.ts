// SIGTERM while a job runs: the real App (`src/app/main.ts`, Probot's runner) in a child process, talking to
// the fake GitHub over loopback (as a GitHub Enterprise host), receives a webhook, starts the check run, and
// is stopped while its reads are held. Within the grace period the job finishes as usual; past it the check
// run is completed as stopped. Either way the process exits and no check run stays in progress.
import { spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { drain } from "../../src/app/drain.js";
import { JobQueue, QueueClosedError } from "../../src/app/queue.js";
import { FakeGitHub } from "./support/fake-github.js";
import { fixture } from "./support/fixtures.js";
import { pullRequestPayload, testPrivateKey } from "./support/harness.js";

const repoRoot = join(import.meta.dirname, "..", "..");
const tsxLoader = pathToFileURL(join(repoRoot, "node_modules", "tsx", "dist", "loader.mjs")).href;
const SECRET = "shutdown-test";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 120_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The App as `npm start` runs it, against `fake`; resolves once /healthz answers. */
async function startApp(fake: FakeGitHub, graceMs: number) {
  const served = await fake.listen();
  cleanups.push(served.close);
  const port = await freePort();
  // A directory without a .env file: the environment below is all the App sees.
  const cwd = mkdtempSync(join(tmpdir(), "rce-guard-shutdown-"));
  cleanups.push(() => rmSync(cwd, { recursive: true, force: true }));
  const child = spawn(process.execPath, ["--import", tsxLoader, join(repoRoot, "src", "app", "main.ts")], {
    cwd,
    env: {
      ...process.env,
      APP_ID: "1",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: new URL(served.url).host,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      RCE_GUARD_DRAIN_MS: String(graceMs),
      NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  const base = `http://127.0.0.1:${port}`;
  await until("the App to answer /healthz", async () => {
    if (child.exitCode !== null) throw new Error(`the App exited: ${output}`);
    return fetch(`${base}/healthz`).then(
      (r) => (r.ok ? true : undefined),
      () => undefined,
    );
  });
  return { child, base, exited, output: () => output };
}

async function deliverPullRequest(base: string, fake: FakeGitHub): Promise<number> {
  const body = JSON.stringify(pullRequestPayload("opened", fake));
  const response = await fetch(`${base}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
    body,
  });
  return response.status;
}

/** A pull request with a finding whose file reads are held until `release` is called. */
function heldPullRequest() {
  const fake = new FakeGitHub();
  fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
  let release = () => {};
  fake.hold = { path: /^\/graphql$/, until: new Promise<void>((resolve) => (release = resolve)) };
  return { fake, release: () => release() };
}

describe("SIGTERM while a job runs (real process, fake GitHub over loopback)", () => {
  it("past the grace period: the check run is completed as stopped, with a Re-run button, and the process exits", async () => {
    const { fake } = heldPullRequest();
    const app = await startApp(fake, 1500);
    expect(await deliverPullRequest(app.base, fake)).toBe(200);
    await until("the check run to start", () => (fake.checkRuns.size > 0 ? true : undefined));

    app.child.kill("SIGTERM");
    const code = await app.exited;

    expect(app.output()).toContain("shutting down");
    expect(code).toBe(0);
    const runs = [...fake.checkRuns.values()];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: "completed",
      conclusion: "neutral",
      output: expect.objectContaining({ title: "RCE Guard was stopped before the analysis finished" }),
    });
    expect(JSON.stringify(runs[0])).toContain("Re-run");
  }, 180_000);

  it("within the grace period: the running job finishes with its findings before the process exits", async () => {
    const { fake, release } = heldPullRequest();
    const app = await startApp(fake, 60_000);
    expect(await deliverPullRequest(app.base, fake)).toBe(200);
    await until("the check run to start", () => (fake.checkRuns.size > 0 ? true : undefined));

    app.child.kill("SIGTERM");
    await until("the shutdown to begin", () => (app.output().includes("shutting down") ? true : undefined));
    // A webhook arriving now is refused (GitHub can redeliver it), not silently dropped.
    const late = await deliverPullRequest(app.base, fake).catch(() => "refused");
    expect(late === "refused" || (typeof late === "number" && late >= 500)).toBe(true);
    release();
    const code = await app.exited;

    expect(code).toBe(0);
    const runs = [...fake.checkRuns.values()];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(runs[0]?.output.title).toMatch(/critical/);
  }, 180_000);
});

describe("drain (the in-process queue)", () => {
  it("refuses new jobs, drops queued ones, waits for running ones within the grace period", async () => {
    const queue = new JobQueue({ concurrency: 1 });
    let finish = () => {};
    const ran: string[] = [];
    queue.enqueue("a", () =>
      new Promise<void>((resolve) => (finish = resolve)).then(() => void ran.push("a")),
    );
    queue.enqueue("b", async () => void ran.push("b"));
    await new Promise((r) => setImmediate(r));
    setTimeout(() => finish(), 50);
    const result = await drain(queue, { graceMs: 5000 });
    expect(result).toEqual({ dropped: ["b"], aborted: [], idle: true });
    expect(ran).toEqual(["a"]);
    expect(() => queue.enqueue("c", async () => {})).toThrow(QueueClosedError);
  });

  it("aborts what is still running when the grace period ends, and waits for it to settle (bounded)", async () => {
    const queue = new JobQueue();
    let reason: unknown;
    queue.enqueue(
      "slow",
      (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener("abort", () => {
            reason = signal.reason;
            resolve();
          }),
        ),
    );
    queue.enqueue("stuck", () => new Promise<void>(() => {}));
    await new Promise((r) => setImmediate(r));
    const startedAt = Date.now();
    const result = await drain(queue, { graceMs: 100, settleMs: 200 });
    expect(result).toEqual({ dropped: [], aborted: ["slow", "stuck"], idle: false });
    expect(String(reason)).toMatch(/shutting down/);
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });
});
