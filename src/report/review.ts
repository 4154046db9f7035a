// Findings → one pull-request review: inline comments on lines GitHub accepts (inside the diff hunks),
// with message, trace, remediation and, for mechanical fixes, a suggestion block; everything that cannot
// or may not be inline goes to the review body. Pure: the GitHub adapter posts what this returns.
import { atLeast } from "../config.js";
import { type Finding, SEVERITIES, type Severity, type Span } from "../engine/index.js";
import { placeOf } from "./place.js";

export interface ReviewComment {
  path: string;
  line: number;
  side: "RIGHT";
  start_line?: number;
  start_side?: "RIGHT";
  body: string;
}

/** path → RIGHT-side line → hunk index, for every line the diff shows. */
export type CommentableLines = ReadonlyMap<string, ReadonlyMap<number, number>>;

export interface ReviewInput {
  findings: readonly Finding[];
  /** Fingerprints already posted on this pull request: never commented twice. */
  known: ReadonlySet<string>;
  commentable: CommentableLines;
  /** Head contents, for suggestion blocks. */
  texts: ReadonlyMap<string, string>;
  maxComments: number;
  commentMinSeverity: Severity;
  headSha: string;
  fileUrl: (path: string, line: number) => string;
}

export interface ReviewPlan {
  body: string;
  comments: ReviewComment[];
  /** Body carrying every new finding, for when GitHub refuses the inline comments. */
  fallbackBody: string;
  /** Findings this review reports (inline or in the body). */
  reported: Finding[];
}

/** GitHub's limit for review and comment bodies. */
export const MAX_BODY = 65_536;

const FINGERPRINT = /<!-- rce-guard:fingerprint=([A-Za-z0-9_:.+/=-]+) -->/g;
const REVIEWED_HEAD = /<!-- rce-guard:review head=([0-9a-f]{7,64}) -->/;

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- rce-guard:fingerprint=${fingerprint.replace(/[^A-Za-z0-9_:.+/=-]/g, "_")} -->`;
}

export function readFingerprints(body: string): string[] {
  return [...body.matchAll(FINGERPRINT)].map((m) => m[1] ?? "");
}

export function readReviewedHead(body: string): string | undefined {
  return REVIEWED_HEAD.exec(body)?.[1];
}

/** Fingerprints are compared after the same normalisation the marker applies. */
export function markerFingerprint(fingerprint: string): string {
  return fingerprint.replace(/[^A-Za-z0-9_:.+/=-]/g, "_");
}

export const SEVERITY_BADGE: Record<Severity, string> = {
  critical: "🔴 Critical",
  high: "🟠 High",
  medium: "🟡 Medium",
  low: "🔵 Low",
  info: "⚪ Info",
};

export function bySeverity(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.location.path.localeCompare(b.location.path) ||
    a.location.startLine - b.location.startLine
  );
}

interface Anchor {
  path: string;
  start: number;
  end: number;
  /** The comment sits on a trace step, not on the sink. */
  viaTrace?: boolean;
  suggestion?: string;
}

export function planReview(input: ReviewInput): ReviewPlan | undefined {
  const seen = new Set<string>();
  const candidates = [...input.findings]
    .filter((f) => atLeast(f.severity, input.commentMinSeverity))
    .filter((f) => {
      const fp = markerFingerprint(f.fingerprint);
      if (input.known.has(fp) || seen.has(fp)) return false;
      seen.add(fp);
      return true;
    })
    .sort(bySeverity);
  if (candidates.length === 0) return undefined;

  const comments: ReviewComment[] = [];
  const inline: Finding[] = [];
  const overLimit: Finding[] = [];
  const outsideDiff: Finding[] = [];
  for (const finding of candidates) {
    const anchor = findAnchor(finding, input);
    if (!anchor) outsideDiff.push(finding);
    else if (comments.length >= input.maxComments) overLimit.push(finding);
    else {
      comments.push(toComment(finding, anchor));
      inline.push(finding);
    }
  }

  const head = input.headSha.slice(0, 7);
  const intro =
    `**RCE Guard** found ${plural(candidates.length, "new finding")} on lines this pull request changes ` +
    `(commit \`${head}\`). The check run lists every finding.`;
  const listed = (title: string, findings: readonly Finding[]) =>
    findings.length === 0
      ? ""
      : `\n\n${title}\n\n${findings.map((f) => listItem(f, input.fileUrl)).join("\n")}`;
  const headMarker = `<!-- rce-guard:review head=${input.headSha} -->`;
  const markers = (findings: readonly Finding[]) =>
    findings.map((f) => fingerprintMarker(f.fingerprint)).join("\n");

  const body = fitBody(
    intro +
      listed(
        `Not commented inline: the review is limited to ${plural(input.maxComments, "comment")} (\`max_comments\`):`,
        overLimit,
      ) +
      listed("Not commented inline: no line of the trace is inside the diff:", outsideDiff),
    `\n\n${headMarker}\n${markers([...overLimit, ...outsideDiff])}`,
  );
  const fallbackBody = fitBody(
    intro + listed("Findings:", candidates),
    `\n\n${headMarker}\n${markers(candidates)}`,
  );
  return { body, comments, fallbackBody, reported: candidates };
}

