// Pull requests written to hurt the App: a file whose analysis never ends, YAML alias bombs in the
// configuration, unknown rule ids, changes too large to list. Each run must still complete, decided by
// the findings and the trusted configuration, and name whatever it could not analyse.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type Limits } from "../../src/app/analyze-change.js";
import { FakeGitHub } from "./support/fake-github.js";
import { aliasBomb, fixture, slowToAnalyse } from "./support/fixtures.js";
import { pullRequestPayload, serveHttp, setupApp } from "./support/harness.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  nock.cleanAll();
  for (const close of closers.splice(0)) await close();
});

function fakeWithFinding(): FakeGitHub {
  const fake = new FakeGitHub();
  fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
  return fake;
}

const ALIAS_PROBLEM = "YAML aliases expand to more than 100 nodes (an alias bomb?); the file is ignored";

describe("configuration cannot fail the run", () => {
  it("an alias bomb in the PR's own config is a note; the findings decide the conclusion", async () => {
    const fake = fakeWithFinding();
    fake.setFile(".github/rce-guard.yml", undefined, aliasBomb());
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toBe("1 finding: 1 critical");
    expect(run?.output.summary).toContain("### Configuration problems (1)");
    expect(run?.output.summary).toContain(`${ALIAS_PROBLEM} _(in this pull request's version)_`);
    expect(fake.reviewRequests).toHaveLength(1);
  });

  it("an alias bomb on the default branch is a problem in the summary; the run goes on with the defaults", async () => {
    const fake = fakeWithFinding();
    fake.repoConfig = aliasBomb();
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.summary).toContain(
      `- \`Codertocat/Hello-World:.github/rce-guard.yml\`: ${ALIAS_PROBLEM}`,
    );
    expect(run?.output.summary).toContain("| `fail_on` | high |");
  });

  it("an unknown rule id is a configuration problem", async () => {
    const fake = fakeWithFinding();
    fake.repoConfig = "rules:\n  VNX-LLM-020: off\n";
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.summary).toContain(
      "`rules.VNX-LLM-020`: unknown rule (did you mean VNX-LLM-002?); the rules are VNX-LLM-002,",
    );
  });
});

describe("files that could not be analysed", () => {
  it("an oversized file keeps the check from passing, named at the top of the summary", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/ok.py", undefined, "print('hello')\n");
    fake.setFile("app/huge.py", undefined, `x = 1\n${"# padding\n".repeat(120_000)}`);
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.output.title).toBe("No findings in 1 analysed file; 1 not analysed");
    const summary = run?.output.summary ?? "";
    expect(summary).toContain(
      "1 file was not analysed (`on_unanalysed: fail`: a file that was not analysed never passes as clean)",
    );
    expect(summary).toMatch(
      /### Not analysed \(1\)\n\n\| File \| Why \|\n\|---\|---\|\n\| `app\/huge\.py` \| over the size limit/,
    );
  });

  it("on_unanalysed: neutral (from the default branch) concludes neutral; a PR cannot set it for itself", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/huge.py", undefined, `x = 1\n${"# padding\n".repeat(120_000)}`);
    fake.repoConfig = "on_unanalysed: neutral\n";
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    expect(fake.completedRuns[0]?.conclusion).toBe("neutral");

    const pr = new FakeGitHub();
    pr.setFile("app/huge.py", undefined, `x = 1\n${"# padding\n".repeat(120_000)}`);
    pr.setFile(".github/rce-guard.yml", undefined, "on_unanalysed: ignore\n");
    nock.cleanAll();
    const second = await setupApp(pr);
    await second.deliver("pull_request", pullRequestPayload("opened", pr));
    expect(pr.completedRuns[0]?.conclusion).toBe("failure");
  });

  it("the 3,000-file listing cap is said at the top of the summary and the run does not pass", async () => {
    const fake = new FakeGitHub();
    for (let i = 0; i < 3001; i++)
      fake.setFile(`docs/page_${String(i).padStart(4, "0")}.md`, undefined, `page ${i}\n`);
    const { deliver } = await setupApp(fake);
    await deliver("pull_request", pullRequestPayload("opened", fake));
    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    const summary = run?.output.summary ?? "";
    const note = summary.indexOf("GitHub lists at most 3,000 changed files of a pull request");
    expect(note).toBeGreaterThan(0);
    expect(note).toBeLessThan(1000);
  }, 60_000);
});

