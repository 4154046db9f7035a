// VNX-DEP-001 through the engine (runAnalysis) and the CLI, as users see it: every advisory matching a pin is
// a finding of its own, and a manifest that does not parse is a diagnostic with its file and line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAnalysis } from "../../src/run-analysis.js";
import { makeProject, runCli } from "../cli/run-cli.js";

const advisoryIds = (messages: string[]) => messages.map((m) => /CVE-\d+-\d+/.exec(m)?.[0]).sort();

describe("VNX-DEP-001 through runAnalysis", () => {
  it("reports every advisory that matches one pin (PyYAML==5.0 matches three)", () => {
    const result = runAnalysis([{ path: "requirements.txt", text: "PyYAML==5.0\n" }]);
    const findings = result.findings.filter((f) => f.ruleId === "VNX-DEP-001");
    expect(advisoryIds(findings.map((f) => f.message))).toEqual([
      "CVE-2017-18342",
      "CVE-2020-14343",
      "CVE-2020-1747",
    ]);
    expect(findings.every((f) => f.location.path === "requirements.txt" && f.location.startLine === 1)).toBe(
      true,
    );
    // Three findings, three fingerprints: each can be suppressed or resolved on its own.
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(3);
  });

  it("reports a pyproject.toml that does not parse, with its line, and reads nothing from it", () => {
    const text = [
      "[project]",
      'name = "svc"',
      "dependencies = [",
      '  "torch==2.0.0"',
      '  "pyyaml==5.0",',
      "]",
      "",
    ].join("\n");
    const result = runAnalysis([{ path: "svc/pyproject.toml", text }]);
    expect(result.findings).toEqual([]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        path: "svc/pyproject.toml",
        severity: "error",
        line: 5,
        message: expect.stringMatching(/^cannot parse pyproject\.toml at line 5, column \d+: /),
      }),
    ]);
  });

  it("does not check a vendored copy of another project's requirements, nor let it decide a version gate", () => {
    const vendored = "studio/nets/efficientnet_repo";
    const result = runAnalysis([
      {
        path: "pyproject.toml",
        text: '[project]\nname = "studio"\ndependencies = ["torch>=2.7.0,<3.0; sys_platform != \'darwin\'"]\n',
      },
      { path: "studio/__init__.py", text: "" },
      { path: "studio/nets/__init__.py", text: "" },
      { path: `${vendored}/__init__.py`, text: "" },
      { path: `${vendored}/setup.py`, text: "from setuptools import setup\nsetup(name='geffnet')\n" },
      { path: `${vendored}/requirements.txt`, text: "torch>=1.2.0\n" },
      { path: "third_party/requirements.txt", text: "PyYAML==5.0\n" },
      {
        path: `${vendored}/utils.py`,
        text: "import torch\n\ndef load(path):\n    return torch.load(path)\n",
      },
    ]);
    expect(result.findings).toEqual([]);
  });

  it("says nothing about manifests outside the change when only changed lines are reported", () => {
    const result = runAnalysis([{ path: "pyproject.toml", text: "[project\n" }], {
      changedLines: new Map([["app.py", [[1, 1]]]]),
    });
    expect(result.diagnostics).toEqual([]);
  });
});

describe("VNX-DEP-001 through the CLI", () => {
  let project: { dir: string; cleanup: () => void };
  beforeAll(() => {
    project = makeProject({
      "requirements.txt": "PyYAML==5.0\n",
      "plugin/pyproject.toml": '[project]\nname = "plugin"\ndependencies = ["torch>=2.6" "numpy"]\n',
    });
  });
  afterAll(() => project.cleanup());

  it("prints every matching advisory and the broken manifest's file and line", async () => {
    const run = await runCli(["scan", ".", "--format", "json"], project.dir);
    const report = JSON.parse(run.stdout) as {
      findings: { ruleId: string; message: string }[];
      diagnostics: { path: string; line?: number; severity: string; message: string }[];
    };
    expect(
      advisoryIds(report.findings.filter((f) => f.ruleId === "VNX-DEP-001").map((f) => f.message)),
    ).toEqual(["CVE-2017-18342", "CVE-2020-14343", "CVE-2020-1747"]);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({
        path: "plugin/pyproject.toml",
        line: 3,
        severity: "error",
        message: expect.stringContaining("cannot parse pyproject.toml at line 3"),
      }),
    );
  });
});
