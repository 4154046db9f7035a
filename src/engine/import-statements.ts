// The one text reader of import statements: which modules a file imports, read before anything is parsed.
// The engine's relevance filter uses it to link modules (which files to parse at all), and the App to
// choose which unchanged files of a repository to fetch as context. Both then resolve the names with
// modules.ts, so they agree on what a file imports. (The interpreter reads imports from the syntax tree,
// and resolves them with modules.ts too.)
//
// Read from the code only (clues.ts `codeText`: comments and string contents blanked), so an import in a
// docstring or a comment is not taken for one. Textual on purpose: nothing is imported or evaluated, and a
// missed import only narrows the analysis.

export interface ImportStatement {
  /** Leading dots of a relative import (0 for an absolute one). */
  level: number;
  /** The dotted module after `import`, or after `from` (possibly empty for `from . import x`). */
  module: string;
  /** Names imported by `from m import a, b` (each may be a submodule); empty for `import m`. */
  names: string[];
}

const IMPORT_STATEMENT = /^[ \t]*(?:from|import)\b/;
const IMPORT = /^[ \t]*import[ \t]+(.*)$/s;
const FROM_IMPORT = /^[ \t]*from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import\b(.*)$/s;
const DOTTED = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;
const NAME = /^[A-Za-z_]\w*$/;

/**
 * The import statements of `code` (a file's code text, see clues.ts `codeText`). Found from each `import`
 * word, so a file that imports little costs little; a parenthesised name list continues over lines, a
 * backslash continues a line, and `;` separates statements.
 */
export function readImports(code: string): ImportStatement[] {
  const statements: ImportStatement[] = [];
  for (let at = code.indexOf("import"); at >= 0; ) {
    let start = code.lastIndexOf("\n", at) + 1;
    // A line continued from the one above (`from x \` then `import y`) starts there.
    while (start > 1 && code[start - 2] === "\\") start = code.lastIndexOf("\n", start - 2) + 1;
    let end = logicalLineEnd(code, start);
    const line = code.slice(start, end);
    if (IMPORT_STATEMENT.test(line)) {
      for (const part of line.split(";")) {
        const statement = parseStatement(part.replace(/\\\r?\n/g, " "));
        if (statement) statements.push(...statement);
      }
    }
    if (end >= code.length) break;
    end = Math.max(end, at + 6);
    at = code.indexOf("import", end);
  }
  return statements;
}

/** End of the logical line starting at `start`: past backslash continuations and an open parenthesis. */
function logicalLineEnd(code: string, start: number): number {
  let end = start;
  for (;;) {
    const newline = code.indexOf("\n", end);
    const lineEnd = newline < 0 ? code.length : newline;
    const line = code.slice(start, lineEnd);
    const open = line.lastIndexOf("(");
    if (open >= 0 && line.indexOf(")", open) < 0 && /^[ \t]*from\b/.test(line)) {
      const close = code.indexOf(")", lineEnd);
      return close < 0 ? code.length : close + 1;
    }
    if (newline >= 0 && /\\\r?$/.test(line)) {
      end = newline + 1;
      continue;
    }
    return lineEnd;
  }
}

function parseStatement(text: string): ImportStatement[] | undefined {
  const from = FROM_IMPORT.exec(text);
  if (from) {
    const module = from[2] ?? "";
    if (module !== "" && !DOTTED.test(module)) return undefined;
    const names = (from[3] ?? "")
      .replace(/[()]/g, " ")
      .split(",")
      .map((name) => name.trim().split(/\s+/)[0] ?? "")
      .filter((name) => NAME.test(name));
    return [{ level: (from[1] ?? "").length, module, names }];
  }
  const plain = IMPORT.exec(text);
  if (!plain) return undefined;
  const statements: ImportStatement[] = [];
  for (const part of (plain[1] ?? "").split(",")) {
    const module = part.trim().split(/\s+/)[0] ?? "";
    if (DOTTED.test(module)) statements.push({ level: 0, module, names: [] });
  }
  return statements;
}

/**
 * The absolute module names a file's imports may name: `import a.b` names `a.b`; `from a import b` names `a`
 * and `a.b` (b may be a submodule); relative imports are made absolute from `packageName`, the package the
 * importing file belongs to (one that climbs above the top starts there: the scanned tree's top need not be
 * the project's).
 */
export function importedModuleNames(statements: readonly ImportStatement[], packageName: string): string[] {
  const names: string[] = [];
  for (const statement of statements) {
    if (statement.names.length === 0 && statement.level === 0) {
      names.push(statement.module);
      continue;
    }
    let base = statement.module;
    if (statement.level > 0) {
      const pkg = packageName.split(".").filter(Boolean);
      const kept = Math.max(0, pkg.length - (statement.level - 1));
      base = [...pkg.slice(0, kept), ...(base ? [base] : [])].join(".");
    }
    if (base) names.push(base);
    for (const name of statement.names) names.push(base ? `${base}.${name}` : name);
  }
  return names;
}
