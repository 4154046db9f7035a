// Dependency manifests and lock files read into pins, one reader per format. Out of the engine: the
// composition root (src/run-analysis.ts) reads the files' manifests here and passes the pins to the engine as an
// input. Pure: texts in, pins out (no I/O); never throws.
import { posix } from "node:path";
import { type DependencyPins, manifestKind, pinsOf, type SourceFile } from "../engine/index.js";
import { type Collector, fileEntry, report } from "./collector.js";
import { parseLockFile } from "./locks.js";
import { parsePipfile } from "./pipfile.js";
import { parsePyproject } from "./pyproject.js";
import { parseRequirementsFile } from "./requirements.js";
import { parseSetupCfg } from "./setup-cfg.js";

export { type ParsedRequirement, parsePep508 } from "./pep508.js";
export { poetryToSemverRange } from "./poetry.js";

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
