// A scan of a folder inside a project reads the rest of the project as context: flows that cross into the
// folder (model output from `pkg/llm.py`, a caller in `pkg/main.py`) are followed as in a scan of the whole
// project, and only findings under the paths asked for are reported.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { git, LLM_EXEC, makeProject, runCli } from "./run-cli.js";

const FILES = {
  "pkg/__init__.py": "",
  "pkg/llm.py": [
    "from openai import OpenAI",
    "",
    "def ask(prompt):",
    '    reply = OpenAI().chat.completions.create(model="m", messages=[{"role": "user", "content": prompt}])',
    "    return reply.choices[0].message.content",
    "",
  ].join("\n"),
  "pkg/main.py": [
    "from pkg.llm import ask",
    "from pkg.sub.tool import shell",
    "",
    'shell(ask("a command"))',
    "",
  ].join("\n"),
  "pkg/other.py": LLM_EXEC,
  "pkg/sub/__init__.py": "",
  "pkg/sub/runner.py": ["from pkg.llm import ask", "", "def run():", '    exec(ask("some code"))', ""].join(
    "\n",
  ),
  "pkg/sub/tool.py": [
    "import subprocess",
    "",
    "def shell(command):",
    "    subprocess.run(command, shell=True)",
    "",
  ].join("\n"),
};

const EXPECTED = ["VNX-LLM-002 pkg/sub/runner.py:4", "VNX-LLM-002 pkg/sub/tool.py:4"];

interface Report {
  findings: { ruleId: string; location: { path: string; startLine: number } }[];
  diagnostics: { path: string }[];
  stats: { files: number };
}

const brief = (report: Report) =>
  report.findings.map((f) => `${f.ruleId} ${f.location.path}:${f.location.startLine}`).sort();

describe("rce-guard scan of a subdirectory", () => {
  let inGit: { dir: string; cleanup: () => void };
  let withPyproject: { dir: string; cleanup: () => void };

  beforeAll(() => {
    inGit = makeProject(FILES);
    git(inGit.dir, "init", "-q");
    withPyproject = makeProject({ ...FILES, "pyproject.toml": '[project]\nname = "pkg"\n' });
  });
  afterAll(() => {
    inGit.cleanup();
    withPyproject.cleanup();
  });

  it("follows imports into the rest of a git repository and reports only the folder's findings", async () => {
    const whole = await runCli(["scan", "--format", "json"], inGit.dir);
    expect(brief(JSON.parse(whole.stdout))).toEqual(["VNX-LLM-002 pkg/other.py:5", ...EXPECTED]);

    const run = await runCli(["scan", ".", "--format", "json"], join(inGit.dir, "pkg", "sub"));
    expect(run.stderr).not.toContain("internal error");
    const report = JSON.parse(run.stdout) as Report;
    expect(brief(report)).toEqual(EXPECTED);
    expect(report.stats.files).toBe(3);
    expect(report.diagnostics.every((d) => d.path.startsWith("pkg/sub/"))).toBe(true);
  });

  it("finds the project root by its pyproject.toml outside git, and so for a file named alone", async () => {
    const run = await runCli(["scan", ".", "--format", "json"], join(withPyproject.dir, "pkg", "sub"));
    expect(brief(JSON.parse(run.stdout))).toEqual(EXPECTED);
    const file = await runCli(
      ["scan", "runner.py", "--format", "json"],
      join(withPyproject.dir, "pkg", "sub"),
    );
    expect(brief(JSON.parse(file.stdout))).toEqual([EXPECTED[0]]);
  });

  it("outside any project, a folder named from above reads only itself: not its siblings as context", async () => {
    // Where the user stands is no project (no repository, no project file): a sibling folder (a home
    // directory's other projects, /tmp) is not read, so its model call cannot reach `here/run.py`.
    const loose = makeProject({
      "beside/llm.py": FILES["pkg/llm.py"],
      "here/run.py": "from beside.llm import ask\n\nexec(ask('code'))\n",
    });
    try {
      const run = await runCli(["scan", "here", "--format", "json"], loose.dir);
      const report = JSON.parse(run.stdout) as Report;
      expect(brief(report)).toEqual([]);
      expect(report.stats.files).toBe(1);
      // The same files inside a project: the sibling is part of it and the flow is found.
      const project = await runCli(["scan", "here", "--format", "json", "--root", "."], loose.dir);
      expect(brief(JSON.parse(project.stdout))).toEqual(["VNX-LLM-002 here/run.py:3"]);
    } finally {
      loose.cleanup();
    }
  });
});
