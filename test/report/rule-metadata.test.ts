import { describe, expect, it } from "vitest";
import { KNOWN_RULE_IDS, ruleMetadataFor } from "../../src/report/rule-metadata.js";

describe("rule metadata", () => {
  it("covers the rules the engine reports, with help links into the rule folders", () => {
    expect([...KNOWN_RULE_IDS].sort()).toEqual(
      [
        "VNX-DEP-001",
        "VNX-DESER-001",
        "VNX-DESER-002",
        "VNX-DESER-003",
        "VNX-DESER-004",
        "VNX-LLM-002",
        "VNX-LLM-005",
        "VNX-LLM-007",
      ].sort(),
    );
    for (const id of KNOWN_RULE_IDS) {
      const rule = ruleMetadataFor(id);
      expect(rule.id).toBe(id);
      expect(rule.helpUri).toBe(`https://github.com/rce-guard/rce-guard/blob/main/rules/${id}/rule.md`);
      expect(rule.cwe.length).toBeGreaterThan(0);
      expect(rule.tags).toContain("security");
      for (const cwe of rule.cwe) expect(rule.tags).toContain(`external/cwe/cwe-${cwe}`);
    }
    expect(ruleMetadataFor("VNX-LLM-002")).toMatchObject({
      defaultSeverity: "critical",
      cwe: expect.arrayContaining([95]),
    });
  });

  it("describes an unknown rule neutrally instead of failing", () => {
    expect(ruleMetadataFor("VNX-ABC-123")).toMatchObject({
      id: "VNX-ABC-123",
      name: "VNXABC123",
      defaultSeverity: "medium",
    });
    expect(ruleMetadataFor("toString").shortDescription).toBe("toString");
  });
});
