import { describe, expect, it } from "vitest";
import { KNOWN_RULE_IDS } from "../../src/report/rule-metadata.js";
import { FINGERPRINT_KEY, renderSarif, toSarif } from "../../src/report/sarif.js";
import { execFinding, makeReport, suppressedFinding, yamlFinding } from "./fixtures.js";
import { sarifSchemaErrors } from "./validators.js";

function fullReport() {
  return makeReport({
    findings: [yamlFinding(), execFinding(), execFinding({ ruleId: "VNX-NEW-001", fingerprint: "ffff" })],
    suppressed: [suppressedFinding()],
    diagnostics: [
      { path: "big.py", severity: "warning", message: "skipped: 2 MiB is over the 1 MiB size limit" },
      { path: "broken.py", severity: "error", message: "syntax error", line: 3 },
    ],
  });
}

describe("SARIF report", () => {
  it("validates against the official SARIF 2.1.0 schema", () => {
    const log = JSON.parse(renderSarif(fullReport()));
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  });

  it("describes every rule the way GitHub code scanning reads it", () => {
    const driver = toSarif(fullReport()).runs[0]!.tool.driver;
    expect(driver).toMatchObject({ name: "RCE Guard", semanticVersion: "0.1.0" });
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules.map((rule) => rule.id)).toEqual([...KNOWN_RULE_IDS, "VNX-NEW-001"]);
    const exec = driver.rules.find((rule) => rule.id === "VNX-LLM-002")!;
    expect(exec.properties.tags).toEqual(expect.arrayContaining(["security", "external/cwe/cwe-95"]));
    expect(exec.properties["security-severity"]).toBe("9.5");
    expect(exec.properties.precision).toBe("high");
    expect(exec.defaultConfiguration.level).toBe("error");
    expect(exec.helpUri).toBe("https://github.com/rce-guard/rce-guard/blob/main/rules/VNX-LLM-002/rule.md");
    expect(exec.help.markdown).toContain("[CWE-95](https://cwe.mitre.org/data/definitions/95.html)");
    const yaml = driver.rules.find((rule) => rule.id === "VNX-DESER-002")!;
    expect(yaml.properties["security-severity"]).toBe("8.0");
    for (const rule of driver.rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(rule.fullDescription.text.length).toBeGreaterThan(0);
      expect(rule.name).toMatch(/^[A-Za-z0-9]+$/);
    }
  });

  it("maps findings to results with exclusive end columns, fingerprints, code flows and fixes", () => {
    const run = toSarif(fullReport()).runs[0]!;
    const [execResult, , yamlResult] = run.results;
    expect(execResult!.ruleId).toBe("VNX-LLM-002");
    expect(run.tool.driver.rules[execResult!.ruleIndex]!.id).toBe("VNX-LLM-002");
    expect(execResult!.level).toBe("error");
    expect(execResult!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: "agent/app.py", uriBaseId: "%SRCROOT%" },
      region: { startLine: 5, startColumn: 10, endLine: 5, endColumn: 14 },
    });
    expect(execResult!.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: "3f1c2a9b8d7e6f50" });
    const flow = execResult!.codeFlows![0]!.threadFlows[0]!.locations;
    expect(flow.map((step) => step.location.message?.text)).toEqual([
      "output of `client.chat.completions.create`",
      "assigned to `code`",
      "passed to `exec`",
    ]);
    expect(yamlResult!.locations[0]!.physicalLocation.artifactLocation.uri).toBe("config%20loader/load.py");
    expect(yamlResult!.fixes![0]!.artifactChanges[0]!.replacements[0]).toEqual({
      deletedRegion: { startLine: 3, startColumn: 8, endLine: 3, endColumn: 39 },
      insertedContent: { text: "yaml.safe_load(f)" },
    });
    expect(yamlResult!.codeFlows).toBeUndefined();
  });

  it("keeps suppressed findings as results with an in-source suppression and lists skipped files", () => {
    const run = toSarif(fullReport()).runs[0]!;
    const suppressed = run.results.filter((result) => result.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]!.suppressions![0]).toMatchObject({
      kind: "inSource",
      justification: "runs inside the gVisor sandbox",
    });
    expect(run.results.filter((result) => !result.suppressions)).toHaveLength(3);
    const notifications = run.invocations[0]!.toolExecutionNotifications;
    expect(notifications.map((n) => n.level)).toEqual(["warning", "error"]);
    expect(notifications[1]!.locations![0]!.physicalLocation.region).toEqual({ startLine: 3 });
  });

  it("is still valid with no findings at all", () => {
    const log = toSarif(makeReport());
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.results).toEqual([]);
  });

  it("rejects what GitHub would reject: the validator is not vacuous", () => {
    const log = toSarif(fullReport()) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    delete log.runs[0]!.results[0]!.message;
    expect(sarifSchemaErrors(log)).not.toEqual([]);
  });
});
