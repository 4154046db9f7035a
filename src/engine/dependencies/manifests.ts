// Dependency pins read from Python manifests and lock files, as semver ranges (see pep440.ts for the encoding).
// Pure: files in, pins out; never throws.

import { posix } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import type { Diagnostic, SourceFile, Span } from "../types.js";
import { ANY_VERSION, intersectRanges, pep440ToSemver, pep440ToSemverRange, unionRanges } from "./pep440.js";
import { escapeRegex } from "../regex.js";

export type ManifestKind = "requirements" | "pyproject" | "pipfile" | "setup.cfg" | "uv.lock" | "poetry.lock";

/** How a specifier is written, so a fix can rewrite it in the same syntax. */
export type SpecifierSyntax = "pep440" | "poetry" | "lock";

export interface Constraint {
  /** PEP 503 normalised name. */
  package: string;
  path: string;
  source: ManifestKind;
  /** 1-based line of the requirement (of its version, in a lock file). */
  line: number;
  /** The text a fix replaces: name through specifier in requirement strings, the version string elsewhere. */
  span: Span;
  /** Text a rewrite keeps in front of the new specifier inside `span` (`torch[cuda]`), empty when none. */
  head: string;
  /** False when `span` is only approximate (string with escapes, requirement continued over lines, lock file). */
  rewritable: boolean;
  /** The specifier as written; empty when the package is unpinned; the exact version in a lock file. */
  specifier: string;
  syntax: SpecifierSyntax;
  /** Versions admitted, to be evaluated with SEMVER_OPTIONS; ANY_VERSION when unpinned or unparseable. */
  range: string;
  /** Environment marker the constraint is conditioned on, if any (not evaluated). */
  marker: string | null;
}

export interface PackagePins {
  name: string;
  /** What may be installed: the locked versions when a lock file has any, else what the manifests admit together. */
  range: string;
  declared: Constraint[];
  locked: Constraint[];
}

export interface ManifestFile {
  path: string;
  kind: ManifestKind;
  diagnostics: Diagnostic[];
  /** Requirement files this one reads through `-r`/`-c` (normalised paths among the scanned files). */
  includes: string[];
}

export interface DependencyPins {
  packages: ReadonlyMap<string, PackagePins>;
  files: ManifestFile[];
  /** Every constraint read, in reading order (scoping picks the ones that govern a file). */
  constraints: readonly Constraint[];
}

/** PEP 503: lowercase, runs of `-`, `_` and `.` collapse to `-`. */
export function normalizePackageName(name: string): string {
  return name
    .trim()
    .replace(/[-_.]+/g, "-")
    .toLowerCase();
}

export function manifestKind(path: string): ManifestKind | null {
  const normalized = path.replace(/\\/g, "/");
  const base = posix.basename(normalized);
  const lower = base.toLowerCase();
  if (lower === "pyproject.toml") return "pyproject";
  if (base === "Pipfile") return "pipfile";
  if (lower === "setup.cfg") return "setup.cfg";
  if (lower === "uv.lock") return "uv.lock";
  if (lower === "poetry.lock") return "poetry.lock";
  if (/requirements.*\.(txt|in)$/i.test(lower) || /^constraints.*\.txt$/i.test(lower)) return "requirements";
  if (lower.endsWith(".txt") && posix.dirname(normalized).split("/").includes("requirements"))
    return "requirements";
  return null;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return starts;
}

/** 1-based line and column of a character offset. */
function position(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
}

