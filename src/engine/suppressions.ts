// Inline suppressions: `# rce-guard: ignore[VNX-LLM-002] reason`. A comment after code covers its own line;
// a comment alone on a line covers the next line. Comments that look like a suppression but are not one
// (a misspelled keyword, an unknown or lowercase rule id) and suppressions that covered nothing are
// reported as warnings, as Ruff reports unused `noqa` (RUF100): a suppression that silently does nothing,
// or silently covers more than it says, is how findings get lost.
import type { Diagnostic, Finding, Location } from "./types.js";

const SUPPRESSION = /#\s*rce-guard:\s*ignore\[([^\]]*)\]\s*(.*)$/;
/** Anything that mentions the tool in a comment, to catch misspelled suppressions. */
const LOOKS_LIKE = /#.*\brce[-_ ]?gu?ard\b/i;

interface Comment {
  line: number;
  column: number;
  ids: string[];
  reason: string;
  /** Alone on its line: covers the next line instead of its own. */
  standalone: boolean;
  text: string;
  used: boolean;
}

export class Suppressions {
  private readonly comments = new Map<string, Map<number, Comment>>();
  readonly diagnostics: Diagnostic[] = [];

  /** Reads the suppression comments of `files`, reporting malformed ones and unknown rule ids. */
  constructor(files: readonly { path: string; text: string }[], knownIds: ReadonlySet<string>) {
    for (const file of files) {
      if (!/rce[-_ ]?gu?ard/i.test(file.text)) continue;
      const byLine = new Map<number, Comment>();
      file.text.split(/\r\n|\r|\n/).forEach((text, index) => {
        const line = index + 1;
        const hash = text.indexOf("#");
        if (hash < 0) return;
        const match = SUPPRESSION.exec(text);
        if (!match) {
          if (LOOKS_LIKE.test(text))
            this.warn(
              file.path,
              line,
              "not a suppression comment: the form is `# rce-guard: ignore[RULE-ID] reason`",
            );
          return;
        }
        const ids = match[1]!
          .split(",")
          .map((id) => id.trim())
          .filter(Boolean);
        for (const id of ids) {
          if (id === "*" || knownIds.has(id)) continue;
          const near = [...knownIds].find((known) => known.toLowerCase() === id.toLowerCase());
          this.warn(
            file.path,
            line,
            `unknown rule id \`${id}\` in a suppression comment${near ? ` (did you mean \`${near}\`?)` : ""}: it suppresses nothing`,
          );
        }
        const column = text.search(/#\s*rce-guard:/) + 1;
        byLine.set(line, {
          line,
          column,
          ids,
          reason: match[2]!.trim(),
          standalone: text.slice(0, hash).trim() === "",
          text,
          used: false,
        });
      });
      if (byLine.size > 0) this.comments.set(file.path, byLine);
    }
  }

  /** The suppression covering `finding`: a trailing comment on a line of its span, or a comment alone just above it. */
  suppressionFor(finding: Finding): Finding["suppression"] {
    const byLine = this.comments.get(finding.location.path);
    if (!byLine) return undefined;
    const { startLine, endLine } = finding.location;
    const candidates: Comment[] = [];
    const above = byLine.get(startLine - 1);
    if (above?.standalone) candidates.push(above);
    for (let line = startLine; line <= endLine; line++) {
      const comment = byLine.get(line);
      if (comment && !comment.standalone) candidates.push(comment);
    }
    for (const comment of candidates) {
      if (!comment.ids.includes(finding.ruleId) && !comment.ids.includes("*")) continue;
      comment.used = true;
      const location: Location = {
        path: finding.location.path,
        startLine: comment.line,
        startColumn: comment.column,
        endLine: comment.line,
        endColumn: comment.text.length,
      };
      return { reason: comment.reason || "(no reason given)", location };
    }
    return undefined;
  }

  /** Suppressions that covered no finding, in the files `report` admits. */
  unused(report: (path: string) => boolean): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const [path, byLine] of this.comments) {
      if (!report(path)) continue;
      for (const comment of byLine.values()) {
        if (comment.used) continue;
        const target = comment.standalone ? `line ${comment.line + 1}` : "this line";
        out.push({
          path,
          line: comment.line,
          severity: "warning",
          message: `unused suppression: no ${comment.ids.join(", ")} finding on ${target}`,
        });
      }
    }
    return out;
  }

  private warn(path: string, line: number, message: string): void {
    this.diagnostics.push({ path, line, severity: "warning", message });
  }
}
