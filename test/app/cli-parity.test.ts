// The README's promise: an App finding can be reproduced with the CLI. The same tree, analysed by the App
// (a pull request adding the Python files, the manifest unchanged, read through the GitHub API of the fake)
// and by `rce-guard scan` on disk, gives the same findings: a script under `.github/scripts/` is analysed by
// both, and a version gate is decided by the manifest the pull request does not touch.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { LLM_EXEC, makeProject, runCli } from "../cli/run-cli.js";
import { FakeGitHub } from "./support/fake-github.js";
import { pullRequestPayload, setupApp } from "./support/harness.js";

afterEach(() => {
  nock.cleanAll();
});

const ADDED: Record<string, string> = {
  ".github/scripts/triage.py": LLM_EXEC,
  // PyYAML 6 requires a Loader, so a bare yaml.load fails instead of building objects: with 6.0.1 pinned it
  // is safe, unpinned it is reported ("PyYAML is not pinned in any manifest").
  "app/settings.py": [
    "import yaml",
    "",
    "def read(path):",
    "    with open(path) as f:",
    "        return yaml.load(f)",
    "",
  ].join("\n"),
  "app/llm.py": [
    "from openai import OpenAI",
    "",
    "def ask(prompt):",
    '    reply = OpenAI().chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])',
    "    return reply.choices[0].message.content",
    "",
  ].join("\n"),
  "app/agent.py": ["from app.llm import ask", "", "def run():", '    exec(ask("code"))', ""].join("\n"),
};
const UNCHANGED: Record<string, string> = {
  "app/__init__.py": "",
  "requirements.txt": "PyYAML==6.0.1\nopenai>=1.0\n",
};

describe("the App and the CLI on the same tree", () => {
  it("give the same findings, including .github/scripts/ and a gate decided by an unchanged manifest", async () => {
    const project = makeProject({ ...ADDED, ...UNCHANGED });
    try {
      const cli = await runCli(["scan", "--format", "json"], project.dir);
      const cliFindings = (
        JSON.parse(cli.stdout) as {
          findings: { ruleId: string; severity: string; location: { path: string; startLine: number } }[];
        }
      ).findings
        .map((f) => `${f.location.path}:${f.location.startLine} ${f.ruleId} (${f.severity})`)
        .sort();

      const fake = new FakeGitHub();
      for (const [path, text] of Object.entries(UNCHANGED)) fake.setFile(path, text, text);
      for (const [path, text] of Object.entries(ADDED)) fake.setFile(path, undefined, text);
      const { deliver } = await setupApp(fake);
      await deliver("pull_request", pullRequestPayload("opened", fake));
      const [run] = fake.completedRuns;
      const appFindings = (run?.annotations ?? []).map((a) => `${a.path}:${a.start_line} ${a.title}`).sort();

      expect(cliFindings).toEqual([
        ".github/scripts/triage.py:5 VNX-LLM-002 (critical)",
        "app/agent.py:4 VNX-LLM-002 (critical)",
      ]);
      expect(appFindings).toEqual(cliFindings);
      // The manifest was read through the API, at the head commit, though the pull request leaves it alone.
      expect(
        fake.graphqlQueries.some((q) =>
          Object.values(q.variables).includes(`${fake.headSha}:requirements.txt`),
        ),
      ).toBe(true);
    } finally {
      project.cleanup();
    }
  });
});