function spanOf(starts: readonly number[], from: number, to: number): Span {
  const start = position(starts, from);
  const end = position(starts, Math.max(from, to - 1));
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

// ---------------------------------------------------------------------------------------------------------------
// PEP 508 requirement strings

export interface ParsedRequirement {
  name: string;
  /** `name[extras]` as written. */
  head: string;
  specifier: string;
  marker: string | null;
  /** Offsets inside the requirement string of the name's first character and just past the specifier. */
  start: number;
  end: number;
  directReference: boolean;
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;

export function parsePep508(text: string): ParsedRequirement | { error: string } {
  const nameMatch = NAME.exec(text);
  if (!nameMatch) return { error: `\`${text.trim()}\` is not a requirement` };
  const name = nameMatch[1] as string;
  const nameStart = nameMatch[0].length - name.length;
  let cursor = nameMatch[0].length;
  const extras = /^\s*\[[^\]]*\]/.exec(text.slice(cursor));
  if (extras) cursor += extras[0].length;
  const head = text.slice(nameStart, cursor);

  const semicolon = text.indexOf(";", cursor);
  const body = semicolon === -1 ? text.slice(cursor) : text.slice(cursor, semicolon);
  const marker = semicolon === -1 ? null : text.slice(semicolon + 1).trim() || null;
  const leading = body.length - body.trimStart().length;
  const specifier = body.trim();
  const end = specifier === "" ? cursor : cursor + leading + specifier.length;
  const directReference = specifier.startsWith("@");
  if (!directReference && specifier !== "" && !/^[(<>=!~]/.test(specifier)) {
    return { error: `\`${text.trim()}\`: expected a version specifier after \`${head}\`` };
  }
  return { name, head, specifier, marker, start: nameStart, end, directReference };
}

// ---------------------------------------------------------------------------------------------------------------
// Poetry constraints: ^ and ~ ranges, bare versions, `||` alternatives, comma or space separated clauses.

function poetryBound(version: string, operator: "^" | "~"): string | { error: string } {
  const parsed = /^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)$/.exec(version);
  if (!parsed) return { error: `\`${operator}${version}\` is not a Poetry constraint` };
  const release = (parsed[1] as string).split(".").map(Number);
  let upper: number[];
  if (operator === "~") {
    upper = release.length === 1 ? [release[0]! + 1] : [release[0]!, release[1]! + 1];
  } else {
    const firstNonZero = release.findIndex((n) => n !== 0);
    const index = firstNonZero === -1 ? Math.min(release.length - 1, 2) : firstNonZero;
    upper = [...release.slice(0, index), release[index]! + 1];
  }
  return `>=${version.trim()},<${upper.join(".")}`;
}

function poetryClauseToPep440(clause: string): string | { error: string } {
  const trimmed = clause.trim();
  if (trimmed === "" || trimmed === "*") return "";
  if (trimmed.startsWith("^")) return poetryBound(trimmed.slice(1), "^");
  if (trimmed.startsWith("~") && !trimmed.startsWith("~=")) return poetryBound(trimmed.slice(1), "~");
  if (/^[0-9v]/i.test(trimmed)) return `==${trimmed}`;
  return trimmed;
}

/** Translates a Poetry version constraint (`^2.6`, `~2.6`, `2.6.*`, `>=2,<3 || ^4`) into a semver range. */
export function poetryToSemverRange(spec: string): { range: string } | { error: string } {
  const ranges: string[] = [];
  for (const alternative of spec.split("||")) {
    // Poetry separates AND clauses with commas or spaces; rejoin an operator split from its version first.
    const clauses = alternative
      .trim()
      .replace(/([<>=!~^]=?)\s+(?=[0-9v])/gi, "$1")
      .split(/\s*,\s*|\s+/)
      .filter((clause) => clause !== "");
    const pep440: string[] = [];
    for (const clause of clauses) {
      const translated = poetryClauseToPep440(clause);
      if (typeof translated !== "string") return translated;
      if (translated !== "") pep440.push(translated);
    }
    const range = pep440ToSemverRange(pep440.join(","));
    if ("error" in range) return range;
    ranges.push(range.range);
  }
  return { range: ranges.length === 1 ? (ranges[0] as string) : unionRanges(ranges) };
}

// ---------------------------------------------------------------------------------------------------------------
// Shared collection state

interface Collector {
  constraints: Constraint[];
  files: Map<string, ManifestFile>;
}

function fileEntry(collector: Collector, path: string, kind: ManifestKind): ManifestFile {
  let entry = collector.files.get(path);
  if (!entry) {
    entry = { path, kind, diagnostics: [], includes: [] };
    collector.files.set(path, entry);
  }
  return entry;
}

function report(
  entry: ManifestFile,
  line: number,
  message: string,
  severity: Diagnostic["severity"] = "warning",
) {
  entry.diagnostics.push({ path: entry.path, severity, message, line });
}

/** Adds a PEP 508 requirement found at `offset` in `text` (the file's whole text). */
function addRequirement(
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

// ---------------------------------------------------------------------------------------------------------------
// requirements.txt

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

function parseRequirementsFile(
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

// ---------------------------------------------------------------------------------------------------------------
// TOML manifests. The TOML parser gives values without positions, so positions are found again in the text:
// each table's header, then each key or string in document order from there.

function tableOffset(text: string, path: readonly string[], arrayOfTables = false): number {
  const segment = (name: string) => `\\s*["']?${escapeRegex(name)}["']?\\s*`;
  const open = arrayOfTables ? "\\[\\[" : "\\[";
  const close = arrayOfTables ? "\\]\\]" : "\\]";
  const header = new RegExp(`^[ \\t]*${open}${path.map(segment).join("\\.")}${close}`, "m");
  return header.exec(text)?.index ?? -1;
}

function keyOffset(text: string, from: number, key: string): number {
  const pattern = new RegExp(`^[ \\t]*["']?${escapeRegex(key)}["']?[ \\t]*=`, "m");
  const match = pattern.exec(text.slice(Math.max(0, from)));
  return match ? Math.max(0, from) + match.index : -1;
}

/** Offset of the first character inside the quotes of string literal `value` at or after `from`. */
function stringOffset(text: string, from: number, value: string): number {
  let best = -1;
  for (const quote of ['"', "'"]) {
    const index = text.indexOf(`${quote}${value}${quote}`, Math.max(0, from));
    if (index !== -1 && (best === -1 || index < best)) best = index;
  }
  return best === -1 ? -1 : best + 1;
}

type TomlTable = Record<string, unknown>;

function isTable(value: unknown): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function table(root: unknown, path: readonly string[]): TomlTable | null {
  let node: unknown = root;
  for (const key of path) node = isTable(node) ? node[key] : undefined;
  return isTable(node) ? node : null;
}

function parseTomlFile(entry: ManifestFile, text: string): TomlTable | null {
  try {
    return parseToml(text);
  } catch (error) {
    const line = error instanceof TomlError ? error.line : 1;
    const column = error instanceof TomlError ? `, column ${error.column}` : "";
    const message = (error instanceof Error ? error.message.split("\n")[0] : undefined) ?? "invalid TOML";
    const what = message.replace(/^Invalid TOML document:\s*/, "");
    report(
      entry,
      line,
      `cannot parse ${posix.basename(entry.path)} at line ${line}${column}: ${what}; its dependency pins are not read (no advisories checked, version gates see nothing pinned here)`,
      "error",
    );
    return null;
  }
}

/** A PEP 508 string array at `tablePath`.`key`, located in the text from the table header and key. */
function addRequirementArray(
  collector: Collector,
  entry: ManifestFile,
  text: string,
  starts: readonly number[],
  tablePath: readonly string[],
  key: string,
  values: unknown,
) {
  if (!Array.isArray(values)) return;
  const header = tableOffset(text, tablePath);
  let cursor = keyOffset(text, Math.max(0, header), key);
  if (cursor === -1) cursor = Math.max(0, header);
  for (const value of values) {
    if (typeof value !== "string") continue;
    const found = stringOffset(text, cursor, value);
    if (found === -1) {
      // Not found verbatim (escapes, dotted keys): reported at the table, never rewritten.
      addRequirement(collector, entry, starts, value, Math.max(0, header), false);
      continue;
    }
    addRequirement(collector, entry, starts, value, found);
    cursor = found + value.length;
  }
}

/** Poetry's and Pipfile's `name = "spec"` / `name = { version = "spec" }` / `name = [{ version = ... }, ...]`. */
function addKeyedDependencies(
  collector: Collector,
  entry: ManifestFile,
  text: string,
  starts: readonly number[],
  tablePath: readonly string[],
  dependencies: TomlTable,
  syntax: "poetry" | "pep440",
) {
  const header = tableOffset(text, tablePath);
  for (const [name, value] of Object.entries(dependencies)) {
    if (syntax === "poetry" && name.toLowerCase() === "python") continue;
    const keyAt = keyOffset(text, Math.max(0, header), name);
    const anchor = keyAt === -1 ? Math.max(0, header) : keyAt;
    const alternatives = Array.isArray(value) ? value : [value];
    let cursor = anchor;
    for (const alternative of alternatives) {
      const spec =
        typeof alternative === "string" ? alternative : isTable(alternative) ? alternative.version : null;
      if (typeof spec !== "string") continue; // git, path or url dependencies pin no version
      const conditioned =
        isTable(alternative) && (alternative.markers !== undefined || alternative.python !== undefined);
      const specAt = stringOffset(text, cursor, spec);
      const at = specAt === -1 ? anchor : specAt;
      const line = position(starts, at).line;
      const range = syntax === "poetry" ? poetryToSemverRange(spec) : pep440ToSemverRange(spec);
      if ("error" in range) report(entry, line, `${name}: ${range.error}`);
      collector.constraints.push({
        package: normalizePackageName(name),
        path: entry.path,
        source: entry.kind,
        line,
        span:
          specAt === -1 ? spanOf(starts, anchor, anchor + name.length) : spanOf(starts, at, at + spec.length),
        head: "",
        rewritable: specAt !== -1,
        specifier: spec.trim() === "*" ? "" : spec.trim(),
        syntax,
        range: "error" in range ? ANY_VERSION : range.range,
        marker: conditioned
          ? String((alternative as TomlTable).markers ?? `python ${(alternative as TomlTable).python}`)
          : null,
      });
      if (specAt !== -1) cursor = specAt + spec.length;
    }
  }
}

function parsePyproject(collector: Collector, file: SourceFile) {
  const entry = fileEntry(collector, file.path, "pyproject");
  const root = parseTomlFile(entry, file.text);
  if (!root) return;
  const starts = lineStarts(file.text);
  const add = (tablePath: string[], key: string, values: unknown) =>
    addRequirementArray(collector, entry, file.text, starts, tablePath, key, values);

  const project = table(root, ["project"]);
  if (project) {
    add(["project"], "dependencies", project.dependencies);
    const optional = table(project, ["optional-dependencies"]);
    for (const [group, values] of Object.entries(optional ?? {})) {
      const path =
        tableOffset(file.text, ["project", "optional-dependencies"]) === -1
          ? ["project"]
          : ["project", "optional-dependencies"];
      add(path, group, values);
    }
  }
  for (const [group, values] of Object.entries(table(root, ["dependency-groups"]) ?? {})) {
    add(["dependency-groups"], group, values);
  }
  const uv = table(root, ["tool", "uv"]);
  if (uv) {
    add(["tool", "uv"], "dev-dependencies", uv["dev-dependencies"]);
    add(["tool", "uv"], "constraint-dependencies", uv["constraint-dependencies"]);
  }

  const poetry = table(root, ["tool", "poetry"]);
  if (!poetry) return;
  const keyed = (tablePath: string[], dependencies: TomlTable | null) => {
    if (dependencies)
      addKeyedDependencies(collector, entry, file.text, starts, tablePath, dependencies, "poetry");
  };
  keyed(["tool", "poetry", "dependencies"], table(poetry, ["dependencies"]));
  keyed(["tool", "poetry", "dev-dependencies"], table(poetry, ["dev-dependencies"]));
  for (const [group, body] of Object.entries(table(poetry, ["group"]) ?? {})) {
    keyed(["tool", "poetry", "group", group, "dependencies"], table(body, ["dependencies"]));
  }
}

function parsePipfile(collector: Collector, file: SourceFile) {
  const entry = fileEntry(collector, file.path, "pipfile");
  const root = parseTomlFile(entry, file.text);
  if (!root) return;
  const starts = lineStarts(file.text);
  for (const section of ["packages", "dev-packages"]) {
    const dependencies = table(root, [section]);
    if (dependencies)
      addKeyedDependencies(collector, entry, file.text, starts, [section], dependencies, "pep440");
  }
}

function parseLockFile(collector: Collector, file: SourceFile, kind: "uv.lock" | "poetry.lock") {
  const entry = fileEntry(collector, file.path, kind);
  const root = parseTomlFile(entry, file.text);
  if (!root) return;
  const packages = root.package;
  if (!Array.isArray(packages)) return;
  const starts = lineStarts(file.text);
  const headers = [...file.text.matchAll(/^[ \t]*\[\[\s*package\s*\]\]/gm)].map((match) => match.index ?? 0);
  packages.forEach((pkg, index) => {
    if (!isTable(pkg) || typeof pkg.name !== "string" || typeof pkg.version !== "string") return;
    const blockStart = headers[index] ?? 0;
    const blockEnd = headers[index + 1] ?? file.text.length;
    const block = file.text.slice(blockStart, blockEnd);
    const versionMatch = /^[ \t]*version[ \t]*=[ \t]*(["'])(.*?)\1/m.exec(block);
    const at =
      versionMatch?.[2] === pkg.version
        ? blockStart + (versionMatch.index ?? 0) + versionMatch[0].length - 1 - pkg.version.length
        : blockStart;
    const line = position(starts, at).line;
    const exact = pep440ToSemver(pkg.version);
    if ("error" in exact) report(entry, line, `${pkg.name}: ${exact.error}`);
    collector.constraints.push({
      package: normalizePackageName(pkg.name),
      path: file.path,
      source: kind,
      line,
      span: spanOf(starts, at, at + pkg.version.length),
      head: "",
      rewritable: false,
      specifier: pkg.version,
      syntax: "lock",
      range: "error" in exact ? ANY_VERSION : exact.version.replace(/\+.*$/, ""),
      marker: null,
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// setup.cfg: `[options] install_requires` and `[options.extras_require]`, INI continuation lines.

function parseSetupCfg(collector: Collector, file: SourceFile) {
  const entry = fileEntry(collector, file.path, "setup.cfg");
  const starts = lineStarts(file.text);
  const lines = file.text.split("\n");
  let section = "";
  let collecting = false;
  let offset = 0;
  for (const rawLine of lines) {
    const lineOffset = offset;
    offset += rawLine.length + 1;
    const line = rawLine.replace(/\r$/, "");
    const trimmed = line.trim();
    const header = /^\[([^\]]+)\]\s*$/.exec(trimmed);
    if (header && !/^\s/.test(line)) {
      section = (header[1] as string).trim().toLowerCase();
      collecting = false;
      continue;
    }
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const continuation = /^\s/.test(line);
    if (!continuation) {
      const assignment = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
      const key = assignment?.[1]?.trim().toLowerCase() ?? "";
      collecting =
        (section === "options" && key === "install_requires") ||
        (section === "options.extras_require" && key !== "");
      const value = assignment?.[2] ?? "";
      if (!collecting || value.trim() === "") continue;
      if (value.trim().startsWith("file:")) {
        report(
          entry,
          position(starts, lineOffset).line,
          `${key} reads ${value.trim()}, which is not followed`,
          "note",
        );
        continue;
      }
      // setuptools splits a single-line value on `;` (a dangling list keeps markers intact).
      let valueOffset = lineOffset + line.length - value.length;
      for (const part of value.split(";")) {
        const partOffset = valueOffset + (part.length - part.trimStart().length);
        const requirement = part.replace(/\s+#.*$/, "").trim();
        if (requirement !== "") addRequirement(collector, entry, starts, requirement, partOffset);
        valueOffset += part.length + 1;
      }
      continue;
    }
    if (!collecting) continue;
    const requirement = trimmed.replace(/\s+#.*$/, "");
    addRequirement(collector, entry, starts, requirement, lineOffset + line.indexOf(trimmed));
  }
}

// ---------------------------------------------------------------------------------------------------------------

// Markers are not evaluated, so every environment is assumed possible: where an unconditioned constraint exists,
// some environment may satisfy none of the markers and see only the unconditioned ones; where none exists, the
// package is installed only where a marker holds, under any one of the conditioned constraints.
function admittedRange(declared: readonly Constraint[], locked: readonly Constraint[]): string {
  if (locked.length > 0) return unionRanges(locked.map((constraint) => constraint.range));
  const unconditioned = declared.filter((constraint) => constraint.marker === null);
  if (unconditioned.length === 0) return unionRanges(declared.map((constraint) => constraint.range));
  return unconditioned.reduce((range, constraint) => intersectRanges(range, constraint.range), ANY_VERSION);
}

/** Reads every recognised manifest in `files` (others are ignored) into per-package pins. */
export function readDependencyPins(files: readonly SourceFile[]): DependencyPins {
  const collector: Collector = { constraints: [], files: new Map() };
  const byPath = new Map<string, SourceFile>();
  for (const file of files) byPath.set(posix.normalize(file.path.replace(/\\/g, "/")), file);

  const requirementQueue: SourceFile[] = [];
  for (const file of files) {
    try {
      switch (manifestKind(file.path)) {
        case "requirements":
          requirementQueue.push(file);
          break;
        case "pyproject":
          parsePyproject(collector, file);
          break;
        case "pipfile":
          parsePipfile(collector, file);
          break;
        case "setup.cfg":
          parseSetupCfg(collector, file);
          break;
        case "uv.lock":
          parseLockFile(collector, file, "uv.lock");
          break;
        case "poetry.lock":
          parseLockFile(collector, file, "poetry.lock");
          break;
        default:
          break;
      }
    } catch (error) {
      // A parser bug must not take the whole analysis down; the file is reported instead.
      const entry = fileEntry(collector, file.path, manifestKind(file.path) ?? "requirements");
      report(
        entry,
        1,
        `could not read dependencies: ${error instanceof Error ? error.message : String(error)}`,
        "error",
      );
    }
  }
  const parsedRequirements = new Set<string>();
  while (requirementQueue.length > 0) {
    const file = requirementQueue.shift() as SourceFile;
    if (parsedRequirements.has(file.path)) continue;
    parsedRequirements.add(file.path);
    try {
      parseRequirementsFile(collector, file, byPath, requirementQueue);
    } catch (error) {
      const entry = fileEntry(collector, file.path, "requirements");
      report(
        entry,
        1,
        `could not read dependencies: ${error instanceof Error ? error.message : String(error)}`,
        "error",
      );
    }
  }

  return { ...pinsOf(collector.constraints), files: [...collector.files.values()] };
}

/** Per-package pins of a set of constraints (all of a scan's, or the ones governing one file). */
export function pinsOf(constraints: readonly Constraint[]): Omit<DependencyPins, "files"> {
  const grouped = new Map<string, { declared: Constraint[]; locked: Constraint[] }>();
  for (const constraint of constraints) {
    const group = grouped.get(constraint.package) ?? { declared: [], locked: [] };
    (constraint.syntax === "lock" ? group.locked : group.declared).push(constraint);
    grouped.set(constraint.package, group);
  }
  const packages = new Map<string, PackagePins>();
  for (const [name, { declared, locked }] of grouped) {
    packages.set(name, { name, range: admittedRange(declared, locked), declared, locked });
  }
  return { packages, constraints };
}
