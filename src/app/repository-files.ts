// The App's view of the repository beside the change: which files of the head commit's tree the file policy
// admits, which unchanged modules the changed ones import (fetched to follow flows across files) and which
// unchanged manifests decide version gates (fetched so that the App judges `yaml.load` as `rce-guard scan`
// of the same tree does). The rules are the engine's (file-policy.ts, glob.ts, modules.ts); this only
// applies them to a tree listing.
import {
  codeText,
  type ExcludeMatcher,
  excludingPattern,
  isPythonSource,
  manifestKind,
  type ModuleEntry,
  ModuleTable,
  moduleEntryOf,
  type PrunedDirectory,
  prunedPathReason,
  readImports,
  type SourceFile,
  VIRTUAL_ENVIRONMENT_MARKER,
} from "../engine/index.js";
import type { Tree } from "../github/contents.js";

export class RepositoryFiles {
  /** The tree's Python paths the policy admits (before excludes): the project's modules. */
  readonly pythonPaths: string[];
  private readonly table: ModuleTable<ModuleEntry>;

  constructor(
    private readonly tree: Tree | undefined,
    private readonly excluders: readonly ExcludeMatcher[],
  ) {
    const paths = tree ? [...tree.blobs.keys()] : [];
    this.pythonPaths = paths.filter((path) => isPythonSource(path) && this.pruned(path) === undefined);
    this.table = new ModuleTable(
      this.pythonPaths.filter((path) => this.excludedBy(path) === undefined).map(moduleEntryOf),
      this.pythonPaths,
    );
  }

  /** Left out by the directories above it (installed code, tool directories, a virtual environment). */
  pruned(path: string): PrunedDirectory | undefined {
    const blobs = this.tree?.blobs;
    return prunedPathReason(path, (dir) => blobs?.has(`${dir}/${VIRTUAL_ENVIRONMENT_MARKER}`) ?? false);
  }

  excludedBy(path: string): string | undefined {
    return excludingPattern(this.excluders, path);
  }

  sizeOf(path: string): number | undefined {
    return this.tree?.blobs.get(path)?.size;
  }

  /** Unchanged modules the files import (directly), in the order first met; excluded ones are not fetched. */
  importedModules(files: readonly SourceFile[]): string[] {
    const have = new Set(files.map((file) => file.path));
    const wanted: string[] = [];
    for (const file of files) {
      if (!isPythonSource(file.path)) continue;
      for (const target of this.table.importedBy(
        moduleEntryOf(file.path),
        readImports(codeText(file.text)),
      )) {
        if (have.has(target.path) || wanted.includes(target.path)) continue;
        wanted.push(target.path);
      }
    }
    return wanted;
  }

  /**
   * The tree's dependency manifests outside `have` (the changed ones), shallowest first: the project's own
   * at the root come before a subproject's, so a cap leaves out the least likely to govern a file.
   */
  contextManifests(have: ReadonlySet<string>): string[] {
    const paths = this.tree ? [...this.tree.blobs.keys()] : [];
    return paths
      .filter(
        (path) =>
          !have.has(path) &&
          manifestKind(path) !== null &&
          this.pruned(path) === undefined &&
          this.excludedBy(path) === undefined,
      )
      .sort((a, b) => a.split("/").length - b.split("/").length || (a < b ? -1 : a > b ? 1 : 0));
  }
}
