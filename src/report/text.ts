// The terminal report: one block per finding (header, code frame with the sink underlined, trace,
// remediation, help link), then suppressed findings, the files not (fully) analysed, notes about skipped
// paths and a summary line. A file that was not analysed is never summed up as "No findings".
import pc from "picocolors";
import type { Diagnostic, Finding, Severity, Span } from "../engine/index.js";
import {
  compareFindings,
  compareText,
  countBySeverity,
  EXIT_INCOMPLETE,
  exitStatus,
  failingFindings,
  notAnalysed,
  type ScanReport,
} from "./scan-report.js";
import { placeOf } from "./place.js";

type Colors = ReturnType<typeof pc.createColors>;

export interface TextOptions {
  color: boolean;
  /** Findings only: no suppressed list, notes or summary. */
  quiet?: boolean;
}

/** Notes about skipped paths can run to hundreds in a monorepo; the JSON report keeps all of them. */
const MAX_NOTES_SHOWN = 20;
const MAX_FRAME_LINES = 5;
/** Longer source lines are cut around the finding (generated or minified code can have 1 MB lines). */
export const MAX_LINE_WIDTH = 200;
/** Of a cut line, how much is shown before the finding's column. */
const LINE_CONTEXT_BEFORE = 60;
/** Messages and trace notes quote code; past this they are cut too. */
const MAX_MESSAGE_WIDTH = 300;

