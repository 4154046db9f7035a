// The CLI end to end on a small project with one real finding. Assertions on findings need the engine.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportSchemaErrors, sarifSchemaErrors } from "../report/validators.js";
import { CONSTANT_EXEC, LLM_EXEC, makeProject, runCli } from "./run-cli.js";

let project: { dir: string; cleanup: () => void };

beforeAll(() => {
  project = makeProject({
    "agent/app.py": LLM_EXEC,
    "agent/constant.py": CONSTANT_EXEC,
    "requirements.txt": "openai==1.40.0\n",
    "README.md": "not scanned\n",
  });
});
afterAll(() => project.cleanup());

describe("rce-guard scan output formats", () => {
  it("text: reports LLM output reaching exec with a code frame, trace and summary, and exits 1", async () => {
    const run = await runCli(["scan", "."], project.dir);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("CRITICAL VNX-LLM-002");
    expect(run.stdout).toContain("--> agent/app.py:5:10");
    expect(run.stdout).toMatch(/ 5 \| {5}exec\(code\)\n {3}\| {10}\^\^\^\^\n/);
    expect(run.stdout).toMatch(/trace:\n\s+1\. agent\/app\.py:4 /);
    expect(run.stdout).toContain(
      "help: https://github.com/rce-guard/rce-guard/blob/main/rules/VNX-LLM-002/rule.md",
    );
    expect(run.stdout).toMatch(
      /✖ 1 finding \(1 critical\) · 0 suppressed · 3 files scanned in [\d.]+s · 1 at or above high\n$/,
    );
    expect(run.stdout).not.toContain("agent/constant.py:");
    expect(run.stdout).not.toContain("\x1b[");
    expect(run.code).toBe(1);
  });

  it("json and sarif: valid documents with root-relative paths; --output writes the file instead of stdout", async () => {
    const [json, sarif] = await Promise.all([
      runCli(
        ["scan", "--format", "json", "--output", "out/report.json", "agent", "requirements.txt"],
        project.dir,
      ),
      runCli(["scan", "--format=sarif", "."], project.dir),
    ]);
    expect(json.stdout).toBe("");
    expect(json.stderr).toContain("Report written to out/report.json");
    const reportPath = join(project.dir, "out", "report.json");
    expect(existsSync(reportPath)).toBe(true);
    const document = JSON.parse(readFileSync(reportPath, "utf8"));
    expect(reportSchemaErrors(document)).toEqual([]);
    expect(document.stats.files).toBe(3);
    expect(document.findings).toHaveLength(1);
    expect(document.findings[0]).toMatchObject({
      ruleId: "VNX-LLM-002",
      severity: "critical",
      location: { path: "agent/app.py", startLine: 5, startColumn: 10 },
    });
    expect(document.findings[0].trace.length).toBeGreaterThan(1);
    expect(document.gate).toEqual({
      failOn: "high",
      failed: true,
      failingFindings: 1,
      notAnalysed: 0,
      allowIncomplete: false,
      exitCode: 1,
    });
    expect(json.code).toBe(1);

    const log = JSON.parse(sarif.stdout);
    expect(sarifSchemaErrors(log)).toEqual([]);
    const [result] = log.runs[0].results;
    expect(result.ruleId).toBe("VNX-LLM-002");
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({
      uri: "agent/app.py",
      uriBaseId: "%SRCROOT%",
    });
    expect(result.partialFingerprints["rceGuard/v1"]).toEqual(document.findings[0].fingerprint);
    expect(sarif.code).toBe(1);
  });

  it("github: one error annotation per finding at the sink", async () => {
    const run = await runCli(["scan", "--format", "github", "--quiet"], project.dir);
    const annotations = run.stdout.split("\n").filter((line) => line.startsWith("::"));
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(
      /^::error file=agent\/app\.py,line=5,endLine=5,col=10,endColumn=13,title=RCE Guard VNX-LLM-002 \(critical\)::/,
    );
    expect(run.code).toBe(1);
  });

  it("--fail-on overrides the config's fail_on in both directions", async () => {
    const configured = makeProject({ "app.py": LLM_EXEC, ".github/rce-guard.yml": "fail_on: never\n" });
    try {
      const [fromConfig, overridden, never] = await Promise.all([
        runCli(["scan", "--format", "json"], configured.dir),
        runCli(["scan", "--fail-on", "critical", "--quiet"], configured.dir),
        runCli(["scan", "--fail-on", "never", "--quiet"], project.dir),
      ]);
      expect(JSON.parse(fromConfig.stdout).findings).toHaveLength(1);
      expect(JSON.parse(fromConfig.stdout).gate.failOn).toBe("never");
      expect(fromConfig.code).toBe(0);
      expect(overridden.stdout).toContain("VNX-LLM-002");
      expect(overridden.code).toBe(1);
      expect(never.stdout).toContain("VNX-LLM-002");
      expect(never.code).toBe(0);
    } finally {
      configured.cleanup();
    }
  });
});
