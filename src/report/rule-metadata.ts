// What reporters say about a rule (SARIF `rules[]`, help links, text headers), read from the rule
// registry (rules/index.ts) so that the docs, the engine and every report agree.
import { RULES } from "../../rules/index.js";
import { helpUri, type Severity } from "../engine/index.js";

export type RulePrecision = "very-high" | "high" | "medium" | "low";

export interface RuleMetadata {
  id: string;
  /** PascalCase, as SARIF's `reportingDescriptor.name` asks for. */
  name: string;
  shortDescription: string;
  fullDescription: string;
  helpUri: string;
  cwe: number[];
  defaultSeverity: Severity;
  tags: string[];
  precision: RulePrecision;
}

export const KNOWN_RULE_IDS: readonly string[] = RULES.map((rule) => rule.meta.id);

export function helpUriFor(ruleId: string): string {
  return helpUri(ruleId);
}

/** Metadata for `ruleId`; a rule the registry does not know gets a neutral description, never a crash. */
export function ruleMetadataFor(ruleId: string): RuleMetadata {
  const meta = RULES.find((rule) => rule.meta.id === ruleId)?.meta;
  if (!meta) {
    return {
      id: ruleId,
      name: ruleId.replace(/[^A-Za-z0-9]/g, ""),
      shortDescription: ruleId,
      fullDescription: `Finding reported by rule ${ruleId}.`,
      helpUri: helpUriFor(ruleId),
      cwe: [],
      defaultSeverity: "medium",
      tags: ["security"],
      precision: "medium",
    };
  }
  return {
    id: ruleId,
    name: meta.name.replace(/(^|-)([a-z0-9])/g, (_match, _dash, letter: string) => letter.toUpperCase()),
    shortDescription: meta.shortDescription,
    fullDescription: meta.fullDescription,
    helpUri: helpUriFor(ruleId),
    cwe: meta.cwe,
    defaultSeverity: meta.defaultSeverity,
    tags: [...new Set(["security", ...meta.tags, ...meta.cwe.map((cwe) => `external/cwe/cwe-${cwe}`)])],
    precision: meta.precision,
  };
}
