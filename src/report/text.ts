// The terminal report: one block per finding (header, code frame with the sink underlined, trace,
// remediation, help link), then suppressed findings, notes about skipped files and a summary line.
import pc from "picocolors";
import type { Diagnostic, Finding, Severity, Span } from "../engine/index.js";
import { compareFindings, countBySeverity, failingFindings, type ScanReport } from "./scan-report.js";

type Colors = ReturnType<typeof pc.createColors>;

export interface TextOptions {
  color: boolean;
  /** Findings only: no suppressed list, notes or summary. */
  quiet?: boolean;
}

/** Notes about skipped paths can run to hundreds in a monorepo; the JSON report keeps all of them. */
const MAX_NOTES_SHOWN = 20;
const MAX_FRAME_LINES = 5;

export function renderText(report: ScanReport, options: TextOptions): string {
  const c = pc.createColors(options.color);
  const blocks: string[] = [];
  for (const finding of [...report.result.findings].sort(compareFindings)) {
    blocks.push(renderFinding(finding, report.sources.get(finding.location.path), c));
  }
  if (!options.quiet) {
    const suppressed = renderSuppressed(report.result.suppressed, c);
    if (suppressed) blocks.push(suppressed);
    const diagnostics = renderDiagnostics(report.result.diagnostics, c);
    if (diagnostics) blocks.push(diagnostics);
    blocks.push(renderSummary(report, c));
  }
  return blocks.length > 0 ? `${blocks.join("\n\n")}\n` : "";
}

function severityLabel(severity: Severity, c: Colors): string {
  const label = severity.toUpperCase();
  switch (severity) {
    case "critical":
      // A padded badge reads well on a red background; without colour the padding is just noise.
      return c.isColorSupported ? c.bold(c.bgRed(c.white(` ${label} `))) : label;
    case "high":
      return c.bold(c.red(label));
    case "medium":
      return c.bold(c.yellow(label));
    case "low":
      return c.cyan(label);
    case "info":
      return c.dim(label);
  }
}

export function renderFinding(finding: Finding, source: string | undefined, c: Colors): string {
  const { location } = finding;
  const lines: string[] = [
    `${severityLabel(finding.severity, c)} ${c.bold(finding.ruleId)} ${c.bold(finding.message)}`,
    `  ${c.dim("-->")} ${location.path}:${location.startLine}:${location.startColumn}`,
  ];
  if (source !== undefined) lines.push(...codeFrame(source, location, c));
  if (finding.trace.length > 0) {
    lines.push(`  ${c.dim("=")} ${c.bold("trace")}:`);
    finding.trace.forEach((step, index) => {
      const role = index === 0 ? "source" : index === finding.trace.length - 1 ? "sink" : "";
      const where = `${step.location.path}:${step.location.startLine}`;
      lines.push(`      ${index + 1}. ${c.cyan(where)}  ${step.note}${role ? c.dim(`  (${role})`) : ""}`);
    });
  }
  if (finding.fix)
    lines.push(`  ${c.dim("=")} ${c.bold("fix")} (${finding.fix.safety}): ${finding.fix.description}`);
  if (finding.remediation) lines.push(`  ${c.dim("=")} ${c.bold("remediation")}: ${finding.remediation}`);
  lines.push(`  ${c.dim("=")} ${c.bold("help")}: ${c.underline(finding.helpUri)}`);
  return lines.join("\n");
}

/**
 * The sink's line(s) with the span underlined, plus one line of context above. Tabs in the prefix are
 * copied into the underline so the carets stay aligned whatever the terminal's tab width.
 */