function listItem(f: Finding, fileUrl: (path: string, line: number) => string): string {
  const where = `[${placeOf(f.location)}](${fileUrl(f.location.path, f.location.startLine)})`;
  return `- ${SEVERITY_BADGE[f.severity]} · \`${f.ruleId}\` · ${where}: ${oneLine(f.message)}`;
}

/** Keeps the hidden markers intact: only the visible part is cut when the body is too long. */
function fitBody(visible: string, hidden: string): string {
  const room = MAX_BODY - hidden.length - 200;
  if (visible.length <= room) return visible + hidden;
  const cut = visible.slice(0, Math.max(0, room));
  const lastLine = cut.lastIndexOf("\n");
  return `${cut.slice(0, lastLine > 0 ? lastLine : cut.length)}\n\n_… truncated to GitHub's size limit; see the check run for the full list._${hidden}`;
}

function findAnchor(finding: Finding, input: ReviewInput): Anchor | undefined {
  const loc = finding.location;
  const fixLines = fixRange(finding);
  if (fixLines && loc.path) {
    const start = Math.min(loc.startLine, fixLines[0]);
    const end = Math.max(loc.endLine, fixLines[1]);
    if (isCommentable(input.commentable, loc.path, start, end)) {
      const text = input.texts.get(loc.path);
      const suggestion =
        text === undefined ? undefined : buildSuggestion(text, start, end, finding.fix?.edits ?? []);
      return { path: loc.path, start, end, ...(suggestion === undefined ? {} : { suggestion }) };
    }
  }
  if (isCommentable(input.commentable, loc.path, loc.startLine, loc.endLine)) {
    return { path: loc.path, start: loc.startLine, end: loc.endLine };
  }
  if (isCommentable(input.commentable, loc.path, loc.endLine, loc.endLine)) {
    return { path: loc.path, start: loc.endLine, end: loc.endLine };
  }
  if (isCommentable(input.commentable, loc.path, loc.startLine, loc.startLine)) {
    return { path: loc.path, start: loc.startLine, end: loc.startLine };
  }
  // The sink is outside the diff: the nearest step of the trace the PR did change carries the comment.
  for (const step of [...finding.trace].reverse()) {
    const l = step.location;
    if (isCommentable(input.commentable, l.path, l.startLine, l.startLine)) {
      return { path: l.path, start: l.startLine, end: l.startLine, viaTrace: true };
    }
  }
  return undefined;
}

function fixRange(finding: Finding): [number, number] | undefined {
  const edits = finding.fix?.edits ?? [];
  if (edits.length === 0) return undefined;
  return [Math.min(...edits.map((e) => e.span.startLine)), Math.max(...edits.map((e) => e.span.endLine))];
}

/** Every line of the range is shown in the diff, in one hunk (GitHub rejects ranges across hunks). */
export function isCommentable(
  commentable: CommentableLines,
  path: string,
  start: number,
  end: number,
): boolean {
  const lines = commentable.get(path);
  if (!lines || start > end) return false;
  const hunk = lines.get(start);
  if (hunk === undefined) return false;
  for (let line = start + 1; line <= end; line++) if (lines.get(line) !== hunk) return false;
  return true;
}

