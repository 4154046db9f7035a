// Findings → the check run's output: a title with the counts, a Markdown summary (files not analysed and
// configuration problems first, then the findings table, suppressions, configuration in force) that always
// fits GitHub's 65,535-character limit, one annotation per reported finding, and the conclusion. Pure.
import { atLeast, type Config } from "../config.js";
import {
  type AnalysisResult,
  type Finding,
  incompleteFiles,
  SEVERITIES,
  type Severity,
} from "../engine/index.js";
import { bySeverity, SEVERITY_BADGE } from "./review.js";
import { cellPrefix, placeOf } from "./place.js";

/** GitHub's limit for `output.summary` and `output.text`. */
export const MAX_SUMMARY = 65_535;
const MAX_ANNOTATION_MESSAGE = 4_000;

export interface SkippedFile {
  path: string;
  reason: string;
  /**
   * The file should have been analysed and was not (too large, binary, beyond the file limit): it counts
   * as not analysed for the conclusion (`on_unanalysed`). Unset for files left out on purpose (excluded by
   * the configuration, installed packages).
   */
  unanalysed?: boolean;
}

export interface ConfigProblemView {
  source: string;
  file: string;
  path: string;
  message: string;
  line?: number;
}

export interface CheckRunInput {
  result: AnalysisResult;
  config: Config;
  /** Files the configuration was read from, in the order applied over the defaults. */
  configLayers: readonly { source: string; file: string }[];
  configProblems: readonly ConfigProblemView[];
  /** The pull request edits `.github/rce-guard.yml`: its version is not applied to itself. */
  configEditedInPr: boolean;
  skipped: readonly SkippedFile[];
  changedFiles: number;
  analysedFiles: number;
  fileUrl: (path: string, line: number) => string;
  /** Extra lines for the top of the summary (draft PR, stale head, …). */
  notes?: readonly string[];
  /**
   * GitHub listed only part of the changed files (3,000 for a pull request, 300 for a comparison): the
   * sentence saying so. The files past the cap are not analysed, so the run cannot pass as clean.
   */
  listingCapped?: string;
}

export interface CheckRunReport {
  title: string;
  summary: string;
  conclusion: "success" | "failure" | "neutral";
  /** Files not (fully) analysed, with the reason, as listed in the summary. */
  unanalysed: { path: string; reason: string }[];
  annotations: {
    path: string;
    start_line: number;
    end_line: number;
    start_column?: number;
    end_column?: number;
    annotation_level: "notice" | "warning" | "failure";
    title: string;
    message: string;
    raw_details?: string;
  }[];
}

/**
 * Failure when a finding is at `fail_on`; otherwise, when files were not analysed, what `on_unanalysed`
 * says (fail by default: a file that was not analysed never passes as clean); otherwise success.
 */
export function conclusionFor(
  findings: readonly Finding[],
  failOn: Severity | "never",
  unanalysed = 0,
  onUnanalysed: Config["onUnanalysed"] = "fail",
): "success" | "failure" | "neutral" {
  if (findings.some((f) => atLeast(f.severity, failOn))) return "failure";
  if (unanalysed > 0 && onUnanalysed === "fail") return "failure";
  if (unanalysed > 0 && onUnanalysed === "neutral") return "neutral";
  return "success";
}

/** Every file not (fully) analysed, once: the engine's incomplete files, then the ones never given to it. */
export function unanalysedFiles(
  input: Pick<CheckRunInput, "result" | "skipped" | "listingCapped">,
): { path: string; reason: string }[] {
  const seen = new Map<string, string>();
  for (const s of input.skipped) if (s.unanalysed && !seen.has(s.path)) seen.set(s.path, s.reason);
  for (const f of incompleteFiles(input.result)) if (!seen.has(f.path)) seen.set(f.path, f.reason);
  const files = [...seen].map(([path, reason]) => ({ path, reason }));
  if (input.listingCapped) files.push({ path: "…", reason: input.listingCapped });
  return files;
}

export function countsBySeverity(findings: readonly Finding[]): string {
  return SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(", ");
}

export function toCheckRunReport(input: CheckRunInput): CheckRunReport {
  const findings = [...input.result.findings].sort(bySeverity);
  const unanalysed = unanalysedFiles(input);
  const conclusion = conclusionFor(
    findings,
    input.config.failOn,
    unanalysed.length,
    input.config.onUnanalysed,
  );
  const notAnalysed =
    unanalysed.length === 0 ? "" : `; ${input.listingCapped ? "some" : unanalysed.length} not analysed`;
  const title = clip(
    findings.length === 0
      ? `No findings in ${plural(input.analysedFiles, "analysed file")}${notAnalysed}`
      : `${plural(findings.length, "finding")}: ${countsBySeverity(findings)}${notAnalysed}`,
    255,
  );
  return {
    title,
    summary: renderSummary(input, findings, conclusion, unanalysed),
    conclusion,
    unanalysed,
    annotations: findings.map(toAnnotation),
  };
}