export function codeFrame(source: string, span: Span, c: Colors): string[] {
  const fileLines = source.split(/\r?\n/);
  if (span.startLine < 1 || span.startLine > fileLines.length) return [];
  const first = Math.max(1, span.startLine - 1);
  const last = Math.min(span.endLine, span.startLine + MAX_FRAME_LINES - 1, fileLines.length);
  const width = String(last).length;
  const gutter = (label: string) => c.dim(`${label.padStart(width + 1)} |`);
  const out = [gutter("")];
  for (let lineNumber = first; lineNumber <= last; lineNumber++) {
    const text = fileLines[lineNumber - 1] ?? "";
    out.push(`${gutter(String(lineNumber))} ${text}`);
    if (lineNumber < span.startLine) continue;
    const from = lineNumber === span.startLine ? span.startColumn : firstNonBlankColumn(text);
    const to = lineNumber === span.endLine ? span.endColumn : text.length;
    if (to < from) continue;
    const prefix = [...text.slice(0, from - 1)].map((ch) => (ch === "\t" ? "\t" : " ")).join("");
    out.push(`${gutter("")} ${prefix}${c.red(c.bold("^".repeat(to - from + 1)))}`);
  }
  if (span.endLine > last) out.push(`${gutter("")} ${c.dim("...")}`);
  out.push(gutter(""));
  return out;
}

function firstNonBlankColumn(text: string): number {
  const match = /\S/.exec(text);
  return match ? match.index + 1 : 1;
}

function renderSuppressed(suppressed: readonly Finding[], c: Colors): string | undefined {
  if (suppressed.length === 0) return undefined;
  const lines = [c.bold(`Suppressed (${suppressed.length}):`)];
  for (const finding of [...suppressed].sort(compareFindings)) {
    const where = `${finding.location.path}:${finding.location.startLine}`;
    const reason = finding.suppression?.reason.trim() || "no reason given";
    lines.push(`  ${finding.ruleId} ${c.cyan(where)} ${c.dim(`(${finding.severity})`)} - ${reason}`);
  }
  return lines.join("\n");
}

function renderDiagnostics(diagnostics: readonly Diagnostic[], c: Colors): string | undefined {
  if (diagnostics.length === 0) return undefined;
  const important = diagnostics.filter((d) => d.severity !== "note");
  const notes = diagnostics.filter((d) => d.severity === "note");
  const shownNotes = notes.slice(0, MAX_NOTES_SHOWN);
  const lines = [c.bold(`Notes (${diagnostics.length}):`)];
  for (const diagnostic of [...important, ...shownNotes]) {
    const where = diagnostic.line ? `${diagnostic.path}:${diagnostic.line}` : diagnostic.path;
    const label =
      diagnostic.severity === "error"
        ? c.red("error")
        : diagnostic.severity === "warning"
          ? c.yellow("warning")
          : c.dim("note");
    lines.push(`  ${label} ${where ? `${where}: ` : ""}${diagnostic.message}`);
  }
  if (notes.length > shownNotes.length) {
    lines.push(
      c.dim(`  ... and ${notes.length - shownNotes.length} more notes (--format json lists them all)`),
    );
  }
  return lines.join("\n");
}

export function renderSummary(report: ScanReport, c: Colors): string {
  const { findings, suppressed } = report.result;
  const counts = countBySeverity(findings);
  const bySeverity = (Object.entries(counts) as [Severity, number][])
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(", ");
  const failing = failingFindings(report).length;
  const seconds = (report.stats.durationMs / 1000).toFixed(2);
  const parts = [
    findings.length === 0
      ? "No findings"
      : `${findings.length} finding${findings.length === 1 ? "" : "s"} (${bySeverity})`,
    `${suppressed.length} suppressed`,
    `${report.stats.files} file${report.stats.files === 1 ? "" : "s"} scanned in ${seconds}s`,
  ];
  if (report.stats.skippedFiles > 0) parts.push(`${report.stats.skippedFiles} skipped`);
  if (report.diff)
    parts.push(`changed lines since ${report.diff.base} (${report.diff.mergeBase.slice(0, 12)})`);
  const gate =
    report.failOn === "never"
      ? "fail-on never"
      : failing > 0
        ? `${failing} at or above ${report.failOn}`
        : `none at or above ${report.failOn}`;
  const line = `${parts.join(" · ")} · ${gate}`;
  return failing > 0 ? `${c.red(c.bold("✖"))} ${line}` : `${c.green(c.bold("✔"))} ${line}`;
}
