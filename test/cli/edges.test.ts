// Edges of the command line: paths named but unreadable, symbolic links out of the tree, a reader that
// closes the pipe, and source lines too long to print.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSTANT_EXEC, LLM_EXEC, makeProject, repoRoot, runCli, spawnCli } from "./run-cli.js";

describe("paths named on the command line", () => {
  let project: { dir: string; cleanup: () => void };
  // Root reads whatever the permissions say, so as root the permission cases run as `nobody`.
  const asRoot = process.getuid?.() === 0;
  const unprivileged = asRoot ? { uid: 65534, gid: 65534 } : {};

  beforeAll(() => {
    project = makeProject({
      "app.py": CONSTANT_EXEC,
      "secret.py": CONSTANT_EXEC,
      "locked/a.py": CONSTANT_EXEC,
    });
    chmodSync(project.dir, 0o755);
    chmodSync(join(project.dir, "app.py"), 0o644);
    chmodSync(join(project.dir, "secret.py"), 0o000);
    chmodSync(join(project.dir, "locked"), 0o000);
    symlinkSync("nowhere.py", join(project.dir, "dangling.py"));
    execFileSync("mkfifo", [join(project.dir, "pipe.py")]);
  });
  afterAll(() => {
    chmodSync(join(project.dir, "locked"), 0o755);
    project.cleanup();
  });

  it("are an error (exit 2) when they cannot be read, listed, or are not files", async () => {
    const runs = await Promise.all([
      runCli(["scan", "app.py", "secret.py"], project.dir, {}, unprivileged),
      runCli(["scan", "locked"], project.dir, {}, unprivileged),
      runCli(["scan", "dangling.py"], project.dir),
      // Reading a FIFO would wait for a writer forever.
      runCli(["scan", "pipe.py"], project.dir, {}, { timeoutMs: 20_000 }),
    ]);
    expect(runs.map((run) => run.stderr)).toEqual([
      "rce-guard: cannot read secret.py: cannot open the file (permission denied)\n",
      "rce-guard: cannot read locked: cannot list the directory (permission denied)\n",
      "rce-guard: path not found: dangling.py (a symbolic link to nothing)\n",
      "rce-guard: cannot read pipe.py: not a regular file or directory\n",
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2]);
    expect(runs.map((run) => run.stdout)).toEqual(["", "", "", ""]);
  });

  it("a directory found unlistable while walking is named and fails the scan (exit 3)", async () => {
    const run = await runCli(["scan", "-f", "json"], project.dir, {}, unprivileged);
    const document = JSON.parse(run.stdout);
    expect(document.notAnalysed).toEqual(
      expect.arrayContaining([
        {
          path: "locked/",
          reason: "not analysed: cannot list the directory (permission denied)",
          extent: "file",
        },
        {
          path: "secret.py",
          reason: "not analysed: cannot read the file (permission denied)",
          extent: "file",
        },
      ]),
    );
    expect(run.code).toBe(3);
  });
});

describe("symbolic links", () => {
  let outside: string;
  let project: { dir: string; cleanup: () => void };
  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), "rce-guard-outside-"));
    writeFileSync(join(outside, "evil.py"), LLM_EXEC);
    mkdirSync(join(outside, "lib"));
    writeFileSync(join(outside, "lib", "tool.py"), LLM_EXEC);
    project = makeProject({ "src/agent.py": LLM_EXEC });
    symlinkSync(join(outside, "evil.py"), join(project.dir, "src", "passwd.py"));
    symlinkSync(join(outside, "lib"), join(project.dir, "src", "vendor"));
    symlinkSync("agent.py", join(project.dir, "src", "alias.py"));
  });
  afterAll(() => {
    project.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  it("are followed inside the scan root, and named but not followed out of it", async () => {
    const run = await runCli(["scan", "-f", "json"], project.dir);
    const document = JSON.parse(run.stdout);
    const paths = document.findings.map((f: { location: { path: string } }) => f.location.path).sort();
    expect(paths).toEqual(["src/agent.py", "src/alias.py"]);
    expect(document.diagnostics).toEqual(
      expect.arrayContaining([
        {
          path: "src/passwd.py",
          severity: "warning",
          message: "not followed: symbolic link to a path outside the scan root",
        },
        {
          path: "src/vendor/",
          severity: "warning",
          message: "not followed: symbolic link to a path outside the scan root",
        },
      ]),
    );
    expect(run.code).toBe(1);
  });

  it("one named on the command line that leads out of the root is an error", async () => {
    const run = await runCli(["scan", "src/passwd.py"], project.dir);
    expect(run.stderr).toBe(
      "rce-guard: src/passwd.py is a symbolic link to a path outside the scan root; name the target itself, or choose the root with --root\n",
    );
    expect(run.code).toBe(2);
  });
});

describe("output", () => {
  it("ends quietly when the reader closes the pipe early (… | head -1), keeping the scan's status", async () => {
    const child = spawnCli(["scan", "rules", "-f", "sarif"], repoRoot);
    let stderr = "";
    child.stderr!.on("data", (chunk) => {
      stderr += chunk;
    });
    child.stdout!.once("data", () => child.stdout!.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(1);
  });

  it("cuts a 900,000-character line around the finding, keeping the real column and the caret", async () => {
    const padding = `    pad = "${"a".repeat(900_000)}"; `;
    const project = makeProject({ "app.py": LLM_EXEC.replace("    exec(code)", `${padding}exec(code)`) });
    try {
      const run = await runCli(["scan", "--no-color"], project.dir);
      expect(run.code).toBe(1);
      expect(run.stdout.length).toBeLessThan(5_000);
      const column = padding.length + "exec(".length + 1;
      expect(run.stdout).toContain(`--> app.py:5:${column}\n`);
      const lines = run.stdout.split("\n");
      const codeLine = lines.find((line) => line.startsWith(" 5 | "))!;
      expect(codeLine).toMatch(/^ 5 \| …a+"; exec\(code\)$/);
      const caretLine = lines[lines.indexOf(codeLine) + 1]!;
      expect(caretLine.indexOf("^")).toBe(codeLine.indexOf("code)"));
      expect(caretLine).toMatch(/^ {3}\| +\^{4}$/);
    } finally {
      project.cleanup();
    }
  });
});
