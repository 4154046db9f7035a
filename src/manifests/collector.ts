// What the readers collect into: constraints in reading order and one entry per manifest (with its
// diagnostics); and the one way a PEP 508 requirement found in a file becomes a constraint.
import {
  ANY_VERSION,
  type Constraint,
  type Diagnostic,
  type ManifestFile,
  type ManifestKind,
  normalizePackageName,
  pep440ToSemverRange,
} from "../engine/index.js";
import { parsePep508 } from "./pep508.js";
import { position, spanOf } from "./spans.js";

export interface Collector {
  constraints: Constraint[];
  files: Map<string, ManifestFile>;
}

export function fileEntry(collector: Collector, path: string, kind: ManifestKind): ManifestFile {
  let entry = collector.files.get(path);
  if (!entry) {
    entry = { path, kind, diagnostics: [], includes: [] };
    collector.files.set(path, entry);
  }
  return entry;
}

export function report(
  entry: ManifestFile,
  line: number,
  message: string,
  severity: Diagnostic["severity"] = "warning",
) {
  entry.diagnostics.push({ path: entry.path, severity, message, line });
}

/** Adds a PEP 508 requirement found at `offset` in `text` (the file's whole text). */
export function addRequirement(
  collector: Collector,
  entry: ManifestFile,
  starts: readonly number[],
  requirement: string,
  offset: number,
  rewritable = true,
) {
  const line = position(starts, offset).line;
  const parsed = parsePep508(requirement);
  if ("error" in parsed) {
    report(entry, line, parsed.error);
    return;
  }
  if (parsed.directReference) return;
  const range = pep440ToSemverRange(parsed.specifier);
  if ("error" in range) report(entry, line, `${parsed.name}: ${range.error}`);
  collector.constraints.push({
    package: normalizePackageName(parsed.name),
    path: entry.path,
    source: entry.kind,
    line,
    span: spanOf(starts, offset + parsed.start, offset + parsed.end),
    head: parsed.head,
    rewritable,
    specifier: parsed.specifier,
    syntax: "pep440",
    range: "error" in range ? ANY_VERSION : range.range,
    marker: parsed.marker,
  });
}
