// `rce-guard rules` (what the scanner looks for) and `rce-guard explain ID` (one rule's documentation), read
// from the rule registry and the rule.md beside each rule, so the terminal says what the reports link to.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../../rules/index.js";
import { closest } from "../config.js";
import { helpUri, type RuleMetadata } from "../engine/index.js";
import { projectRoot } from "../models.js";
import { CliError } from "./args.js";

export type RulesFormat = "text" | "json";

/** One row per rule: id, name, default severity, CWE, summary. */
export function renderRuleList(format: RulesFormat): string {
  const metas = RULES.map((rule) => rule.meta);
  if (format === "json") {
    const rows = metas.map((meta) => ({
      id: meta.id,
      name: meta.name,
      defaultSeverity: meta.defaultSeverity,
      cwe: meta.cwe.map((cwe) => `CWE-${cwe}`),
      shortDescription: meta.shortDescription,
      helpUri: helpUri(meta.id),
    }));
    return `${JSON.stringify(rows, null, 2)}\n`;
  }
  const rows = [
    ["ID", "NAME", "DEFAULT SEVERITY", "CWE", "WHAT"],
    ...metas.map((meta) => [
      meta.id,
      meta.name,
      meta.defaultSeverity,
      meta.cwe.map((cwe) => `CWE-${cwe}`).join(", "),
      meta.shortDescription,
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd(),
  );
  return `${lines.join("\n")}\n\nrce-guard explain ID shows a rule's documentation.\n`;
}

/** A rule's metadata and its rule.md; an unknown id is a usage error that names the closest one. */
export function renderExplanation(id: string): string {
  const meta = findRule(id);
  const header = [
    `${meta.id}: ${meta.shortDescription}`,
    `  name: ${meta.name}`,
    `  default severity: ${meta.defaultSeverity}`,
    `  CWE: ${meta.cwe.map((cwe) => `CWE-${cwe}`).join(", ") || "none"}`,
    `  precision: ${meta.precision}`,
    `  docs: ${helpUri(meta.id)}`,
    "",
  ].join("\n");
  let docs: string;
  try {
    docs = readFileSync(join(projectRoot(), "rules", meta.id, "rule.md"), "utf8");
  } catch {
    // The docs ship with the package; without them the registry's own words still explain the rule.
    docs = `${meta.fullDescription}\n\nRemediation: ${meta.remediation}\n`;
  }
  return `${header}\n${docs.endsWith("\n") ? docs : `${docs}\n`}`;
}

function findRule(id: string): RuleMetadata {
  const meta = RULES.find((rule) => rule.meta.id.toLowerCase() === id.toLowerCase())?.meta;
  if (meta) return meta;
  const ids = RULES.map((rule) => rule.meta.id);
  const near = closest(id, ids);
  throw new CliError(
    `no rule '${id}'${near ? ` (did you mean ${near}?)` : ""}; the rules are ${ids.join(", ")} (see rce-guard rules)`,
  );
}
