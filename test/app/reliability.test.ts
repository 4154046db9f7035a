import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { FakeGitHub } from "./support/fake-github.js";
import { fixture, manyLlmExecs } from "./support/fixtures.js";
import { example, pullRequestPayload, setupApp } from "./support/harness.js";

afterEach(() => {
  nock.cleanAll();
});

function fakeWithFinding(): FakeGitHub {
  const fake = new FakeGitHub();
  fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
  return fake;
}

describe("configuration", () => {
  it("an invalid config is reported with the exact problem and the analysis runs with defaults", async () => {
    const fake = fakeWithFinding();
    fake.repoConfig = "fail_on: hihg\nmax_comments: 5\n";
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.summary).toContain("### Configuration problems (1)");
    expect(run?.output.summary).toContain(
      '- `Codertocat/Hello-World:.github/rce-guard.yml`, `fail_on`: must be one of critical, high, medium, low, info, never; got "hihg"',
    );
    expect(run?.output.summary).toContain("| `fail_on` | high |");
    expect(run?.output.summary).toContain("| `max_comments` | 5 |");
  });

  it("org defaults apply, and a PR that edits the config cannot weaken its own review", async () => {
    const fake = fakeWithFinding();
    fake.orgConfig = "fail_on: critical\n";
    fake.setFile(".github/rce-guard.yml", undefined, "fail_on: never\n");
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.summary).toContain("| `fail_on` | critical |");
    expect(run?.output.summary).toContain("`Codertocat/.github:.github/rce-guard.yml` (organisation)");
    expect(run?.output.summary).toContain(
      "This pull request changes `.github/rce-guard.yml`. The change takes effect after merge",
    );
  });
});

describe("limits", () => {
  it("more than 50 findings: annotations go out in batches of 50, inline comments stop at max_comments", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/many.py", undefined, manyLlmExecs(60));
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const patches = fake.requests.filter((r) => r.method === "PATCH");
    const sizes = patches.map(
      (p) => ((p.body as { output?: { annotations?: unknown[] } }).output?.annotations ?? []).length,
    );
    expect(sizes).toEqual([50, 10]);
    expect((patches[0]!.body as { status?: string }).status).toBeUndefined();
    expect((patches[1]!.body as { status?: string }).status).toBe("completed");
    const [run] = fake.completedRuns;
    expect(run?.annotations).toHaveLength(60);
    expect(run?.output.title).toBe("60 findings: 60 critical");

    const [review] = fake.reviewRequests;
    expect(review?.comments).toHaveLength(20);
    expect(review?.body).toContain(
      "Not commented inline: the review is limited to 20 comments (`max_comments`):",
    );
    expect(review?.body.match(/<!-- rce-guard:fingerprint=/g)).toHaveLength(40);
  });

  it("max_comments from the config caps the inline comments", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/many.py", undefined, manyLlmExecs(5));
    fake.repoConfig = "max_comments: 2\n";
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const [review] = fake.reviewRequests;
    expect(review?.comments).toHaveLength(2);
    expect(review?.body.split("\n").filter((l) => l.startsWith("- 🔴 Critical"))).toHaveLength(3);
  });

  it("binary and oversized files are skipped and listed", async () => {
    const fake = fakeWithFinding();
    fake.setFile("app/blob.py", undefined, { binary: 2048 });
    fake.setFile("app/huge.py", undefined, `x = 1\n${"# padding\n".repeat(120_000)}`);
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const summary = fake.completedRuns[0]?.output.summary ?? "";
    expect(summary).toContain("### Not analysed (2)");
    expect(summary).toContain("| `app/blob.py` | binary file |");
    expect(summary).toMatch(/\| `app\/huge\.py` \| over the size limit \(1\.1 MiB > 1\.0 MiB\) \|/);
    // The oversized file is known from the tree and never requested.
    expect(JSON.stringify(fake.graphqlQueries)).not.toContain("app/huge.py");
  });
});

