// Pipfile: `[packages]` and `[dev-packages]`, PEP 440 specifiers keyed by name.
import type { SourceFile } from "../engine/index.js";
import { type Collector, fileEntry } from "./collector.js";
import { lineStarts } from "./spans.js";
import { addKeyedDependencies, parseTomlFile, table } from "./toml.js";

export function parsePipfile(collector: Collector, file: SourceFile) {
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
