// What one CLI scan hands to every reporter: the engine's result plus what only the front door knows
// (files read, files skipped, timing, the failure threshold). Reporters are pure functions of this value.
import { atLeast } from "../config.js";
import {
  type AnalysisResult,
  type Finding,
  incompleteFiles,
  SEVERITIES,
  type Severity,
} from "../engine/index.js";

export const TOOL_NAME = "RCE Guard";
export const TOOL_INFORMATION_URI = "https://github.com/rce-guard/rce-guard";

export interface ScanStats {
  /** Files handed to the engine. */
  files: number;
  bytes: number;
  parseErrors: number;
  /** Files found but not analysed (binary, too large, excluded, unreadable); each has a diagnostic. */
  skippedFiles: number;
  durationMs: number;
}

export interface ScanReport {
  toolVersion: string;
  result: AnalysisResult;
  stats: ScanStats;
  failOn: Severity | "never";
  /** `--allow-incomplete`: files not fully analysed are listed but do not fail the scan (exit 3). */
  allowIncomplete?: boolean;
  /** Set when only lines changed since the merge base with `base` were reported. */
  diff?: { base: string; mergeBase: string };
  /**
   * What the CLI knows of the checkout without extra work: the scan root (SARIF's %SRCROOT%) and, when
   * known, the repository URL and commit. Only SARIF reads it; every field may be missing.
   */
  checkout?: { root?: string; repositoryUri?: string; revisionId?: string; branch?: string };
  /** Source text by finding path, for code frames; missing entries just mean no frame. */
  sources: ReadonlyMap<string, string>;
}

export type SeverityCounts = Record<Severity, number>;

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as SeverityCounts;
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

/** The findings that make the scan fail (suppressed ones never do). */
export function failingFindings(report: Pick<ScanReport, "result" | "failOn">): Finding[] {
  return report.result.findings.filter((finding) => atLeast(finding.severity, report.failOn));
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;
export const EXIT_INCOMPLETE = 3;

/** A file that was not, or only partly, analysed, with the first reason given. */
export interface IncompleteFile {
  path: string;
  reason: string;
  /** `file`: nothing of it was analysed; `part`: analysed up to a point. */
  extent: "file" | "part";
}

/** Every file not fully analysed (skipped by the CLI or cut short by the engine), by path. */
export function notAnalysed(report: Pick<ScanReport, "result">): IncompleteFile[] {
  return incompleteFiles(report.result)
    .map(({ path, reason, incomplete }) => ({ path, reason, extent: incomplete }))
    .sort((a, b) => compareText(a.path, b.path));
}

/**
 * The exit status the report stands for: 1 when a finding reaches the threshold; otherwise 3 when a file
 * was not fully analysed (unless allowed), since "nothing found" would then claim more than was checked.
 */
export function exitStatus(report: Pick<ScanReport, "result" | "failOn" | "allowIncomplete">): number {
  if (failingFindings(report).length > 0) return EXIT_FINDINGS;
  if (!report.allowIncomplete && notAnalysed(report).length > 0) return EXIT_INCOMPLETE;
  return EXIT_OK;
}

/** Most severe first, then by place, so every format lists findings in the same order. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    compareText(a.location.path, b.location.path) ||
    a.location.startLine - b.location.startLine ||
    a.location.startColumn - b.location.startColumn ||
    compareText(a.ruleId, b.ruleId)
  );
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
