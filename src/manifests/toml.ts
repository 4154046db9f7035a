// TOML manifests (pyproject.toml, Pipfile, lock files). The TOML parser gives values without positions, so
// positions are found again in the text: each table's header, then each key or string in document order.
import { posix } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import {
  ANY_VERSION,
  escapeRegex,
  type ManifestFile,
  normalizePackageName,
  pep440ToSemverRange,
} from "../engine/index.js";
import { addRequirement, type Collector, report } from "./collector.js";
import { poetryToSemverRange } from "./poetry.js";
import { position, spanOf } from "./spans.js";

export function tableOffset(text: string, path: readonly string[], arrayOfTables = false): number {
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

export type TomlTable = Record<string, unknown>;

export function isTable(value: unknown): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function table(root: unknown, path: readonly string[]): TomlTable | null {
  let node: unknown = root;
  for (const key of path) node = isTable(node) ? node[key] : undefined;
  return isTable(node) ? node : null;
}

export function parseTomlFile(entry: ManifestFile, text: string): TomlTable | null {
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
export function addRequirementArray(
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
export function addKeyedDependencies(
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
