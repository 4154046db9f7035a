// A model file's scan result as the engine's Findings and Diagnostics, so every reporter (text, JSON,
// SARIF, check runs) shows it like any other finding: one finding per file and severity, on line 1, listing
// the imports, where they sit in the file, and the fix.
import { createHash } from "node:crypto";
import { modelFileCode } from "../../rules/VNX-DESER-004/rule.js";
import { helpUri } from "../engine/index.js";
import type { Diagnostic, Finding, Severity } from "../engine/index.js";
import type { FoundImport, ModelScanResult } from "./scan.js";

const META = modelFileCode.meta;
const MAX_LISTED = 8;

const WHY: Record<"critical" | "high" | "medium", string> = {
  critical: "imports and calls code that runs commands, code or network access when the file is loaded",
  high: "imports a callable whose name is computed while loading, which hides what it runs",
  medium: "imports callables that are not known to be safe to call while loading",
};

export function modelFileReport(
  path: string,
  result: ModelScanResult,
): { findings: Finding[]; diagnostics: Diagnostic[] } {
  const findings: Finding[] = [];
  const format = result.formats.join(" → ") || "unrecognised format";
  for (const severity of ["critical", "high", "medium"] as const) {
    const hits = result.imports.filter((i) => i.grade === severity);
    const lambdas = severity === "high" ? result.lambdaLayers : [];
    if (hits.length === 0 && lambdas.length === 0) continue;
    const names = unique(hits.map(describe));
    const listed =
      names.slice(0, MAX_LISTED).join(", ") +
      (names.length > MAX_LISTED ? `, and ${names.length - MAX_LISTED} more` : "");
    const parts: string[] = [];
    if (hits.length > 0) parts.push(`${format} file ${WHY[severity]}: ${listed}`);
    if (lambdas.length > 0)
      parts.push(
        `Keras Lambda layers hold marshalled Python bytecode that runs when the model is loaded without safe_mode (${lambdas.join("; ")})`,
      );
    findings.push(finding(path, severity, parts.join(". "), hits[0]?.path ?? "keras Lambda", names));
  }
  const diagnostics: Diagnostic[] = result.problems.map((message) => ({
    path,
    severity: "warning" as const,
    message: `model file not fully analysed: ${message}`,
    incomplete: "part" as const,
  }));
  return { findings, diagnostics };
}

function describe(i: FoundImport): string {
  const via = i.matched && i.matched !== i.path ? ` (reaches ${i.matched})` : "";
  const where = i.where ? ` in ${i.where}` : "";
  const nested = i.nested ? ", in a nested pickle" : "";
  return `\`${i.path}\`${via}${where}${nested}`;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function finding(
  path: string,
  severity: Severity,
  message: string,
  callee: string,
  names: string[],
): Finding {
  return {
    ruleId: META.id,
    severity,
    confidence: severity === "medium" ? "medium" : "high",
    cwe: META.cwe,
    message,
    location: { path, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
    sinkCallee: callee,
    provenance: "unknown",
    trace: [],
    remediation: META.remediation,
    helpUri: helpUri(META.id),
    fingerprint: createHash("sha256")
      .update(`${META.id}\u0000${path}\u0000${severity}\u0000${[...names].sort().join("\u0000")}`)
      .digest("hex")
      .slice(0, 32),
  };
}
