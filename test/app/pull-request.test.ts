import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { FakeGitHub } from "./support/fake-github.js";
import { fixture } from "./support/fixtures.js";
import { pullRequestPayload, setupApp } from "./support/harness.js";

afterEach(() => {
  nock.cleanAll();
});

describe("GraphQL against GitHub's schema", () => {
  it("the fake answers a document the schema rejects as GitHub does (negative control)", () => {
    const fake = new FakeGitHub();
    const response = fake.graphql({
      query: 'query { repository(owner: "o", name: "r") { pullRequest(number: 1) { threads { id } } } }',
    });
    expect(response.body).toEqual({
      errors: [expect.objectContaining({ message: expect.stringContaining('"threads"') })],
    });
    expect(fake.schemaErrors).toHaveLength(1);
  });
});

describe("pull_request opened with findings", () => {
  it("runs the check, batches the reads and posts one review with inline comments", async () => {
    const fake = new FakeGitHub();
    fake.setFile("README.md", "# Hello\n", "# Hello\nmore\n");
    fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
    fake.setFile("app/config_loader.py", undefined, fixture("yaml_load.py"));
    const { deliver } = await setupApp(fake);

    await deliver("pull_request", pullRequestPayload("opened", fake));

    const create = fake.requests.find((r) => r.method === "POST" && r.path.endsWith("/check-runs"));
    expect(create?.body).toMatchObject({ name: "RCE Guard", head_sha: fake.headSha, status: "in_progress" });
    // Two Python files, one GraphQL query for both (and the config), never one request per file.
    const contentQueries = fake.graphqlQueries.filter((q) => "e0" in q.variables);
    expect(contentQueries).toHaveLength(1);
    expect(Object.values(contentQueries[0]!.variables)).toEqual(
      expect.arrayContaining([`${fake.headSha}:app/llm.py`, `${fake.headSha}:app/config_loader.py`]),
    );
    expect(fake.calls.filter((c) => c.includes("/contents/"))).toEqual([]);

    const [run] = fake.completedRuns;
    expect(fake.checkRuns.size).toBe(1);
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toMatch(/^2 findings: 1 critical, 1 medium$/);
    expect(run?.output.summary).toContain("| [`VNX-LLM-002`]");
    expect(run?.output.summary).toContain(
      `[app/llm.py:5](https://github.com/Codertocat/Hello-World/blob/${fake.headSha}/app/llm.py#L5)`,
    );
    expect(run?.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "app/llm.py",
          start_line: 5,
          end_line: 5,
          annotation_level: "failure",
        }),
        expect.objectContaining({ path: "app/config_loader.py", start_line: 6, annotation_level: "warning" }),
      ]),
    );

    expect(fake.reviewRequests).toHaveLength(1);
    const review = fake.reviewRequests[0]!;
    expect(review.commit_id).toBe(fake.headSha);
    expect(review.event).toBe("COMMENT");
    expect(review.body).toContain(`<!-- rce-guard:review head=${fake.headSha} -->`);
    const exec = review.comments?.find((c) => c.path === "app/llm.py");
    expect(exec).toMatchObject({ line: 5, side: "RIGHT" });
    expect(String(exec?.body)).toMatch(/VNX-LLM-002/);
    expect(String(exec?.body)).toMatch(/`app\/llm\.py:4` output of `client\.chat\.completions\.create`/);
    expect(String(exec?.body)).toMatch(/<!-- rce-guard:fingerprint=[0-9a-f]+ -->/);
    const yaml = review.comments?.find((c) => c.path === "app/config_loader.py");
    expect(yaml).toMatchObject({ line: 6, side: "RIGHT" });
    expect(String(yaml?.body)).toContain("```suggestion\n        return yaml.safe_load(f)\n```");
  });
});

