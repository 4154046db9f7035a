import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { codeFrame, renderText } from "../../src/report/text.js";
import { execFinding, makeReport, suppressedFinding, yamlFinding } from "./fixtures.js";

const plain = pc.createColors(false);

describe("text report", () => {
  it("shows header, code frame with the sink underlined, trace, remediation and help for a finding", () => {
    const text = renderText(makeReport({ findings: [execFinding()] }), { color: false });
    const lines = text.split("\n");
    expect(lines[0]).toBe("CRITICAL VNX-LLM-002 LLM output reaches `exec`");
    expect(lines[1]).toBe("  --> agent/app.py:5:10");
    const sinkLine = lines.findIndex((line) => line.endsWith("    exec(code)"));
    expect(lines[sinkLine]).toBe(" 5 |     exec(code)");
    expect(lines[sinkLine + 1]).toBe("   |          ^^^^");
    expect(lines[sinkLine - 1]).toMatch(/^ 4 \| {5}code = client\.chat/);
    expect(text).toContain("      1. agent/app.py:4  output of `client.chat.completions.create`  (source)");
    expect(text).toContain("      2. agent/app.py:4  assigned to `code`\n");
    expect(text).toContain("      3. agent/app.py:5  passed to `exec`  (sink)");
    expect(text).toContain("= remediation: Never execute model output");
    expect(text).toContain(
      "= help: https://github.com/rce-guard/rce-guard/blob/main/rules/VNX-LLM-002/rule.md",
    );
  });

  it("lists suppressed findings with reasons, skipped files, and a summary with counts and the gate", () => {
    const report = makeReport(
      {
        findings: [yamlFinding(), execFinding()],
        suppressed: [suppressedFinding()],
        diagnostics: [
          { path: "blob.py", severity: "warning", message: "skipped: binary file (contains a NUL byte)" },
          { path: "vendor/", severity: "note", message: "excluded by config pattern 'vendor'" },
        ],
      },
      { stats: { files: 7, bytes: 1, parseErrors: 0, skippedFiles: 2, durationMs: 1534 } },
    );
    const text = renderText(report, { color: false });
    // Most severe first, whatever order the engine returned.
    expect(text.indexOf("VNX-LLM-002")).toBeLessThan(text.indexOf("VNX-DESER-002"));
    expect(text).toContain(
      "Suppressed (1):\n  VNX-LLM-002 agent/sandbox.py:12 (critical) - runs inside the gVisor sandbox",
    );
    expect(text).toContain("  warning blob.py: skipped: binary file (contains a NUL byte)");
    expect(text).toContain("  note vendor/: excluded by config pattern 'vendor'");
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "✖ 2 findings (1 critical, 1 high) · 1 suppressed · 7 files scanned in 1.53s · 2 skipped · 2 at or above high",
    );
    expect(text).toContain(
      "= fix (safe): Replace `yaml.load(..., Loader=yaml.Loader)` with `yaml.safe_load(...)`",
    );
  });

  it("says so plainly when nothing is found, and prints nothing at all with quiet", () => {
    const report = makeReport({}, { failOn: "medium" });
    expect(renderText(report, { color: false })).toBe(
      "✔ No findings · 0 suppressed · 3 files scanned in 0.01s · none at or above medium\n",
    );
    expect(renderText(report, { color: false, quiet: true })).toBe("");
  });

  it("passes below-threshold findings without failing and uses colour only when asked", () => {
    const report = makeReport({ findings: [yamlFinding()] }, { failOn: "critical" });
    const plainText = renderText(report, { color: false });
    expect(plainText).toContain("✔ 1 finding (1 high)");
    expect(plainText).not.toContain("\x1b[");
    expect(renderText(report, { color: true })).toContain("\x1b[");
  });
});

describe("code frame", () => {
  it("keeps the carets aligned under tab-indented code", () => {
    const source = "def f():\n\tif x:\n\t\teval(payload)\n";
    const frame = codeFrame(source, { startLine: 3, startColumn: 8, endLine: 3, endColumn: 14 }, plain);
    expect(frame).toContain(" 3 | \t\teval(payload)");
    expect(frame).toContain("   | \t\t     ^^^^^^^");
  });

  it("underlines every line of a multi-line span and stays inside the file", () => {
    const source = "x = 1\nexec(\n    a +\n    b)\n";
    const frame = codeFrame(source, { startLine: 3, startColumn: 5, endLine: 4, endColumn: 5 }, plain);
    expect(frame).toEqual([
      "   |",
      " 2 | exec(",
      " 3 |     a +",
      "   |     ^^^",
      " 4 |     b)",
      "   |     ^",
      "   |",
    ]);
    expect(codeFrame(source, { startLine: 40, startColumn: 1, endLine: 40, endColumn: 2 }, plain)).toEqual(
      [],
    );
  });
});