export function renderText(report: ScanReport, options: TextOptions): string {
  const c = pc.createColors(options.color);
  const blocks: string[] = [];
  for (const finding of [...report.result.findings].sort(compareFindings)) {
    blocks.push(renderFinding(finding, report.sources.get(finding.location.path), c));
  }
  // Even with --quiet: these files are why a scan without findings can still fail (exit status 3).
  const incomplete = renderNotAnalysed(report, c);
  if (incomplete) blocks.push(incomplete);
  if (!options.quiet) {
    const suppressed = renderSuppressed(report.result.suppressed, c);
    if (suppressed) blocks.push(suppressed);
    const diagnostics = renderDiagnostics(
      report.result.diagnostics.filter((diagnostic) => !diagnostic.incomplete),
      c,
    );
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
    `${severityLabel(finding.severity, c)} ${c.bold(finding.ruleId)} ${c.bold(clipText(finding.message))}`,
    `  ${c.dim("-->")} ${placeOf(location, true)}`,
  ];
  if (source !== undefined) lines.push(...codeFrame(source, location, c));
  if (finding.trace.length > 0) {
    lines.push(`  ${c.dim("=")} ${c.bold("trace")}:`);
    finding.trace.forEach((step, index) => {
      const role = index === 0 ? "source" : index === finding.trace.length - 1 ? "sink" : "";
      const where = placeOf(step.location);
      lines.push(
        `      ${index + 1}. ${c.cyan(where)}  ${clipText(step.note)}${role ? c.dim(`  (${role})`) : ""}`,
      );
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
 * copied into the underline so the carets stay aligned whatever the terminal's tab width. Lines longer
 * than MAX_LINE_WIDTH are cut around the span's column, with … where text was left out; the carets stay
 * under the span's characters and the header keeps the real column.
 */
export function codeFrame(source: string, span: Span, c: Colors): string[] {
  // As the engine (tree-sitter) counts lines: \n ends one, a lone \r does not.
  const fileLines = source.split(/\r?\n/);
  if (span.startLine < 1 || span.startLine > fileLines.length) return [];
  const first = Math.max(1, span.startLine - 1);
  const last = Math.min(span.endLine, span.startLine + MAX_FRAME_LINES - 1, fileLines.length);
  const width = String(last).length;
  const gutter = (label: string) => c.dim(`${label.padStart(width + 1)} |`);
  const out = [gutter("")];
  for (let lineNumber = first; lineNumber <= last; lineNumber++) {
    const text = fileLines[lineNumber - 1] ?? "";
    const from = lineNumber <= span.startLine ? span.startColumn : firstNonBlankColumn(text);
    const window = lineWindow(text, from - 1);
    out.push(`${gutter(String(lineNumber))} ${window.shown}`.trimEnd());
    if (lineNumber < span.startLine) continue;
    const to = lineNumber === span.endLine ? span.endColumn : text.length;
    // 0-based, end exclusive, within what is shown.
    const caretStart = Math.max(from - 1, window.start);
    const caretEnd = Math.min(to, window.end);
    if (caretEnd <= caretStart) continue;
    const prefix =
      (window.start > 0 ? " " : "") +
      [...text.slice(window.start, caretStart)].map((ch) => (ch === "\t" ? "\t" : " ")).join("");
    const carets = [...text.slice(caretStart, caretEnd)].length;
    out.push(`${gutter("")} ${prefix}${c.red(c.bold("^".repeat(carets)))}`);
  }
  if (span.endLine > last) out.push(`${gutter("")} ${c.dim("...")}`);
  out.push(gutter(""));
  return out;
}

/** The part of `text` shown around the 0-based `focus`: [start, end) in UTF-16 units, with … marks. */
function lineWindow(text: string, focus: number): { start: number; end: number; shown: string } {
  if (text.length <= MAX_LINE_WIDTH) return { start: 0, end: text.length, shown: text };
  let start = Math.max(0, Math.min(focus - LINE_CONTEXT_BEFORE, text.length - MAX_LINE_WIDTH));
  let end = Math.min(text.length, start + MAX_LINE_WIDTH);
  // Never split a surrogate pair.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++;
  const shown = `${start > 0 ? "…" : ""}${text.slice(start, end)}${end < text.length ? "…" : ""}`;
  return { start, end, shown };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** One line of prose that may quote code: cut with … past MAX_MESSAGE_WIDTH. */
function clipText(text: string): string {
  if (text.length <= MAX_MESSAGE_WIDTH) return text;
  let end = MAX_MESSAGE_WIDTH;
  if (isLowSurrogate(text.charCodeAt(end))) end--;
  return `${text.slice(0, end)}…`;
}

function firstNonBlankColumn(text: string): number {
  const match = /\S/.exec(text);
  return match ? match.index + 1 : 1;
}

function renderSuppressed(suppressed: readonly Finding[], c: Colors): string | undefined {
  if (suppressed.length === 0) return undefined;
  const lines = [c.bold(`Suppressed (${suppressed.length}):`)];
  for (const finding of [...suppressed].sort(compareFindings)) {
    const where = placeOf(finding.location);
    const reason = finding.suppression?.reason.trim() || "no reason given";
    lines.push(`  ${finding.ruleId} ${c.cyan(where)} ${c.dim(`(${finding.severity})`)} - ${reason}`);
  }
  return lines.join("\n");
}

/** Every file not fully analysed, each with its reason: a finding in one of them would not be reported. */
function renderNotAnalysed(report: ScanReport, c: Colors): string | undefined {
  const incomplete = report.result.diagnostics
    .filter((diagnostic) => diagnostic.incomplete)
    .sort((a, b) => compareText(a.path, b.path));
  if (incomplete.length === 0) return undefined;
  const files = notAnalysed(report).length;
  const failing = exitStatus(report) === EXIT_INCOMPLETE;
  const heading = `Not analysed (${files} file${files === 1 ? "" : "s"}): findings in ${files === 1 ? "it" : "them"} would not be reported`;
  const lines = [failing ? c.red(c.bold(heading)) : c.yellow(c.bold(heading))];
  for (const diagnostic of incomplete) {
    const where = diagnostic.line ? `${diagnostic.path}:${diagnostic.line}` : diagnostic.path;
    const extent = diagnostic.incomplete === "part" ? c.dim(" (partly analysed)") : "";
    lines.push(`  ${where}${extent}: ${clipText(diagnostic.message)}`);
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
  const incomplete = notAnalysed(report).length;
  const seconds = (report.stats.durationMs / 1000).toFixed(2);
  const parts = [
    findings.length === 0
      ? incomplete > 0
        ? "No findings in what was analysed"
        : "No findings"
      : `${findings.length} finding${findings.length === 1 ? "" : "s"} (${bySeverity})`,
    ...(incomplete > 0
      ? [
          `${incomplete} file${incomplete === 1 ? "" : "s"} NOT fully analysed${report.allowIncomplete ? " (allowed)" : ""}`,
        ]
      : []),
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
  if (failing > 0 || exitStatus(report) === EXIT_INCOMPLETE) return `${c.red(c.bold("✖"))} ${line}`;
  return incomplete > 0 ? `${c.yellow(c.bold("!"))} ${line}` : `${c.green(c.bold("✔"))} ${line}`;
}
