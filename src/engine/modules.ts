// The scanned Python files as modules: names derived from their paths relative to the project root, and
// import resolution between them (`ModuleTable`, the one resolver).
import { PYTHON_SOURCE_EXTENSIONS } from "./file-policy.js";
import { type ImportStatement, importedModuleNames } from "./import-statements.js";
import { escapeRegex } from "./regex.js";
import type { SyntaxNode } from "./syntax.js";

export interface PythonModule extends ModuleEntry {
  /** Dotted name from the full path, e.g. `app.core.llm` (`app.core` for `app/core/__init__.py`). */
  name: string;
  path: string;
  /** The package relative imports start from. */
  packageName: string;
  text: string;
  /** Parsed when the module is first interpreted and released right after, to bound memory. */
  tree?: SyntaxNode;
  /** First syntax error, if the file does not parse cleanly. */
  syntaxError?: { line: number; column: number };
  /** Top-level module names and dotted names this module imports (for import-conditioned sinks). */
  imports: Set<string>;
  /**
   * Set by the analysis: `carrier` modules may move model output between modules, so what they import
   * from the scanned set is interpreted; other modules see imports of modules that cannot hold a finding
   * as external names (see `entryModules` in analyze.ts).
   */
  entry?: boolean;
  carrier?: boolean;
  /**
   * A module with an execution sink that carriers import: model output reaches it through parameters, so
   * the helpers it calls are interpreted too (an external name would be assumed to pass the data on).
   */
  sinkForCarriers?: boolean;
  /**
   * Imported by carriers and importing, directly or not, a sink for carriers: model output passed down
   * the chain (`optimizer` → `evaluation_utils` → `evaluator` → a benchmark's `exec`) is followed through
   * it, into the modules of the chain.
   */
  towardSinks?: boolean;
  /** Owned by the interpreter: function records and the module scope once interpreted. */
  functions: unknown[];
  scope?: unknown;
}

/** A Python source's extension (file-policy.ts lists them): not part of its module name. */
const SOURCE_EXTENSION = new RegExp(`(?:${PYTHON_SOURCE_EXTENSIONS.map(escapeRegex).join("|")})$`);

export function moduleNameOf(path: string): { name: string; packageName: string } {
  const parts = path
    .replace(/\\/g, "/")
    .replace(SOURCE_EXTENSION, "")
    // A notebook is run, never imported: a name no import statement can spell.
    .replace(/\.ipynb$/, "-ipynb")
    .split("/")
    .filter((p) => p && p !== ".");
  const isPackage = parts.at(-1) === "__init__";
  if (isPackage) parts.pop();
  const name = parts.join(".");
  const packageName = isPackage ? name : parts.slice(0, -1).join(".");
  return { name, packageName };
}

/** What resolution needs of a module: its path and the names derived from it. */
export interface ModuleEntry {
  name: string;
  path: string;
  packageName: string;
}

export function moduleEntryOf(path: string): ModuleEntry {
  return { path, ...moduleNameOf(path) };
}

const PACKAGE_INIT = /(^|\/)__init__\.pyi?$/;

/**
 * The one import resolver (the engine's interpreter and relevance filter, and the App choosing files to
 * fetch, all ask it). Its rules, Python 3's as far as a tree can tell them without knowing `sys.path`:
 * - a module never imports itself (no implicit relative imports: `import openai` in `pkg/llm/openai.py` is
 *   the installed SDK);
 * - a bare name (`import json`) is a top-level module of the project root, one directly in a source-root
 *   folder (`src/`, `lib/`, `python/`), or a neighbour when the importing file's folder is not a package
 *   (a script's folder is on `sys.path` when it runs; a package's is not);
 * - a dotted name (`app.core.llm`) is any module whose path ends with it (the source root of a monorepo's
 *   service is unknown), the one nearest the importing file first.
 * Whether a folder is a package (has an `__init__.py`) is read from `projectPaths`, every Python path of
 * the project, so that it does not depend on which of its files are analysed (the App fetches a few).
 */
export class ModuleTable<M extends ModuleEntry = PythonModule> {
  private readonly bySuffix = new Map<string, M[]>();

  /** Packages with an `__init__.py` in the project: their files are not on `sys.path` themselves. */
  private readonly packages = new Set<string>();

  constructor(
    readonly modules: readonly M[],
    projectPaths: Iterable<string> = [],
  ) {
    for (const mod of modules) {
      if (PACKAGE_INIT.test(mod.path)) this.packages.add(mod.name);
      const parts = mod.name.split(".");
      for (let i = 0; i < parts.length; i++) {
        const suffix = parts.slice(i).join(".");
        const list = this.bySuffix.get(suffix) ?? [];
        list.push(mod);
        this.bySuffix.set(suffix, list);
      }
    }
    for (const path of projectPaths) if (PACKAGE_INIT.test(path)) this.packages.add(moduleNameOf(path).name);
  }

  /** The module an import names, preferring the one nearest to the importing file. */
  find(dotted: string, from: ModuleEntry): M | undefined {
    let candidates = this.bySuffix.get(dotted);
    if (!candidates || candidates.length === 0) return undefined;
    candidates = candidates.filter((c) => c.path !== from.path);
    if (!dotted.includes(".")) {
      const parentOf = (name: string) => name.split(".").slice(0, -1).join(".");
      const siblingsVisible = from.packageName === "" || !this.packages.has(from.packageName);
      candidates = candidates.filter(
        (c) =>
          c.name === dotted ||
          (siblingsVisible && parentOf(c.name) === from.packageName) ||
          isSourceRoot(parentOf(c.name)),
      );
    }
    if (candidates.length === 0) return undefined;
    if (candidates.length === 1) return candidates[0];
    const exact = candidates.find((c) => c.name === dotted);
    if (exact) return exact;
    let best = candidates[0]!;
    let bestShared = -1;
    for (const candidate of candidates) {
      const shared = sharedPrefix(candidate.name, from.name);
      if (shared > bestShared) {
        best = candidate;
        bestShared = shared;
      }
    }
    return best;
  }

  /** The modules a file's import statements name (read by import-statements.ts), itself excluded. */
  importedBy(from: ModuleEntry, statements: readonly ImportStatement[]): M[] {
    const found: M[] = [];
    for (const name of importedModuleNames(statements, from.packageName)) {
      const target = this.find(name, from);
      if (target && !found.includes(target)) found.push(target);
    }
    return found;
  }
}

function isSourceRoot(packageName: string): boolean {
  return /(^|\.)(src|lib|python)$/.test(packageName);
}

function sharedPrefix(a: string, b: string): number {
  const x = a.split(".");
  const y = b.split(".");
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}
