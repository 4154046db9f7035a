// Poetry: its constraint syntax (^ and ~ ranges, bare versions, `||` alternatives, comma or space separated
// clauses) translated to semver ranges, and its dependency tables in pyproject.toml.
import { type ManifestFile, pep440ToSemverRange, unionRanges } from "../engine/index.js";
import type { Collector } from "./collector.js";
import { addKeyedDependencies, type TomlTable, table } from "./toml.js";

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

/** `[tool.poetry]` dependencies, dev-dependencies and groups (the `python` entry is not a package). */
export function readPoetryTables(
  collector: Collector,
  entry: ManifestFile,
  text: string,
  starts: readonly number[],
  poetry: TomlTable,
) {
  const keyed = (tablePath: string[], dependencies: TomlTable | null) => {
    if (dependencies) addKeyedDependencies(collector, entry, text, starts, tablePath, dependencies, "poetry");
  };
  keyed(["tool", "poetry", "dependencies"], table(poetry, ["dependencies"]));
  keyed(["tool", "poetry", "dev-dependencies"], table(poetry, ["dev-dependencies"]));
  for (const [group, body] of Object.entries(table(poetry, ["group"]) ?? {})) {
    keyed(["tool", "poetry", "group", group, "dependencies"], table(body, ["dependencies"]));
  }
}
