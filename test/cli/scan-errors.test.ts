// Usage and configuration mistakes: exit status 2 and a message that says what to fix. None of these
// depend on the engine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject, runCli } from "./run-cli.js";

let project: { dir: string; cleanup: () => void };

beforeAll(() => {
  project = makeProject({
    "app.py": "print('hi')\n",
    "bad.yml": [
      "fail_on: sometimes",
      "rules:",
      "  VNX-LLM-002:",
      "    severity: huge",
      "exclude:",
      "  - vendor/**",
      "colour: red",
      "",
    ].join("\n"),
    "broken.yml": "rules: [unclosed\n",
  });
});
afterAll(() => project.cleanup());

describe("rce-guard usage errors", () => {
  it("rejects unknown options, missing paths and bad values with one line each and exit 2", async () => {
    const runs = await Promise.all([
      runCli(["scan", "--frobnicate"], project.dir),
      runCli(["scan", "missing-dir"], project.dir),
      runCli(["scan", "--format", "xml"], project.dir),
      runCli(["scan", "--config", "nope.yml"], project.dir),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2]);
    expect(runs.map((run) => run.stdout)).toEqual(["", "", "", ""]);
    expect(runs.map((run) => run.stderr)).toEqual([
      "rce-guard: unknown option '--frobnicate' (see rce-guard --help)\n",
      "rce-guard: path not found: missing-dir\n",
      "rce-guard: invalid --format 'xml'; expected one of text, json, sarif, github\n",
      "rce-guard: cannot read config file nope.yml: no such file\n",
    ]);
  });

  it("lists every problem of an invalid config with file and line, and exits 2", async () => {
    const [invalid, unparsable] = await Promise.all([
      runCli(["scan", "--config", "bad.yml"], project.dir),
      runCli(["scan", "--config", "broken.yml"], project.dir),
    ]);
    expect(invalid.code).toBe(2);
    const lines = invalid.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("rce-guard: invalid config file bad.yml (3 problems):");
    expect(lines).toContain(
      "  bad.yml:7: colour: unknown key; expected one of rules, fail_on, exclude, sources, sinks, sanitizers, max_comments, review_drafts, on_error, on_unanalysed, comment_min_severity, sink_side_fallback",
    );
    expect(lines.find((line) => line.startsWith("  bad.yml:1: fail_on: must be one of"))).toBeDefined();
    expect(
      lines.find((line) => line.startsWith("  bad.yml:4: rules.VNX-LLM-002.severity: must be one of")),
    ).toBeDefined();
    expect(unparsable.code).toBe(2);
    expect(unparsable.stderr).toMatch(
      /^rce-guard: invalid config file broken\.yml \(1 problem\):\n {2}broken\.yml:\d+: invalid YAML/,
    );
  });

  it("prints usage for --help and the package version for --version", async () => {
    const [help, version] = await Promise.all([
      runCli(["--help"], project.dir),
      runCli(["--version"], project.dir),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: rce-guard scan \[options\] \[PATHS\.\.\.\]/);
    for (const option of [
      "--diff",
      "--format",
      "--output",
      "--fail-on",
      "--config",
      "--no-color",
      "--quiet",
    ]) {
      expect(help.stdout).toContain(option);
    }
    expect(version.stdout).toMatch(/^rce-guard \d+\.\d+\.\d+\n$/);
    expect(version.code).toBe(0);
  });
});
