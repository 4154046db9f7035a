// .pre-commit-hooks.yaml run as pre-commit runs it: the hook's entry, with the staged files its `types_or`
// select appended as arguments, in the repository's top directory.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { notebookText, THREE_CELL_FLOW } from "../support/notebook.js";
import { CONSTANT_EXEC, git, LLM_EXEC, makeProject, repoRoot, runCli } from "./run-cli.js";

interface Hook {
  id: string;
  entry: string;
  language: string;
  types_or: string[];
  pass_filenames?: boolean;
}

const hooks = parse(readFileSync(join(repoRoot, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];
const hook = hooks.find((candidate) => candidate.id === "rce-guard")!;

/** The identify tags pre-commit gives these files (its `python` and `jupyter` types). */
const TYPE_OF: [RegExp, string][] = [
  [/\.pyi?$/, "python"],
  [/\.ipynb$/, "jupyter"],
];

/** pre-commit's selection: staged (added, copied, modified, renamed) files whose type is listed. */
function stagedFor(dir: string, types: readonly string[]): string[] {
  const staged = git(dir, "diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z")
    .split("\0")
    .filter(Boolean);
  return staged.filter((path) =>
    TYPE_OF.some(([pattern, type]) => pattern.test(path) && types.includes(type)),
  );
}

async function runHook(dir: string) {
  const [command, ...args] = hook.entry.split(/\s+/);
  expect(command).toBe("rce-guard");
  const files = stagedFor(dir, hook.types_or);
  return runCli([...args, ...(hook.pass_filenames === false ? [] : files)], dir);
}

describe(".pre-commit-hooks.yaml", () => {
  it("declares a node hook named rce-guard over Python files and notebooks", () => {
    expect(hook).toMatchObject({ language: "node", types_or: ["python", "jupyter"] });
    // pre-commit installs a node hook's repository as a package whose bin provides the entry.
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    expect(Object.keys(pkg.bin)).toContain("rce-guard");
  });

  it("fails the commit on a staged flow, naming the file; passes once only safe files are staged", async () => {
    const project = makeProject({ "agent.py": LLM_EXEC, "safe.py": CONSTANT_EXEC, "notes.txt": "exec(x)\n" });
    try {
      git(project.dir, "init", "-q");
      git(project.dir, "add", "agent.py", "safe.py", "notes.txt");
      const failing = await runHook(project.dir);
      expect(failing.code).toBe(1);
      expect(failing.stdout).toContain("agent.py:5:10");
      expect(failing.stdout).not.toContain("safe.py");

      git(project.dir, "rm", "-q", "--cached", "agent.py");
      const passing = await runHook(project.dir);
      expect(passing.stderr).toBe("");
      expect(passing.code).toBe(0);
    } finally {
      project.cleanup();
    }
  });

  it("scans a staged notebook too, naming the cell and line", async () => {
    const project = makeProject({ "plan.ipynb": notebookText(THREE_CELL_FLOW), "notes.txt": "exec(x)\n" });
    try {
      git(project.dir, "init", "-q");
      git(project.dir, "add", "plan.ipynb", "notes.txt");
      const failing = await runHook(project.dir);
      expect(failing.code).toBe(1);
      expect(failing.stdout).toContain("plan.ipynb cell 3 line 8");
    } finally {
      project.cleanup();
    }
  });
});