describe("budgets", () => {
  // The slow files take seconds to analyse in full (2.7 s and 16 s here): budgets cut them with room to
  // spare on a faster machine. The file limit is raised for the larger one.
  const tight: Limits = {
    ...DEFAULT_LIMITS,
    blobs: { ...DEFAULT_LIMITS.blobs, maxFileBytes: 16 << 20 },
    budgets: { fileMs: 500, totalMs: 4_000, memoryMb: 1536 },
  };

  it("a file whose analysis never ends is cut at its budget, named, and the rest of the change is analysed", async () => {
    const fake = fakeWithFinding();
    fake.setFile("app/loops.py", undefined, slowToAnalyse(50));
    const { deliver } = await setupApp(fake, { limits: tight });
    const started = performance.now();
    await deliver("pull_request", pullRequestPayload("opened", fake));
    expect(performance.now() - started).toBeLessThan(15_000);
    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    expect(run?.annotations).toEqual([expect.objectContaining({ path: "app/llm.py" })]);
    // Cut by the engine itself (a diagnostic naming the line) or, if it outlasts the grace, by the watchdog.
    expect(run?.output.summary).toMatch(
      /\| `app\/loops.py` \| not (fully )?analysed: exceeded the time budget of (500 ms|0.5 s)/,
    );
    expect([...fake.checkRuns.values()].filter((r) => r.status !== "completed")).toEqual([]);
  });

  it("while one PR's analysis runs out its budget, a small PR completes in under 10 s and /healthz answers within 1 s", async () => {
    const slow = new FakeGitHub();
    slow.setFile("app/loops.py", undefined, slowToAnalyse(400));
    const small = new FakeGitHub();
    small.repo = "Small";
    small.headSha = "1111111111111111111111111111111111111111";
    small.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
    const limits: Limits = { ...tight, budgets: { fileMs: 4_000, totalMs: 8_000, memoryMb: 1536 } };
    const harness = await setupApp(slow, { limits, others: [small] });
    const { base, server } = await serveHttp(harness);
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));

    const all = Promise.all([
      harness.probot.receive({
        id: "slow",
        name: "pull_request",
        payload: pullRequestPayload("opened", slow),
      } as never),
      harness.probot.receive({
        id: "small",
        name: "pull_request",
        payload: pullRequestPayload("opened", small),
      } as never),
    ]);
    await all;
    const started = performance.now();
    const healthTimes: number[] = [];
    while (small.completedRuns.length === 0 && performance.now() - started < 12_000) {
      const t0 = performance.now();
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) });
      expect(res.status).toBe(200);
      healthTimes.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 200));
    }
    const smallDone = performance.now() - started;
    expect(small.completedRuns[0]?.conclusion).toBe("failure");
    expect(smallDone).toBeLessThan(10_000);
    expect(slow.completedRuns).toEqual([]);
    // Keep asking while the slow analysis is still running.
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) });
      healthTimes.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(Math.max(...healthTimes)).toBeLessThan(1_000);
    await harness.queue.idle();
    const [run] = slow.completedRuns;
    expect(run?.conclusion).toBe("failure");
    // Cut by the engine itself (a diagnostic naming the line) or, if parsing outlasts the grace, by the watchdog.
    expect(run?.output.summary).toMatch(
      /\| `app\/loops.py` \| not (fully )?analysed: exceeded the time budget of 4 s/,
    );
  }, 60_000);
});