/**
 * The text that replaces lines `start..end` once the fix's edits are applied, or undefined when an edit
 * falls outside those lines or does not match the file (a suggestion that does not apply is worse than none).
 */
export function buildSuggestion(
  text: string,
  start: number,
  end: number,
  edits: readonly { span: Span; replacement: string }[],
): string | undefined {
  if (edits.length === 0 || text.includes("\r\n")) return undefined;
  const lines = text.split("\n");
  if (end > lines.length) return undefined;
  const block = lines.slice(start - 1, end);
  const offsetOf = (line: number, column: number): number | undefined => {
    if (line < start || line > end) return undefined;
    const lineText = block[line - start] ?? "";
    if (column < 1 || column > lineText.length + 1) return undefined;
    let offset = 0;
    for (let l = start; l < line; l++) offset += (block[l - start] ?? "").length + 1;
    return offset + column - 1;
  };
  const spans: { from: number; to: number; replacement: string }[] = [];
  for (const edit of edits) {
    const from = offsetOf(edit.span.startLine, edit.span.startColumn);
    // endColumn is inclusive of the last replaced character.
    const last = offsetOf(edit.span.endLine, edit.span.endColumn);
    if (from === undefined || last === undefined || last + 1 < from) return undefined;
    spans.push({ from, to: last + 1, replacement: edit.replacement });
  }
  spans.sort((a, b) => b.from - a.from);
  for (let i = 1; i < spans.length; i++)
    if ((spans[i]?.to ?? 0) > (spans[i - 1]?.from ?? 0)) return undefined;
  let joined = block.join("\n");
  for (const s of spans) joined = joined.slice(0, s.from) + s.replacement + joined.slice(s.to);
  return joined;
}

/** A fence longer than any backtick run inside, so the suggested code cannot close it early. */
export function fenceFor(content: string): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

export function renderCommentBody(
  finding: Finding,
  anchor: { viaTrace?: boolean; suggestion?: string },
): string {
  const parts: string[] = [];
  parts.push(`**${SEVERITY_BADGE[finding.severity]} · \`${finding.ruleId}\`** ${finding.message}`);
  if (anchor.viaTrace) {
    parts.push(
      `The sink is at \`${placeOf(finding.location)}\`, outside the lines this pull request changes; this comment sits on the changed step of the trace.`,
    );
  }
  if (finding.trace.length > 0) {
    const steps = finding.trace
      .slice(0, 40)
      .map((step, i) => `${i + 1}. \`${placeOf(step.location)}\` ${oneLine(step.note)}`);
    parts.push(
      `<details><summary>How the data gets there (${finding.trace.length} steps)</summary>\n\n${steps.join("\n")}\n\n</details>`,
    );
  }
  parts.push(`**Fix:** ${finding.remediation}`);
  if (anchor.suggestion !== undefined && finding.fix) {
    const fence = fenceFor(anchor.suggestion);
    const caution =
      finding.fix.safety === "unsafe" ? " It may change behaviour: review it before applying." : "";
    parts.push(
      `${finding.fix.description.replace(/\.$/, "")}.${caution}\n\n${fence}suggestion\n${anchor.suggestion}\n${fence}`,
    );
  }
  const cwe = finding.cwe.length > 0 ? ` · ${finding.cwe.map((n) => `CWE-${n}`).join(", ")}` : "";
  parts.push(`[Rule ${finding.ruleId}](${finding.helpUri})${cwe}`);
  parts.push(fingerprintMarker(finding.fingerprint));
  return parts.join("\n\n");
}

function toComment(finding: Finding, anchor: Anchor): ReviewComment {
  const body = renderCommentBody(finding, anchor);
  return anchor.start < anchor.end
    ? {
        path: anchor.path,
        line: anchor.end,
        side: "RIGHT",
        start_line: anchor.start,
        start_side: "RIGHT",
        body,
      }
    : { path: anchor.path, line: anchor.end, side: "RIGHT", body };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
