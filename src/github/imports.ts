// Local modules a Python file imports, resolved against the repository tree at the head commit, so that
// flows crossing files (a helper returning model output, a wrapper around exec) are seen by the engine.
// Textual on purpose: the App never imports or evaluates repository code, and a missed import only
// narrows the analysis.
import { posix } from "node:path";

export interface ImportRef {
  /** Leading dots of a relative import (0 for absolute). */
  level: number;
  /** Dotted module path, possibly empty for `from . import x`. */
  module: string;
  /** Names imported with `from m import a, b` (they may be submodules). */
  names: string[];
}

const IMPORT = /^[ \t]*import[ \t]+([^\n#;]+)/gm;
const FROM_IMPORT = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]+)/gm;

export function extractImports(text: string): ImportRef[] {
  const refs: ImportRef[] = [];
  for (const match of text.matchAll(IMPORT)) {
    for (const part of (match[1] ?? "").split(",")) {
      const module = part.trim().split(/\s+/)[0] ?? "";
      if (/^[A-Za-z_][\w.]*$/.test(module)) refs.push({ level: 0, module, names: [] });
    }
  }
  for (const match of text.matchAll(FROM_IMPORT)) {
    const names = (match[3] ?? "")
      .replace(/[()\\]/g, " ")
      .split(",")
      .map((n) => n.trim().split(/\s+/)[0] ?? "")
      .filter((n) => /^[A-Za-z_]\w*$/.test(n));
    refs.push({ level: (match[1] ?? "").length, module: match[2] ?? "", names });
  }
  return refs;
}

/**
 * Repository paths a file's imports refer to, among `pythonPaths` (the `.py` files of the tree). Absolute
 * imports are tried from the repository root, from `src/`, and from every directory above the importing
 * file (scripts run from their own folder); relative imports from the file's package.
 */
export function resolveImports(
  importer: string,
  refs: readonly ImportRef[],
  pythonPaths: ReadonlySet<string>,
): string[] {
  const dir = posix.dirname(importer);
  const roots = new Set<string>(["", "src"]);
  for (let d = dir; d !== "." && d !== "/" && d !== ""; d = posix.dirname(d)) roots.add(d);
  const found = new Set<string>();
  const tryModule = (base: string, dotted: string) => {
    const rel = dotted.split(".").filter(Boolean).join("/");
    const stem = base && rel ? `${base}/${rel}` : base || rel;
    if (!stem) {
      const init = "__init__.py";
      if (pythonPaths.has(init)) found.add(init);
      return false;
    }
    for (const candidate of [`${stem}.py`, `${stem}/__init__.py`]) {
      if (pythonPaths.has(candidate)) {
        found.add(candidate);
        return true;
      }
    }
    return false;
  };
  for (const ref of refs) {
    if (ref.level > 0) {
      let base = dir === "." ? "" : dir;
      for (let i = 1; i < ref.level; i++) base = posix.dirname(base) === "." ? "" : posix.dirname(base);
      tryModule(base, ref.module);
      for (const name of ref.names) tryModule(base, ref.module ? `${ref.module}.${name}` : name);
      continue;
    }
    for (const root of roots) {
      // `from pkg import mod` may name a submodule, and `pkg` may be a namespace package (no __init__.py).
      let hit = tryModule(root, ref.module);
      for (const name of ref.names) hit = tryModule(root, `${ref.module}.${name}`) || hit;
      if (hit) break;
    }
  }
  found.delete(importer);
  return [...found];
}