function toAnnotation(f: Finding): CheckRunReport["annotations"][number] {
  const level = atLeast(f.severity, "high") ? "failure" : f.severity === "medium" ? "warning" : "notice";
  const sameLine = f.location.startLine === f.location.endLine;
  const trace = f.trace.map((s, i) => `${i + 1}. ${placeOf(s.location)} ${s.note}`).join("\n");
  return {
    path: f.location.path,
    start_line: f.location.startLine,
    end_line: f.location.endLine,
    ...(sameLine && f.location.startColumn <= f.location.endColumn
      ? { start_column: f.location.startColumn, end_column: f.location.endColumn }
      : {}),
    annotation_level: level,
    title: clip(`${f.ruleId} (${f.severity})`, 255),
    message: clip(`${cellPrefix(f.location)}${f.message}\n\nFix: ${f.remediation}`, MAX_ANNOTATION_MESSAGE),
    ...(trace ? { raw_details: clip(`Trace:\n${trace}`, MAX_ANNOTATION_MESSAGE) } : {}),
  };
}

function renderSummary(
  input: CheckRunInput,
  findings: readonly Finding[],
  conclusion: string,
  unanalysed: readonly { path: string; reason: string }[],
): string {
  const { config } = input;
  const failing = findings.filter((f) => atLeast(f.severity, config.failOn)).length;
  const head: string[] = [];
  head.push(
    findings.length === 0
      ? `**No findings** on the lines this pull request adds or changes (${plural(input.analysedFiles, "file")} analysed of ${plural(input.changedFiles, "changed file")}).`
      : `**${plural(findings.length, "finding")}** on the lines this pull request adds or changes (${plural(input.analysedFiles, "file")} analysed of ${plural(input.changedFiles, "changed file")}).`,
  );
  const byFindings =
    config.failOn === "never"
      ? `Conclusion: **${conclusion}** (\`fail_on: never\`)`
      : `Conclusion: **${conclusion}**: ${plural(failing, "finding")} at or above \`fail_on: ${config.failOn}\``;
  head.push(
    unanalysed.length === 0 || failing > 0
      ? `${byFindings}.`
      : `${byFindings}; ${input.listingCapped ? "some files were" : `${plural(unanalysed.length, "file")} ${unanalysed.length === 1 ? "was" : "were"}`} not analysed (\`on_unanalysed: ${config.onUnanalysed}\`${config.onUnanalysed === "fail" ? ": a file that was not analysed never passes as clean" : ""}).`,
  );
  for (const note of input.notes ?? []) head.push(note);
  // What was not analysed, and why the configuration was not all applied, come before the findings: the
  // findings table shrinks to fit GitHub's limit, these never do.
  if (input.listingCapped) head.push(`> [!WARNING]\n> ${input.listingCapped}`);
  const listed = unanalysed.filter((u) => u.path !== "…");
  if (listed.length > 0) {
    head.push(`### Not analysed (${listed.length})`);
    // The header and the rows in one part: a blank line between them would end the table.
    head.push(
      "| File | Why |\n|---|---|\n" +
        capped(
          listed.map((u) => `| \`${escapeCell(clip(u.path, 200))}\` | ${escapeCell(clip(u.reason, 200))} |`),
          100,
          (n) => `| … | ${n} more files not analysed |`,
        ),
    );
  }
  if (input.configProblems.length > 0) {
    head.push(`### Configuration problems (${input.configProblems.length})`);
    head.push(
      "Invalid settings are ignored: the analysis ran with the defaults for them (valid settings still apply). A pull request's own version is checked but never applied.",
    );
    head.push(
      capped(
        input.configProblems.map(
          (p) =>
            `- \`${clip(p.file, 200)}\`${p.line ? ` line ${p.line}` : ""}${p.path ? `, \`${clip(p.path, 120)}\`` : ""}: ${clip(oneLine(p.message), 300)}${p.source.includes("not applied") ? " _(in this pull request's version)_" : ""}`,
        ),
        30,
        (n) => `- … ${n} more`,
      ),
    );
  }

  const rows = findings.map((f) => {
    const where = `[${escapeCell(placeOf(f.location))}](${input.fileUrl(f.location.path, f.location.startLine)})`;
    return `| [\`${f.ruleId}\`](${f.helpUri}) | ${SEVERITY_BADGE[f.severity]} | ${where} | ${escapeCell(f.message)} |`;
  });
  const tail: string[] = [];
  const suppressed = input.result.suppressed;
  if (suppressed.length > 0) {
    tail.push(`### Suppressed (${suppressed.length})`);
    tail.push(
      "| Rule | Location | Reason |\n|---|---|---|\n" +
        capped(
          suppressed.map(
            (f) =>
              `| \`${f.ruleId}\` | [${escapeCell(placeOf(f.location))}](${input.fileUrl(f.location.path, f.location.startLine)}) | ${escapeCell(f.suppression?.reason ?? "")} |`,
          ),
          200,
          (n) => `| … | ${n} more | |`,
        ),
    );
  }
  const left = input.skipped.filter((s) => !s.unanalysed);
  if (left.length > 0) {
    tail.push(`### Left out on purpose (${left.length})`);
    tail.push(
      "| File | Why |\n|---|---|\n" +
        capped(
          left.map((s) => `| \`${escapeCell(clip(s.path, 200))}\` | ${escapeCell(clip(s.reason, 200))} |`),
          100,
          (n) => `| … | ${n} more files |`,
        ),
    );
  }
  const diagnostics = input.result.diagnostics.filter((d) => d.severity === "error" && !d.incomplete);
  if (diagnostics.length > 0) {
    tail.push(`### Analysis notes (${diagnostics.length})`);
    tail.push(
      capped(
        diagnostics.map(
          (d) => `- \`${clip(d.path, 200)}${d.line ? `:${d.line}` : ""}\`: ${clip(oneLine(d.message), 300)}`,
        ),
        50,
        (n) => `- … ${n} more`,
      ),
    );
  }
  if (input.configEditedInPr) {
    tail.push(
      "> [!NOTE]\n> This pull request changes `.github/rce-guard.yml`. The change takes effect after merge: this run used the configuration of the default branch, so a pull request cannot relax its own review.",
    );
  }
  tail.push(renderConfig(config, input.configLayers));

  const headText = head.join("\n\n");
  const tailText = tail.join("\n\n");
  const tableHead = "| Rule | Severity | Location | Message |\n|---|---|---|---|";
  const room = MAX_SUMMARY - headText.length - tailText.length - 400;
  let shown = rows.length;
  let table = rows.join("\n");
  while (table.length > room && shown > 0) {
    shown = Math.max(0, Math.floor(shown * 0.9) - 1);
    table = rows.slice(0, shown).join("\n");
  }
  const omitted = rows.length - shown;
  const findingsSection =
    rows.length === 0
      ? ""
      : `${tableHead}\n${table}${omitted > 0 ? `\n\n_${plural(omitted, "more finding")} not shown here (GitHub's size limit); every finding has an annotation._` : ""}`;
  const summary = [headText, findingsSection, tailText].filter(Boolean).join("\n\n");
  return summary.length <= MAX_SUMMARY
    ? summary
    : `${summary.slice(0, MAX_SUMMARY - 120)}\n\n_… summary truncated to GitHub's limit of ${MAX_SUMMARY} characters._`;
}

function renderConfig(config: Config, layers: readonly { source: string; file: string }[]): string {
  const rules = Object.entries(config.rules)
    .map(([id, r]) => `${id}: ${r.enabled ? "on" : "off"}${r.severity ? ` (${r.severity})` : ""}`)
    .join(", ");
  const rows: [string, string][] = [
    ["fail_on", config.failOn],
    ["comment_min_severity", config.commentMinSeverity],
    ["max_comments", String(config.maxComments)],
    ["review_drafts", String(config.reviewDrafts)],
    ["on_error", config.onError],
    ["on_unanalysed", config.onUnanalysed],
    ["exclude", config.exclude.join(", ") || "(none)"],
    ["rules", rules || "(defaults)"],
    ["sources", config.sources.map((r) => r.api).join(", ") || "(bundled models)"],
    ["sinks", config.sinks.map((r) => r.api).join(", ") || "(bundled models)"],
    ["sanitizers", config.sanitizers.map((r) => r.api).join(", ") || "(bundled models)"],
  ];
  const from =
    layers.length === 0
      ? "built-in defaults (no `.github/rce-guard.yml` on the default branch or in the organisation's `.github` repository)"
      : `built-in defaults, then ${layers.map((l) => `\`${l.file}\` (${l.source})`).join(", then ")}`;
  const table = rows.map(([k, v]) => `| \`${k}\` | ${escapeCell(clip(v, 500))} |`).join("\n");
  return `<details><summary>Configuration in force</summary>\n\nRead from ${from}.\n\n| Setting | Value |\n|---|---|\n${table}\n\n</details>`;
}

function capped(lines: readonly string[], max: number, more: (n: number) => string): string {
  return lines.length <= max
    ? lines.join("\n")
    : [...lines.slice(0, max), more(lines.length - max)].join("\n");
}

function escapeCell(text: string): string {
  return oneLine(text).replace(/\|/g, "\\|");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