describe("later pushes", () => {
  it("synchronize with one finding fixed and one new: no duplicate comment, fixed thread resolved, replied thread kept", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
    fake.setFile("app/config_loader.py", undefined, fixture("yaml_load.py"));
    fake.setFile("app/fetch.py", undefined, fixture("pickle_remote.py"));
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    expect(fake.reviewRequests).toHaveLength(1);
    expect(fake.threads).toHaveLength(3);
    const threadOf = (path: string) => fake.threads.find((t) => t.path === path)!;
    // A person answered on the pickle thread: that conversation is theirs now.
    threadOf("app/fetch.py").comments.push({
      body: "We only fetch from our own bucket.",
      viewerDidAuthor: false,
      author: { __typename: "User", login: "octocat" },
    });

    // Next push: yaml fixed, pickle removed, a new exec sink added; the LLM finding stays.
    fake.headSha = "1111111111111111111111111111111111111111";
    fake.setFile(
      "app/config_loader.py",
      undefined,
      fixture("yaml_load.py").replace("yaml.load(", "yaml.safe_load("),
    );
    fake.setFile(
      "app/fetch.py",
      undefined,
      "import json\n\n\ndef fetch(text):\n    return json.loads(text)\n",
    );
    fake.setFile("app/agent.py", undefined, fixture("llm_exec.py").replace("exec(code)", "eval(code)"));
    const payload = pullRequestPayload("synchronize", fake);
    await deliver("pull_request", payload);

    expect(fake.reviewRequests).toHaveLength(2);
    const second = fake.reviewRequests[1]!;
    expect(second.commit_id).toBe("1111111111111111111111111111111111111111");
    expect(second.comments?.map((c) => c.path)).toEqual(["app/agent.py"]);
    const mutations = fake.graphqlQueries.filter((q) => q.query.startsWith("mutation"));
    expect(mutations).toHaveLength(1);
    expect(Object.values(mutations[0]!.variables)).toEqual([threadOf("app/config_loader.py").id]);
    expect(threadOf("app/config_loader.py").isResolved).toBe(true);
    expect(threadOf("app/fetch.py").isResolved).toBe(false);
    expect(threadOf("app/llm.py").isResolved).toBe(false);
    // Queries (contents, config, threads) and the resolving mutation all pass GitHub's GraphQL schema.
    expect(fake.graphqlQueries.length).toBeGreaterThanOrEqual(3);
    expect(fake.schemaErrors).toEqual([]);
  });

  it("reads every page of a long review: a fixed finding's thread past the first 100 is resolved", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/config_loader.py", undefined, fixture("yaml_load.py"));
    const { deliver } = await setupApp(fake);
    // 240 earlier conversations by people come first, so the App's own thread lands on the third page.
    for (let i = 0; i < 240; i++) {
      fake.threads.push({
        id: `PRRT_human_${i}`,
        path: "docs/notes.md",
        line: 1,
        isResolved: false,
        comments: [
          { body: `question ${i}`, viewerDidAuthor: false, author: { __typename: "User", login: "octocat" } },
        ],
      });
    }
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const ours = fake.threads.find((t) => t.path === "app/config_loader.py")!;
    expect(fake.threads.indexOf(ours)).toBeGreaterThanOrEqual(200);

    fake.headSha = "2222222222222222222222222222222222222222";
    fake.setFile(
      "app/config_loader.py",
      undefined,
      fixture("yaml_load.py").replace("yaml.load(", "yaml.safe_load("),
    );
    await deliver("pull_request", pullRequestPayload("synchronize", fake));

    expect(ours.isResolved).toBe(true);
    expect(fake.threads.filter((t) => t.isResolved)).toEqual([ours]);
    const pages = fake.graphqlQueries.filter((q) => typeof q.variables.after === "string");
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(fake.schemaErrors).toEqual([]);
  });

  it("a repeated event for the same head posts no second review, and concurrent duplicates coalesce", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
    const { probot, queue, deliver } = await setupApp(fake);
    const payload = pullRequestPayload("opened", fake);
    // Same delivery twice before the first finishes (a redelivery): one job.
    await probot.receive({ id: "delivery-1", name: "pull_request", payload } as never);
    await probot.receive({ id: "delivery-1", name: "pull_request", payload } as never);
    await queue.idle();
    expect(fake.checkRuns.size).toBe(1);
    expect(fake.reviewRequests).toHaveLength(1);

    await deliver("pull_request", pullRequestPayload("reopened", fake));
    expect(fake.checkRuns.size).toBe(2);
    expect(fake.completedRuns).toHaveLength(2);
    expect(fake.reviewRequests).toHaveLength(1);
  });

  it("does not post the review when the head moved during the analysis", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
    fake.currentHeadSha = "2222222222222222222222222222222222222222";
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("synchronize", fake));
    expect(fake.reviewRequests).toEqual([]);
    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.summary).toContain("A newer commit (`2222222`) was pushed during the analysis");
  });
});

