// Installs RCE Guard from a git URL, as `npm install git+https://github.com/…` does: npm clones the
// repository, installs its dependencies there, runs its `prepare` script (which builds dist/), packs it by
// its `files` list and installs that into the project. The repository here is a local one holding this
// checkout's tracked files as one commit, reached as git+file://. Slow (two installs: the clone's, with
// dev dependencies, and the project's) and needs the npm registry; RCE_GUARD_SKIP_INSTALL_TEST=1 skips it.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../cli/run-cli.js";
import { expectExampleFindings, plainEnv, run, skipInstallTests as skip } from "./support.js";

const gitEnv = () =>
  plainEnv({
    GIT_AUTHOR_NAME: "Test",
    GIT_AUTHOR_EMAIL: "test@example.com",
    GIT_COMMITTER_NAME: "Test",
    GIT_COMMITTER_EMAIL: "test@example.com",
    GIT_CONFIG_NOSYSTEM: "1",
  });

/** A repository with this checkout's tracked files (as they are in the working tree) in one commit. */
function repositoryOfCheckout(into: string): string {
  const repo = join(into, "rce-guard");
  mkdirSync(repo, { recursive: true });
  const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: repoRoot, encoding: "utf8" })
    .split("\0")
    .filter((path) => path && existsSync(join(repoRoot, path)));
  for (const path of tracked) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    copyFileSync(join(repoRoot, path), join(repo, path));
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env: gitEnv(), stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "snapshot");
  return repo;
}

describe.skipIf(skip)("installed from a git URL into another project", () => {
  let scratch: string;
  let project: string;
  let installLog: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "rce-guard-git-install-"));
    const repo = repositoryOfCheckout(scratch);
    project = join(scratch, "project");
    cpSync(join(repoRoot, "examples", "llm-agent"), join(project, "llm-agent"), { recursive: true });
    writeFileSync(
      join(project, "package.json"),
      `${JSON.stringify({ name: "consumer", private: true }, null, 2)}\n`,
    );
    const installed = await run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--foreground-scripts", `git+${pathToFileURL(repo).href}`],
      { cwd: project, env: gitEnv(), maxBuffer: 64 * 1024 * 1024 },
    );
    installLog = `${installed.stdout}${installed.stderr}`;
  }, 1_500_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("`prepare` built dist/ in the clone, and the installed package has it and the addon", () => {
    const installed = join(project, "node_modules", "rce-guard");
    expect(existsSync(join(installed, "dist", "src", "cli", "main.js")), installLog).toBe(true);
    expect(existsSync(join(installed, "native", "build", "Release", "tree_export.node")), installLog).toBe(
      true,
    );
    expect(existsSync(join(installed, "test"))).toBe(false);
    expect(existsSync(join(installed, "rules", "VNX-LLM-002", "examples"))).toBe(false);
  });

  it("`npx rce-guard scan` finds the example's 3 findings", async () => {
    await expectExampleFindings(project);
  });
});
