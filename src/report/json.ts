// The machine-readable report. Its shape is a public contract documented in docs/report.schema.json and
// docs/json-report.md: bump REPORT_FORMAT_VERSION when a field is removed or changes meaning (adding
// optional fields does not need a bump).
import type { Diagnostic, Finding, Severity } from "../engine/index.js";
import {
  compareFindings,
  countBySeverity,
  exitStatus,
  failingFindings,
  type IncompleteFile,
  notAnalysed,
  type ScanReport,
  type SeverityCounts,
  TOOL_NAME,
} from "./scan-report.js";

export const REPORT_FORMAT_VERSION = 1;

export interface JsonReport {
  version: typeof REPORT_FORMAT_VERSION;
  tool: { name: string; version: string };
  findings: Finding[];
  suppressed: Finding[];
  diagnostics: Diagnostic[];
  /** Files not fully analysed, each once with the first reason given; also among `diagnostics`. */
  notAnalysed: IncompleteFile[];
  stats: {
    files: number;
    bytes: number;
    parseErrors: number;
    skippedFiles: number;
    durationMs: number;
    findings: SeverityCounts;
    suppressed: number;
  };
  gate: {
    failOn: Severity | "never";
    failed: boolean;
    failingFindings: number;
    /** Files in `notAnalysed`. */
    notAnalysed: number;
    allowIncomplete: boolean;
    /** The CLI's exit status for this report: 0 clean, 1 findings at the threshold, 3 files not fully analysed. */
    exitCode: 0 | 1 | 3;
  };
  diff?: { base: string; mergeBase: string };
}

export function toJsonReport(report: ScanReport): JsonReport {
  const { result, stats } = report;
  const failing = failingFindings(report).length;
  const incomplete = notAnalysed(report);
  return {
    version: REPORT_FORMAT_VERSION,
    tool: { name: TOOL_NAME, version: report.toolVersion },
    findings: [...result.findings].sort(compareFindings),
    suppressed: [...result.suppressed].sort(compareFindings),
    diagnostics: result.diagnostics,
    notAnalysed: incomplete,
    stats: {
      files: stats.files,
      bytes: stats.bytes,
      parseErrors: stats.parseErrors,
      skippedFiles: stats.skippedFiles,
      durationMs: Math.round(stats.durationMs),
      findings: countBySeverity(result.findings),
      suppressed: result.suppressed.length,
    },
    gate: {
      failOn: report.failOn,
      failed: failing > 0,
      failingFindings: failing,
      notAnalysed: incomplete.length,
      allowIncomplete: report.allowIncomplete === true,
      exitCode: exitStatus(report) as 0 | 1 | 3,
    },
    ...(report.diff ? { diff: report.diff } : {}),
  };
}

export function renderJson(report: ScanReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