describe("what is reviewed", () => {
  it("draft: the check run completes, review comments wait for ready_for_review", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
    fake.draft = true;
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake, { draft: true }));
    expect(fake.completedRuns[0]?.conclusion).toBe("failure");
    expect(fake.completedRuns[0]?.output.summary).toContain("This pull request is a draft");
    expect(fake.reviewRequests).toEqual([]);

    fake.draft = false;
    await deliver("pull_request", pullRequestPayload("ready_for_review", fake));
    expect(fake.reviewRequests).toHaveLength(1);
    expect(fake.reviewRequests[0]?.comments).toHaveLength(1);
  });

  it("fork PR: reads the head commit through the base repository, never the fork", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
    const { deliver } = await setupApp(fake);
    const payload = pullRequestPayload("opened", fake);
    payload.pull_request.head.repo = {
      ...payload.pull_request.head.repo,
      full_name: "forker/Hello-World",
      name: "Hello-World",
      owner: { ...payload.pull_request.head.repo.owner, login: "forker" },
      fork: true,
    };
    payload.pull_request.head.label = "forker:changes";
    await deliver("pull_request", payload);
    expect(fake.calls.filter((c) => c.includes("forker"))).toEqual([]);
    for (const q of fake.graphqlQueries) expect(q.variables.owner ?? "Codertocat").toBe("Codertocat");
    expect(fake.completedRuns[0]?.head_sha).toBe(fake.headSha);
    expect(fake.reviewRequests).toHaveLength(1);
  });

  it("no Python files: success without reading any file or posting a review", async () => {
    const fake = new FakeGitHub();
    fake.setFile("README.md", "# Hello\n", "# Hello World\n");
    fake.setFile("docs/index.md", undefined, "Docs\n");
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("success");
    expect(run?.output.title).toBe("No findings in 0 analysed files");
    expect(fake.calls.filter((c) => c.includes("/git/trees/"))).toEqual([]);
    expect(fake.graphqlQueries.every((q) => !("e0" in q.variables))).toBe(true);
    expect(fake.reviewRequests).toEqual([]);
  });

  it("a finding whose sink is outside the diff is commented on the changed trace step", async () => {
    const fake = new FakeGitHub();
    const base = [
      "from openai import OpenAI",
      "client = OpenAI()",
      "",
      "def run():",
      '    code = "print(1)"',
      "    a = 1",
      "    b = 2",
      "    c = 3",
      "    d = 4",
      "    e = 5",
      "    f = 6",
      "    exec(code)",
      "",
    ].join("\n");
    const head = base.replace(
      '    code = "print(1)"',
      '    code = client.chat.completions.create(model="m", messages=[]).choices[0].message.content',
    );
    fake.setFile("app/run.py", base, head);
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const [comment] = fake.reviewRequests[0]?.comments ?? [];
    expect(comment).toMatchObject({ path: "app/run.py", line: 5 });
    expect(String(comment?.body)).toContain(
      "The sink is at `app/run.py:12`, outside the lines this pull request changes",
    );
    expect(fake.completedRuns[0]?.annotations).toEqual([
      expect.objectContaining({ path: "app/run.py", start_line: 12 }),
    ]);
  });

  it("when GitHub omits the patch, diffs base and head itself and puts findings in the review body", async () => {
    const fake = new FakeGitHub();
    const old = `${fixture("pickle_remote.py")}\n\ndef helper():\n    return 1\n`;
    fake.setFile("app/big.py", old, `${old}\n${fixture("llm_exec.py")}`);
    fake.omitPatch.add("app/big.py");
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    expect(fake.calls).toContain(
      `GET /repos/Codertocat/Hello-World/compare/${fake.baseSha}...${fake.headSha}`,
    );
    const [run] = fake.completedRuns;
    // The pre-existing pickle finding is not on a changed line: only the new exec is reported.
    expect(run?.annotations.map((a) => a.title)).toEqual(["VNX-LLM-002 (critical)"]);
    const [review] = fake.reviewRequests;
    expect(review?.comments).toEqual([]);
    expect(review?.body).toContain("no line of the trace is inside the diff");
    expect(review?.body).toMatch(/<!-- rce-guard:fingerprint=[0-9a-f]+ -->/);
  });
});
