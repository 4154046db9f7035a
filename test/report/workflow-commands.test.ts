import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, renderWorkflowCommands } from "../../src/report/workflow-commands.js";
import { execFinding, makeReport, yamlFinding } from "./fixtures.js";

describe("GitHub Actions annotations", () => {
  it("escapes data and properties as the runner decodes them", () => {
    expect(escapeData("50% done\r\nnext: a,b")).toBe("50%25 done%0D%0Anext: a,b");
    expect(escapeProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
  });

  it("emits one annotation per finding, with columns only on single-line spans", () => {
    const multiLine = yamlFinding({
      severity: "medium",
      location: { path: "pkg/x,y.py", startLine: 3, startColumn: 8, endLine: 4, endColumn: 2 },
    });
    const output = renderWorkflowCommands(makeReport({ findings: [multiLine, execFinding()] }));
    const lines = output.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^::error file=agent\/app\.py,line=5,endLine=5,col=10,endColumn=13,title=RCE Guard VNX-LLM-002 \(critical\)::LLM output reaches `exec`%0A%0ATrace:%0A/,
    );
    expect(lines[0]).toContain("%0A  1. agent/app.py:4  output of `client.chat.completions.create`");
    expect(lines[0]).toContain(
      "Help: https://github.com/rce-guard/rce-guard/blob/main/rules/VNX-LLM-002/rule.md",
    );
    expect(lines[1]).toMatch(
      /^::warning file=pkg\/x%2Cy\.py,line=3,endLine=4,title=RCE Guard VNX-DESER-002 \(medium\)::/,
    );
    expect(lines.every((line) => !line.includes("\r"))).toBe(true);
    expect(lines.at(-1)).toBe(
      "RCE Guard: 2 finding(s) (1 critical, 1 medium), 0 suppressed, 3 file(s) scanned; 1 at or above fail-on high",
    );
  });

  it("cannot be made to run another workflow command by a crafted file name", () => {
    const output = renderWorkflowCommands(
      makeReport({
        findings: [
          execFinding({
            location: { path: "a\n::add-mask::x.py", startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
          }),
        ],
        diagnostics: [
          { path: "evil\n::stop-commands::tok.py", severity: "note", message: "excluded" },
          { path: "bin.py", severity: "warning", message: "skipped: binary file" },
        ],
      }),
    );
    const commandLines = output.split("\n").filter((line) => line.startsWith("::"));
    expect(commandLines.map((line) => line.slice(0, line.indexOf(" ")))).toEqual(["::error", "::warning"]);
    expect(output).toContain("::warning file=bin.py,title=RCE Guard%3A bin.py::skipped: binary file");
  });
});
