// Which files a scan reads, and that every file it does not read is named in the report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportSchemaErrors } from "../report/validators.js";
import { LLM_EXEC, makeProject, runCli } from "./run-cli.js";

let project: { dir: string; cleanup: () => void };

beforeAll(() => {
  project = makeProject({
    "src/app.py": LLM_EXEC,
    // It calls a model, so it is parsed (a file that can hold no finding is not parsed at all).
    "src/broken.py": "from openai import OpenAI\ndef run(:\n    exec(\n",
    "src/blob.py": Buffer.from([0x70, 0x72, 0x69, 0x6e, 0x74, 0x00, 0x01]),
    "src/huge.py": "x = 1\n".repeat(180_000),
    "src/generated/api_pb2.py": LLM_EXEC,
    "src/notes.txt": "not a candidate\n",
    "pyproject.toml": '[project]\nname = "demo"\ndependencies = ["openai"]\n',
    "requirements-dev.txt": "pytest\n",
    "node_modules/pkg/evil.py": LLM_EXEC,
    ".venv/lib/site.py": LLM_EXEC,
    "env311/pyvenv.cfg": "home = /usr/bin\n",
    "env311/lib/site.py": LLM_EXEC,
    ".github/rce-guard.yml": "exclude:\n  - src/generated/\n",
  });
});
afterAll(() => project.cleanup());

describe("rce-guard scan file discovery", () => {
  it("collects Python files and manifests, and lists binary, huge, excluded and vendored paths", async () => {
    const run = await runCli(["scan", "--format", "json"], project.dir);
    expect(run.stderr).not.toContain("internal error");
    expect([0, 1]).toContain(run.code);
    const document = JSON.parse(run.stdout);
    expect(reportSchemaErrors(document)).toEqual([]);
    // app.py, broken.py, pyproject.toml, requirements-dev.txt
    expect(document.stats.files).toBe(4);
    expect(document.stats.skippedFiles).toBe(2);
    const byPath = new Map(document.diagnostics.map((d: { path: string; message: string }) => [d.path, d]));
    expect(byPath.get("src/blob.py")).toMatchObject({
      severity: "warning",
      message: expect.stringContaining("binary"),
    });
    expect(byPath.get("src/huge.py")).toMatchObject({
      severity: "warning",
      message: expect.stringContaining("size limit"),
    });
    expect(byPath.get("src/generated/")).toMatchObject({
      severity: "note",
      message: expect.stringContaining("src/generated/"),
    });
    expect(byPath.get("node_modules/")).toMatchObject({ severity: "note" });
    expect(byPath.get(".venv/")).toMatchObject({ severity: "note" });
    expect(byPath.get("env311/")).toMatchObject({
      severity: "note",
      message: expect.stringContaining("virtual environment"),
    });
    // Hidden directories are walked (.github/scripts/ holds code CI runs); .github/ here holds no Python.
    expect(byPath.has(".github/")).toBe(false);
    expect(byPath.has(".git/")).toBe(false);
    const reportedPaths = document.findings.map((f: { location: { path: string } }) => f.location.path);
    expect(reportedPaths.every((path: string) => path === "src/app.py" || path === "src/broken.py")).toBe(
      true,
    );
  });

  it("text output names the skipped files; a named path beats the exclude list; --max-file-size applies", async () => {
    const [text, explicit] = await Promise.all([
      runCli(["scan", "--no-color", "--max-file-size", "150"], project.dir),
      runCli(["scan", "--format", "json", "src/generated"], project.dir),
    ]);
    expect(text.stdout).toContain("Not analysed (3 files): findings in them would not be reported\n");
    expect(text.stdout).toContain("  src/blob.py: not analysed: binary file (contains a NUL byte)");
    expect(text.stdout).toContain(
      "  src/huge.py: not analysed: 1 MiB is over the 150 bytes size limit (--max-file-size)",
    );
    expect(text.stdout).toContain(
      `  src/app.py: not analysed: ${LLM_EXEC.length} bytes is over the 150 bytes size limit`,
    );
    expect(text.stdout).toMatch(
      /· 3 files NOT fully analysed · .*· 3 files scanned in [\d.]+s · 3 skipped ·/,
    );
    expect(text.stderr).toBe("");
    expect(text.code).toBe(3);
    const document = JSON.parse(explicit.stdout);
    expect(document.stats.files).toBe(1);
    expect(document.findings.map((f: { location: { path: string } }) => f.location.path)).toEqual([
      "src/generated/api_pb2.py",
    ]);
  });

  it("does not crash on malformed Python and still reports the rest of the file set", async () => {
    const run = await runCli(["scan", "--format", "json", "src/broken.py", "src/app.py"], project.dir);
    expect([0, 1]).toContain(run.code);
    const document = JSON.parse(run.stdout);
    expect(document.stats.files).toBe(2);
    expect(document.stats.parseErrors).toBeGreaterThan(0);
    expect(document.diagnostics.some((d: { path: string }) => d.path === "src/broken.py")).toBe(true);
    expect(
      document.findings.some((f: { location: { path: string } }) => f.location.path === "src/app.py"),
    ).toBe(true);
  });
});
