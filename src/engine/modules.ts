// The scanned Python files as modules: names derived from paths, and import resolution between them.
// The source root is unknown (src/ layouts, monorepos), so a file is reachable by every suffix of its
// dotted path: `app/core/llm.py` answers to `app.core.llm`, `core.llm` and `llm`.
import type { SyntaxNode } from "./syntax.js";

export interface PythonModule {
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
  /** Owned by the interpreter: function records and the module scope once interpreted. */
  functions: unknown[];
  scope?: unknown;
}

export function moduleNameOf(path: string): { name: string; packageName: string } {
  const parts = path
    .replace(/\\/g, "/")
    .replace(/\.pyi?$/, "")
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

export class ModuleTable {
  private readonly bySuffix = new Map<string, PythonModule[]>();

  /** Packages with an `__init__.py` in the scanned set: their files are not on `sys.path` themselves. */
  private readonly packages = new Set<string>();

  constructor(readonly modules: readonly PythonModule[]) {
    for (const mod of modules) {
      if (/(^|\/)__init__\.pyi?$/.test(mod.path)) this.packages.add(mod.name);
      const parts = mod.name.split(".");
      for (let i = 0; i < parts.length; i++) {
        const suffix = parts.slice(i).join(".");
        const list = this.bySuffix.get(suffix) ?? [];
        list.push(mod);
        this.bySuffix.set(suffix, list);
      }
    }
  }

  /** The scanned module an import names, preferring the one nearest to the importing file. */
  find(dotted: string, from: PythonModule): PythonModule | undefined {
    let candidates = this.bySuffix.get(dotted);
    if (!candidates || candidates.length === 0) return undefined;
    // A module never imports itself: Python 3 has no implicit relative imports, so `import openai` in
    // `pkg/llm/openai.py` names the installed SDK, not that file.
    candidates = candidates.filter((c) => c !== from);
    if (!dotted.includes(".")) {
      // `import json` means a top-level json.py, or a sibling when the importing file's folder is on
      // `sys.path` (a script's folder: not a package with an `__init__.py`); never some deeper `utils/json.py`.
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
