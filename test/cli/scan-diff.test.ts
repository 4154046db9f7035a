// --diff BASE on a real git repository: only findings on lines changed since the merge base.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { git, LLM_EXEC, makeProject, runCli, writeProjectFiles } from "./run-cli.js";

let project: { dir: string; cleanup: () => void };

const SECOND_SINK = `

def run_again():
    reply = client.chat.completions.create(model="m", messages=[]).choices[0].message.content
    exec(reply)
`;

beforeAll(() => {
  project = makeProject({ "pkg/old.py": LLM_EXEC, "pkg/untouched.py": LLM_EXEC, "README.md": "demo\n" });
  git(project.dir, "init", "--quiet", "--initial-branch=main");
  git(project.dir, "add", ".");
  git(project.dir, "commit", "--quiet", "-m", "base");
  git(project.dir, "checkout", "--quiet", "-b", "feature");
  // Committed change: a new sink at the end of old.py (its exec is on line 10).
  writeProjectFiles(project.dir, { "pkg/old.py": LLM_EXEC + SECOND_SINK });
  git(project.dir, "commit", "--quiet", "-am", "add run_again");
  // Uncommitted, untracked file: every line is new.
  writeProjectFiles(project.dir, { "pkg/new.py": LLM_EXEC });
});
afterAll(() => project.cleanup());

describe("rce-guard scan --diff", () => {
  it("reports only findings on lines added since the merge base, including untracked files", async () => {
    const [diffed, full] = await Promise.all([
      runCli(["scan", "--diff", "main", "--format", "json"], project.dir),
      runCli(["scan", "--format", "json"], project.dir),
    ]);
    expect(diffed.stderr).toBe("");
    const document = JSON.parse(diffed.stdout);
    expect(document.diff.base).toBe("main");
    expect(document.diff.mergeBase).toBe(git(project.dir, "rev-parse", "main").trim());
    const places = document.findings.map(
      (f: { location: { path: string; startLine: number } }) => `${f.location.path}:${f.location.startLine}`,
    );
    expect(places.sort()).toEqual(["pkg/new.py:5", "pkg/old.py:10"]);
    expect(diffed.code).toBe(1);
    // Without --diff the unchanged sinks are there too, so the filter above did real work.
    expect(JSON.parse(full.stdout).findings).toHaveLength(4);
  });

  it("explains a base that git cannot resolve and exits 2", async () => {
    const run = await runCli(["scan", "--diff", "no-such-branch"], project.dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^rce-guard: --diff no-such-branch: cannot find the merge base with HEAD \(.+\)\n$/,
    );
  });

  it("refuses --diff outside a git repository with a clear message", async () => {
    const plain = makeProject({ "a.py": "x = 1\n" });
    try {
      const run = await runCli(["scan", "--diff", "main"], plain.dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^rce-guard: --diff main: cannot find the merge base with HEAD \(.*not a git repository.*\)\n$/,
      );
    } finally {
      plain.cleanup();
    }
  });
});
