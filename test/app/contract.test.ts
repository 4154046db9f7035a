// Contract test: every REST request of full pull-request runs goes through Prism loaded with GitHub's
// published OpenAPI description (`prism proxy --errors`), in front of the stateful FakeGitHub. Prism
// answers 422 to any request the description does not allow, and the test fails on it. GraphQL is not
// part of the REST description and goes to the fake directly.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { pino } from "pino";
import { Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app/index.js";
import { JobQueue } from "../../src/app/queue.js";
import { createOctokitClass } from "../../src/github/octokit.js";
import { FakeGitHub } from "./support/fake-github.js";
import { fixture, manyLlmExecs } from "./support/fixtures.js";
import { fastThrottleGroups, pullRequestPayload, testPrivateKey } from "./support/harness.js";

const require = createRequire(import.meta.url);
const PRISM = require.resolve("@stoplight/prism-cli/dist/index.js");
const SPEC = require.resolve("@octokit/openapi/generated/api.github.com.json");

let prism: ChildProcess | undefined;
let prismUrl = "";
let fakeUrl = "";
let closeFake: () => Promise<void> = async () => {};
const fake = new FakeGitHub();
/** Every answer Prism gave the App: status and any validation report. */
const exchanges: {
  method: string;
  path: string;
  status: number;
  violations: string | null;
  body?: string;
}[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const served = await fake.listen();
  fakeUrl = served.url;
  closeFake = served.close;
  const port = await freePort();
  prismUrl = `http://127.0.0.1:${port}`;
  prism = spawn(
    process.execPath,
    [PRISM, "proxy", SPEC, fakeUrl, "--errors", "--port", String(port), "--host", "127.0.0.1", "-v", "warn"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  prism.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  prism.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  // Ready when it answers; loading the 13 MB description takes about ten seconds.
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (prism.exitCode !== null) throw new Error(`prism exited: ${output.slice(-2000)}`);
    const up = await fetch(`${prismUrl}/zen`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`prism did not start: ${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 160_000);

afterAll(async () => {
  prism?.kill();
  await closeFake();
});

/** REST through Prism, GraphQL straight to the fake; every Prism answer is recorded. */
const routedFetch: typeof fetch = async (input, init) => {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  if (url.pathname === "/graphql") return fetch(`${fakeUrl}/graphql`, init);
  const response = await fetch(url, init);
  const record = {
    method: init?.method ?? "GET",
    path: url.pathname,
    status: response.status,
    violations: response.headers.get("sl-violations"),
  };
  if (response.status === 422) exchanges.push({ ...record, body: await response.clone().text() });
  else exchanges.push(record);
  return response;
};

async function app() {
  const queue = new JobQueue();
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    secret: "contract",
    baseUrl: prismUrl,
    request: { fetch: routedFetch },
    log: pino({ level: "silent" }),
    Octokit: createOctokitClass({ retryAfterBaseValue: 1, throttleGroups: fastThrottleGroups() }),
  });
  await probot.load(createApp({ queue }));
  return {
    probot,
    async deliver(name: string, payload: Record<string, unknown>) {
      await probot.receive({ id: randomUUID(), name, payload } as Parameters<Probot["receive"]>[0]);
      await queue.idle();
    },
  };
}

describe("GitHub's OpenAPI description (Prism proxy)", () => {
  it("accepts every REST request of a full pull-request run, a later push, and a large run", async () => {
    fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
    fake.setFile("app/config_loader.py", undefined, fixture("yaml_load.py"));
    fake.setFile("app/many.py", undefined, manyLlmExecs(55));
    fake.repoConfig = "max_comments: 100\n";
    const { deliver } = await app();
    await deliver("pull_request", pullRequestPayload("opened", fake));

    fake.headSha = "3333333333333333333333333333333333333333";
    fake.setFile(
      "app/config_loader.py",
      undefined,
      fixture("yaml_load.py").replace("yaml.load(", "yaml.safe_load("),
    );
    await deliver("pull_request", pullRequestPayload("synchronize", fake));

    if (process.env.CONTRACT_DEBUG) {
      console.log(JSON.stringify(exchanges, null, 1));
      console.log(fake.completedRuns.map((r) => r.output.summary?.slice(0, 600)).join("\n----\n"));
    }
    const rejected = exchanges.filter((e) => e.status === 422 || (e.violations ?? "").includes('"request'));
    expect(rejected).toEqual([]);
    const paths = new Set(
      exchanges.map((e) => `${e.method} ${e.path.replace(/check-runs\/\d+$/, "check-runs/{id}")}`),
    );
    expect([...paths].sort()).toEqual([
      "GET /repos/Codertocat/Hello-World/git/trees/3333333333333333333333333333333333333333",
      "GET /repos/Codertocat/Hello-World/git/trees/ec26c3e57ca3a959ca5aad62de7213c562f8c821",
      "GET /repos/Codertocat/Hello-World/pulls/2",
      "GET /repos/Codertocat/Hello-World/pulls/2/files",
      "PATCH /repos/Codertocat/Hello-World/check-runs/{id}",
      "POST /app/installations/1/access_tokens",
      "POST /repos/Codertocat/Hello-World/check-runs",
      "POST /repos/Codertocat/Hello-World/pulls/2/reviews",
    ]);
    // The runs really went through: reviews posted with inline comments, runs completed with findings.
    expect(fake.completedRuns.map((r) => r.conclusion)).toEqual(["failure", "failure"]);
    expect(fake.completedRuns[0]?.annotations).toHaveLength(57);
    expect(fake.reviewRequests[0]?.comments).toHaveLength(57);
    expect(fake.threads.find((t) => t.path === "app/config_loader.py")?.isResolved).toBe(true);
  });

  it("answers 422 to a request GitHub's description does not allow (the check above can fail)", async () => {
    const { probot } = await app();
    const octokit = await probot.auth(1);
    const error = await octokit
      .request("POST /repos/{owner}/{repo}/check-runs", {
        owner: "Codertocat",
        repo: "Hello-World",
        name: "RCE Guard",
        head_sha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
        status: "finished" as "completed",
      })
      .catch((e: { status?: number }) => e);
    expect((error as { status?: number }).status).toBe(422);
  });
});
