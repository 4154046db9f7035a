import { describe, expect, it } from "vitest";
import { renderJson, toJsonReport } from "../../src/report/json.js";
import { execFinding, makeReport, suppressedFinding, yamlFinding } from "./fixtures.js";
import { reportSchemaErrors } from "./validators.js";

describe("JSON report", () => {
  it("produces a versioned document that validates against docs/report.schema.json", () => {
    const report = makeReport(
      {
        findings: [yamlFinding(), execFinding()],
        suppressed: [suppressedFinding()],
        diagnostics: [{ path: "big.py", severity: "warning", message: "skipped: too large" }],
      },
      { diff: { base: "main", mergeBase: "0123456789abcdef0123456789abcdef01234567" } },
    );
    const document = JSON.parse(renderJson(report));
    expect(reportSchemaErrors(document)).toEqual([]);
    expect(document.version).toBe(1);
    expect(document.tool).toEqual({ name: "RCE Guard", version: "0.1.0" });
    expect(document.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      "VNX-LLM-002",
      "VNX-DESER-002",
    ]);
    expect(document.stats.findings).toEqual({ critical: 1, high: 1, medium: 0, low: 0, info: 0 });
    expect(document.stats.suppressed).toBe(1);
    expect(document.gate).toEqual({
      failOn: "high",
      failed: true,
      failingFindings: 2,
      notAnalysed: 0,
      allowIncomplete: false,
      exitCode: 1,
    });
    expect(document.diff.base).toBe("main");
  });

  it("reports a passing gate when findings are below the threshold", () => {
    const document = toJsonReport(makeReport({ findings: [yamlFinding()] }, { failOn: "critical" }));
    expect(document.gate).toEqual({
      failOn: "critical",
      failed: false,
      failingFindings: 0,
      notAnalysed: 0,
      allowIncomplete: false,
      exitCode: 0,
    });
    expect(reportSchemaErrors(document)).toEqual([]);
  });

  it("has a schema strict enough to reject malformed findings and absolute paths", () => {
    const document = toJsonReport(makeReport({ findings: [execFinding()] }));
    const broken = structuredClone(document) as unknown as { findings: Record<string, unknown>[] };
    delete broken.findings[0]!.fingerprint;
    expect(reportSchemaErrors(broken).join("\n")).toContain("fingerprint");

    const absolute = toJsonReport(
      makeReport({
        findings: [
          execFinding({
            location: { path: "/home/me/app.py", startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
          }),
        ],
      }),
    );
    expect(reportSchemaErrors(absolute)).not.toEqual([]);
    expect(reportSchemaErrors({ ...document, version: 2 })).not.toEqual([]);
  });
});
