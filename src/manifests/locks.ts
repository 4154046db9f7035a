// Lock files (uv.lock, poetry.lock): the exact version of each `[[package]]`, which decides what is installed.
import { ANY_VERSION, normalizePackageName, pep440ToSemver, type SourceFile } from "../engine/index.js";
import { type Collector, fileEntry, report } from "./collector.js";
import { lineStarts, position, spanOf } from "./spans.js";
import { isTable, parseTomlFile } from "./toml.js";

export function parseLockFile(collector: Collector, file: SourceFile, kind: "uv.lock" | "poetry.lock") {
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
