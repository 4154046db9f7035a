// `--format github`: GitHub Actions workflow commands, which the runner turns into annotations on the
// pull request's diff without any token or upload step.
import type { Diagnostic, Finding, Severity } from "../engine/index.js";
import {
  compareFindings,
  countBySeverity,
  EXIT_INCOMPLETE,
  exitStatus,
  failingFindings,
  notAnalysed,
  type ScanReport,
  TOOL_NAME,
} from "./scan-report.js";
import { cellPrefix, placeOf } from "./place.js";

type AnnotationCommand = "error" | "warning" | "notice";

export function annotationCommand(severity: Severity): AnnotationCommand {
  if (severity === "critical" || severity === "high") return "error";
  return severity === "medium" ? "warning" : "notice";
}

/** The message part: the runner decodes %25, %0D and %0A, so those are all it needs. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Property values additionally end at `,` and `::`, so those are encoded too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

interface AnnotationProperties {
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title?: string;
}

export function workflowCommand(
  command: AnnotationCommand,
  properties: AnnotationProperties,
  message: string,
): string {
  const rendered = Object.entries(properties)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(",");
  return `::${command}${rendered ? ` ${rendered}` : ""}::${escapeData(message)}`;
}

function findingAnnotation(finding: Finding): string {
  const { location } = finding;
  // The runner rejects columns on annotations that span several lines.
  const columns =
    location.startLine === location.endLine
      ? { col: location.startColumn, endColumn: location.endColumn }
      : {};
  const trace = finding.trace.map((step, index) => `  ${index + 1}. ${placeOf(step.location)}  ${step.note}`);
  const message = [
    `${cellPrefix(location)}${finding.message}`,
    ...(trace.length > 0 ? ["", "Trace:", ...trace] : []),
    "",
    finding.remediation,
    `Help: ${finding.helpUri}`,
  ].join("\n");
  return workflowCommand(
    annotationCommand(finding.severity),
    {
      file: location.path,
      line: location.startLine,
      endLine: location.endLine,
      ...columns,
      title: `${TOOL_NAME} ${finding.ruleId} (${finding.severity})`,
    },
    message,
  );
}

function diagnosticAnnotation(diagnostic: Diagnostic, incompleteFails: boolean): string {
  let command: AnnotationCommand = diagnostic.severity === "note" ? "notice" : diagnostic.severity;
  let title = `${TOOL_NAME}: ${diagnostic.path || "scan"}`;
  if (diagnostic.incomplete) {
    // At least a warning, whatever the engine called it; an error when it is what fails the job.
    command = incompleteFails || command === "error" ? "error" : "warning";
    title = `${TOOL_NAME}: ${diagnostic.incomplete === "file" ? "not analysed" : "partly analysed"}: ${diagnostic.path}`;
  }
  return workflowCommand(
    command,
    {
      ...(diagnostic.path ? { file: diagnostic.path } : {}),
      ...(diagnostic.line ? { line: diagnostic.line } : {}),
      title,
    },
    diagnostic.message,
  );
}

export function renderWorkflowCommands(report: ScanReport): string {
  const lines = [...report.result.findings].sort(compareFindings).map(findingAnnotation);
  const incompleteFails = exitStatus(report) === EXIT_INCOMPLETE;
  // Notes about skipped files would bury the findings under notices; they stay in the log as plain text.
  // Files not fully analysed are always annotations: a finding in them would be missing.
  for (const diagnostic of report.result.diagnostics) {
    // A file name is attacker-controlled text: a raw newline in it could start a workflow command of its own.
    if (diagnostic.severity === "note" && !diagnostic.incomplete)
      lines.push(escapeData(`${TOOL_NAME}: ${diagnostic.path}: ${diagnostic.message}`));
    else lines.push(diagnosticAnnotation(diagnostic, incompleteFails));
  }
  const incomplete = notAnalysed(report).length;
  const counts = countBySeverity(report.result.findings);
  const bySeverity = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`);
  const failing = failingFindings(report).length;
  lines.push(
    `${TOOL_NAME}: ${report.result.findings.length} finding(s)${bySeverity.length ? ` (${bySeverity.join(", ")})` : ""}, ` +
      `${report.result.suppressed.length} suppressed, ${report.stats.files} file(s) scanned` +
      (incomplete > 0
        ? `, ${incomplete} file(s) NOT fully analysed${report.allowIncomplete ? " (allowed)" : ""}`
        : "") +
      "; " +
      (failing > 0
        ? `${failing} at or above fail-on ${report.failOn}`
        : `none at or above fail-on ${report.failOn}`),
  );
  return `${lines.join("\n")}\n`;
}
