import { describe, expect, it } from "vitest";
import { KNOWN_RULE_IDS } from "../../src/report/rule-metadata.js";
import { AUTOMATION_CATEGORY, FINGERPRINT_KEY, renderSarif, toSarif } from "../../src/report/sarif.js";
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

// GitHub's documented requirements for the fields code scanning reads beyond the schema
// (docs.github.com, "SARIF support for code scanning").
describe("SARIF for GitHub code scanning", () => {
  const diffReport = () =>
    makeReport({ findings: [execFinding()] }, { diff: { base: "origin/main", mergeBase: "a".repeat(40) } });
  const checkedOut = () =>
    makeReport(
      { findings: [execFinding()] },
      {
        checkout: {
          root: "/home/runner/work/app/app",
          repositoryUri: "https://github.com/octo/app",
          revisionId: "b".repeat(40),
          branch: "refs/heads/main",
        },
      },
    );

  /** GitHub splits automationDetails.id at its last slash: category before, run id after. */
  function category(id: string): string {
    return id.slice(0, id.lastIndexOf("/") + 1);
  }

  it("names the run `category/run-id`, with different categories for a diff scan and a full scan", () => {
    const diff = toSarif(diffReport()).runs[0]!.automationDetails.id;
    const full = toSarif(makeReport()).runs[0]!.automationDetails.id;
    const fullAt = toSarif(checkedOut()).runs[0]!.automationDetails.id;
    for (const id of [diff, full, fullAt]) expect(id).toMatch(/^[^/]+(\/[^/]+)*\/[^/]*$/);
    expect(category(diff)).toBe(AUTOMATION_CATEGORY.diff);
    expect(diff).toBe(`rce-guard/diff/${"a".repeat(40)}`);
    expect(category(full)).toBe(AUTOMATION_CATEGORY.full);
    expect(category(fullAt)).toBe(AUTOMATION_CATEGORY.full);
    expect(fullAt).toBe(`rce-guard/full/${"b".repeat(40)}`);
    expect(category(diff)).not.toBe(category(full));
  });

  it("resolves every artifact location against %SRCROOT%, declared in originalUriBaseIds", () => {
    for (const report of [fullReport(), checkedOut()]) {
      const run = toSarif(report).runs[0]!;
      expect(Object.keys(run.originalUriBaseIds)).toEqual(["%SRCROOT%"]);
      for (const result of run.results) {
        for (const location of [...result.locations, ...(result.relatedLocations ?? [])]) {
          expect(location.physicalLocation.artifactLocation.uriBaseId).toBe("%SRCROOT%");
          expect(location.physicalLocation.artifactLocation.uri).not.toMatch(/^(\/|file:)/);
        }
      }
    }
    const base = toSarif(checkedOut()).runs[0]!.originalUriBaseIds["%SRCROOT%"]!;
    expect(base.uri).toBe("file:///home/runner/work/app/app/");
    expect(toSarif(makeReport()).runs[0]!.originalUriBaseIds["%SRCROOT%"]!.uri).toBeUndefined();
  });

  it("records version-control provenance only when the repository URL is known", () => {
    const log = toSarif(checkedOut());
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.versionControlProvenance).toEqual([
      {
        repositoryUri: "https://github.com/octo/app",
        revisionId: "b".repeat(40),
        branch: "refs/heads/main",
        mappedTo: { uriBaseId: "%SRCROOT%" },
      },
    ]);
    const revisionOnly = makeReport({}, { checkout: { revisionId: "c".repeat(40) } });
    expect(toSarif(revisionOnly).runs[0]!.versionControlProvenance).toBeUndefined();
    expect(toSarif(makeReport()).runs[0]!.versionControlProvenance).toBeUndefined();
  });

  it("gives each result a level and a numeric security-severity string", () => {
    const expected = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" } as const;
    const findings = (["critical", "high", "medium", "low"] as const).map((severity, index) =>
      execFinding({ severity, fingerprint: `f${index}` }),
    );
    const run = toSarif(makeReport({ findings })).runs[0]!;
    expect(run.results).toHaveLength(4);
    for (const result of run.results) {
      const severity = result.properties.severity as keyof typeof expected;
      const securitySeverity = result.properties["security-severity"];
      expect(typeof securitySeverity).toBe("string");
      expect(securitySeverity).toMatch(/^\d+(\.\d+)?$/);
      expect(Number(securitySeverity)).toBeGreaterThanOrEqual(0);
      expect(Number(securitySeverity)).toBeLessThanOrEqual(10);
      expect(securitySeverity).toBe(expected[severity]);
      expect(["error", "warning", "note"]).toContain(result.level);
    }
    expect(run.results.map((result) => result.level)).toEqual(["error", "error", "warning", "note"]);
  });

  it("lists the trace as related locations with distinct ids and messages", () => {
    const log = toSarif(fullReport());
    expect(sarifSchemaErrors(log)).toEqual([]);
    const [execResult, , yamlResult] = log.runs[0]!.results;
    const related = execResult!.relatedLocations!;
    expect(related.map((location) => location.id)).toEqual([1, 2, 3]);
    expect(new Set(related.map((location) => location.id)).size).toBe(related.length);
    for (const location of related) {
      expect(Number.isInteger(location.id) && location.id >= 0).toBe(true);
      expect(location.message.text.length).toBeGreaterThan(0);
      expect(location.physicalLocation.region?.startLine).toBeGreaterThan(0);
    }
    expect(related.map((location) => location.message.text)).toEqual([
      "output of `client.chat.completions.create`",
      "assigned to `code`",
      "passed to `exec`",
    ]);
    expect(yamlResult!.relatedLocations).toBeUndefined();
  });

  it("stays valid against the SARIF 2.1.0 schema with every new field", () => {
    expect(sarifSchemaErrors(toSarif(diffReport()))).toEqual([]);
    expect(sarifSchemaErrors(toSarif(checkedOut()))).toEqual([]);
  });
});
