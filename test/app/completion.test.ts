// Completing a check run through a GitHub outage longer than Octokit's own retries: the in-process queue
// (the embedded default) keeps trying, with backoff, instead of leaving the run in progress.
import nock from "nock";
import { afterEach, expect, it } from "vitest";
import { FakeGitHub } from "./support/fake-github.js";
import { fixture } from "./support/fixtures.js";
import { pullRequestPayload, setupApp } from "./support/harness.js";

afterEach(() => {
  nock.cleanAll();
});

it("a completion refused with 502 past Octokit's retries is tried again until GitHub takes it", async () => {
  const fake = new FakeGitHub();
  fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
  // Octokit tries each request four times; ten failures take three rounds of the App's own retries.
  fake.fail({
    method: "PATCH",
    path: /\/check-runs\/\d+$/,
    status: 502,
    times: 10,
    when: (body) => (body as { status?: string }).status === "completed",
  });
  const { deliver, logs } = await setupApp(fake);
  await deliver("pull_request", pullRequestPayload("opened", fake));
  const [run] = fake.completedRuns;
  expect(fake.checkRuns.size).toBe(1);
  expect(run?.conclusion).toBe("failure");
  expect(run?.output.title).not.toBe("RCE Guard could not finish the analysis");
  expect(logs.join("")).toContain("completing the check run: GitHub unavailable, trying again");
}, 60_000);
