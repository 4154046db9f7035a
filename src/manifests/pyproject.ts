// pyproject.toml: PEP 621 `[project]` dependencies and optional dependencies, PEP 735 dependency groups, uv's
// dev and constraint dependencies; Poetry's tables are read by poetry.ts.
import type { SourceFile } from "../engine/index.js";
import { type Collector, fileEntry } from "./collector.js";
import { readPoetryTables } from "./poetry.js";
import { lineStarts } from "./spans.js";
import { addRequirementArray, parseTomlFile, table, tableOffset } from "./toml.js";

export function parsePyproject(collector: Collector, file: SourceFile) {
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
  if (poetry) readPoetryTables(collector, entry, file.text, starts, poetry);
}
