// requirements.txt (and constraints files): one requirement per logical line, `-r`/`-c` includes followed
// among the scanned files, options, URLs and paths skipped.
import { posix } from "node:path";
import type { SourceFile } from "../engine/index.js";
import { addRequirement, type Collector, fileEntry, report } from "./collector.js";
import { lineStarts, position } from "./spans.js";

const URL_OR_PATH =
  /^(?:[a-z][a-z0-9+.-]*:\/\/|\.{0,2}\/|[A-Za-z]:[\\/]|\S+\.(?:whl|zip|tar\.gz|tgz|tar\.bz2)\b)/i;
const INCLUDE = /^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=[^\s=-]))(\S+)/;

interface LogicalLine {
  text: string;
  /** Offset in the file of each character of `text`. */
  offsets: number[];
}

function logicalLines(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let current: LogicalLine = { text: "", offsets: [] };
  let offset = 0;
  for (const physical of text.split("\n")) {
    const content = physical.endsWith("\r") ? physical.slice(0, -1) : physical;
    const continued = /(^|[^\\])(\\\\)*\\$/.test(content);
    const kept = continued ? content.slice(0, -1) : content;
    for (let i = 0; i < kept.length; i++) current.offsets.push(offset + i);
    current.text += kept;
    if (!continued) {
      lines.push(current);
      current = { text: "", offsets: [] };
    }
    offset += physical.length + 1;
  }
  if (current.text !== "") lines.push(current);
  return lines;
}

export function parseRequirementsFile(
  collector: Collector,
  file: SourceFile,
  byPath: ReadonlyMap<string, SourceFile>,
  queue: SourceFile[],
) {
  const entry = fileEntry(collector, file.path, "requirements");
  const starts = lineStarts(file.text);
  for (const logical of logicalLines(file.text)) {
    const withoutComment = logical.text.replace(/(^|\s)#.*$/, "");
    const trimmed = withoutComment.trim();
    if (trimmed === "") continue;
    const firstOffset = logical.offsets[withoutComment.length - withoutComment.trimStart().length] ?? 0;
    const line = position(starts, firstOffset).line;
    if (trimmed.startsWith("-")) {
      const include = INCLUDE.exec(trimmed);
      if (include) {
        const target = posix.normalize(posix.join(posix.dirname(file.path), include[1] as string));
        const included = byPath.get(target);
        if (included) {
          queue.push(included);
          entry.includes.push(target);
        } else report(entry, line, `included file ${target} is not among the scanned files`, "note");
      }
      continue;
    }
    if (URL_OR_PATH.test(trimmed)) continue;
    // Per-requirement options (--hash, --config-settings, ...) follow the requirement.
    const requirement = trimmed.replace(/\s+--?[A-Za-z][\s\S]*$/, "");
    const start = withoutComment.indexOf(requirement);
    const startOffset = logical.offsets[start] ?? firstOffset;
    const endOffset = (logical.offsets[start + requirement.length - 1] ?? startOffset) + 1;
    // Requirements continued over several lines map back to the file through `logical.offsets`.
    const contiguous = endOffset - startOffset === requirement.length;
    addRequirement(collector, entry, starts, requirement, startOffset, contiguous);
  }
}
