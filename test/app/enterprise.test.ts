// GitHub Enterprise Server: the App talks to https://HOST/api/v3 (GraphQL at /api/graphql), and every link
// it writes into a check run or a review points at HOST, taken from the delivery's `html_url`s.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { repositoryOf } from "../../src/app/payload.js";
import { FakeGitHub } from "./support/fake-github.js";
import { fixture } from "./support/fixtures.js";
import { pullRequestPayload, setupApp } from "./support/harness.js";

afterEach(() => {
  nock.cleanAll();
});

const GHE = "https://ghe.example.com";

describe("GitHub Enterprise Server", () => {
  it("links the check-run summary and the review to the server's own host", async () => {
    const fake = new FakeGitHub();
    fake.setFile("app/llm.py", undefined, fixture("llm_exec.py"));
    // No inline comments: the review body then lists the finding with a link to its line.
    fake.repoConfig = "max_comments: 0\n";
    const { deliver } = await setupApp(fake, { baseUrl: `${GHE}/api/v3` });
    const payload = pullRequestPayload("opened", fake);
    payload.repository.html_url = `${GHE}/${fake.owner}/${fake.repo}`;
    payload.pull_request.html_url = `${GHE}/${fake.owner}/${fake.repo}/pull/${fake.prNumber}`;

    await deliver("pull_request", payload);

    const [run] = fake.completedRuns;
    expect(run?.conclusion).toBe("failure");
    const link = `${GHE}/${fake.owner}/${fake.repo}/blob/${fake.headSha}/app/llm.py#L5`;
    expect(run?.output.summary).toContain(`[app/llm.py:5](${link})`);
    const [review] = fake.reviewRequests;
    expect(review?.body).toContain(`[app/llm.py:5](${link})`);
    // Nothing the App wrote points at the repository on github.com.
    const written = JSON.stringify([run?.output, fake.reviewRequests]);
    expect(written).not.toContain(`github.com/${fake.owner}`);
    // GraphQL went to the server's /api/graphql (the fake saw it, so the reads were answered).
    expect(fake.graphqlQueries.length).toBeGreaterThan(0);
  });
});

describe("repositoryOf", () => {
  const base = {
    installation: { id: 1 },
    repository: { name: "r", owner: { login: "o" }, default_branch: "main" },
  };

  it("takes the repository's page from html_url, without a trailing slash", () => {
    const payload = { ...base, repository: { ...base.repository, html_url: "https://ghe.example.com/o/r/" } };
    expect(repositoryOf(payload).repoUrl).toBe("https://ghe.example.com/o/r");
  });

  it("falls back to github.com when html_url is absent or not an http(s) address", () => {
    expect(repositoryOf(base).repoUrl).toBe("https://github.com/o/r");
    const odd = { ...base, repository: { ...base.repository, html_url: "javascript:alert(1)" } };
    expect(repositoryOf(odd).repoUrl).toBe("https://github.com/o/r");
  });
});