describe("transient GitHub errors", () => {
  it("retries a 500 and completes normally", async () => {
    const fake = fakeWithFinding();
    fake.fail({ method: "GET", path: /\/pulls\/2\/files$/, status: 500, times: 2 });
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    expect(fake.calls.filter((c) => c.endsWith("/pulls/2/files"))).toHaveLength(3);
    expect(fake.completedRuns[0]?.conclusion).toBe("failure");
    expect(fake.reviewRequests).toHaveLength(1);
  });

  it("retries a secondary rate limit (403 with retry-after)", async () => {
    const fake = fakeWithFinding();
    fake.fail({
      method: "POST",
      path: /\/pulls\/2\/reviews$/,
      status: 403,
      headers: { "retry-after": "1" },
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      },
    });
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    expect(fake.calls.filter((c) => c.endsWith("/pulls/2/reviews"))).toHaveLength(2);
    expect(fake.reviews).toHaveLength(1);
    expect(fake.completedRuns[0]?.output.summary).not.toContain("could not be posted");
  });

  it("a failure that does not go away completes the run neutral, with the error and a Re-run button", async () => {
    const fake = fakeWithFinding();
    fake.fail({ method: "GET", path: /\/pulls\/2\/files$/, status: 502, times: 10 });
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("neutral");
    expect(run?.output.title).toBe("RCE Guard could not finish the analysis");
    expect(run?.output.summary).toContain("HTTP 502: Injected 502");
    expect(run?.actions).toEqual([
      { label: "Re-run", description: "Run RCE Guard again", identifier: "rerun" },
    ]);
    expect([...fake.checkRuns.values()].filter((r) => r.status !== "completed")).toEqual([]);
  });

  it("with on_error: fail, an error after the config was read concludes failure", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/helpers.py", "def ask():\n    return 1\n", "def ask():\n    return 1\n");
    fake.setFile("app/llm.py", undefined, `from app import helpers\n${fixture("llm_exec.py")}`);
    fake.repoConfig = "on_error: fail\n";
    // The second GraphQL query (the imported module) fails for good.
    fake.fail({
      method: "POST",
      path: /^\/graphql$/,
      status: 502,
      times: 10,
      when: (body) => JSON.stringify(body).includes("app/helpers.py"),
    });
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.summary).toContain("`on_error: fail`");
    expect(fake.reviewRequests).toEqual([]);
  });

  it("imports local modules of changed files in one more batched query, as context only", async () => {
    const fake = new FakeGitHub();
    const helper =
      'from openai import OpenAI\nclient = OpenAI()\n\ndef ask():\n    return client.chat.completions.create(model="m", messages=[]).choices[0].message.content\n';
    fake.setFile("app/helpers.py", helper, helper);
    fake.setFile("app/main.py", undefined, "from app import helpers\n\ndef go():\n    exec(helpers.ask())\n");
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const queries = fake.graphqlQueries.filter((q) => "e0" in q.variables);
    expect(
      queries.map((q) => Object.values(q.variables).filter((v) => String(v).startsWith(fake.headSha))),
    ).toEqual([
      [`${fake.headSha}:.github/rce-guard.yml`, `${fake.headSha}:app/main.py`],
      [`${fake.headSha}:app/helpers.py`],
    ]);
    const [run] = fake.completedRuns;
    expect(run?.annotations).toEqual([expect.objectContaining({ path: "app/main.py", start_line: 4 })]);
  });

  it("even when creating the in-progress run fails, a completed run is reported", async () => {
    const fake = fakeWithFinding();
    fake.fail({ method: "POST", path: /\/check-runs$/, status: 500, times: 4 });
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    expect(fake.checkRuns.size).toBe(1);
    expect(fake.completedRuns[0]?.conclusion).toBe("neutral");
  });
});

describe("other events", () => {
  it("check_run.rerequested creates a fresh run for the same head (fork heads: PR from external_id)", async () => {
    const fake = fakeWithFinding();
    const { deliver } = await setupApp(fake);
    const payload = example("check_run", "rerequested");
    payload.check_run.name = "RCE Guard";
    payload.check_run.head_sha = fake.headSha;
    payload.check_run.pull_requests = [];
    payload.check_run.external_id = "pr:2";
    payload.repository = pullRequestPayload("opened", fake).repository;
    await deliver("check_run", payload);
    expect(fake.calls).toContain("GET /repos/Codertocat/Hello-World/pulls/2");
    const created = fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/check-runs"));
    expect(created.map((r) => (r.body as { head_sha: string }).head_sha)).toEqual([fake.headSha]);
    expect(fake.completedRuns[0]?.conclusion).toBe("failure");
  });

  it("the Re-run button (requested_action) creates a fresh run; other apps' runs are ignored", async () => {
    const fake = fakeWithFinding();
    const { deliver } = await setupApp(fake);
    const payload = example("check_run", "requested_action");
    payload.check_run.head_sha = fake.headSha;
    payload.check_run.pull_requests = [{ number: 2 }];
    payload.repository = pullRequestPayload("opened", fake).repository;
    payload.installation = { id: 1 };
    await deliver("check_run", payload);
    expect(fake.requests).toEqual([]);

    payload.check_run.name = "RCE Guard";
    payload.requested_action = { identifier: "rerun" };
    await deliver("check_run", payload);
    expect(fake.completedRuns).toHaveLength(1);
  });

  it("merge_group.checks_requested reports the same check name on the group's head", async () => {
    const fake = fakeWithFinding();
    const { deliver } = await setupApp(fake);
    const payload = example("merge_group", "checks_requested");
    payload.repository = pullRequestPayload("opened", fake).repository;
    payload.merge_group.head_sha = fake.headSha;
    payload.merge_group.base_sha = fake.baseSha;
    await deliver("merge_group", payload);
    expect(fake.calls).toContain(
      `GET /repos/Codertocat/Hello-World/compare/${fake.baseSha}...${fake.headSha}`,
    );
    const [run] = fake.completedRuns;
    expect(run).toMatchObject({
      name: "RCE Guard",
      head_sha: fake.headSha,
      external_id: `merge_group:${fake.baseSha}`,
    });
    expect(run?.conclusion).toBe("failure");
    expect(fake.reviewRequests).toEqual([]);
  });

  it("check_suite.requested without a pull request costs no API call", async () => {
    const fake = fakeWithFinding();
    const { deliver } = await setupApp(fake);
    const payload = example("check_suite", "requested");
    payload.check_suite.pull_requests = [];
    await deliver("check_suite", payload);
    expect(fake.requests).toEqual([]);
  });
});

describe("logs", () => {
  it("contain neither the installation token nor file contents", async () => {
    const fake = fakeWithFinding();
    const { deliver, logs } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    expect(fake.completedRuns).toHaveLength(1);
    const text = logs.join("");
    expect(text).toContain("analysis complete");
    expect(text).not.toContain("ghs_fakeinstallationtoken");
    expect(text).not.toContain("chat.completions.create(model=");
  });
});
