// tree-sitter-python behind one function. Parsing never fails: syntax errors become ERROR/MISSING nodes,
// which we count and report while the rest of the tree is analysed as usual.
//
// Two ways to the same tree: the native tree export (native/, one call per file) when it is built, and a
// cursor walk through the tree-sitter binding (one call per node and property) when it is not. A test
// checks they give identical trees.
import { treeExport } from "@rce-guard/tree-export";
import Parser from "tree-sitter";
import Python from "tree-sitter-python";
import {
  type CopiedTree,
  copyTree,
  type ExportedTree,
  type LanguageNames,
  treeFromRecords,
} from "./syntax.js";

let parser: Parser | undefined;

function pythonParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Python as unknown as Parser.Language);
  }
  return parser;
}

export type ParsedFile = CopiedTree;

// The binding's default buffer is small; tree-sitter reads long files in chunks through a callback.
const CHUNK = 64 * 1024;

/** The tree through the tree-sitter binding and a cursor walk. */
export function parsePythonWithCursor(text: string): ParsedFile {
  const tree =
    text.length < CHUNK
      ? pythonParser().parse(text)
      : pythonParser().parse((index: number) => text.slice(index, index + CHUNK));
  return copyTree(tree, text);
}

let languageNames: LanguageNames | undefined;

/** Thrown when a parse runs past its time limit (the native export only; the cursor walk has none). */
export class ParseTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`parsing took longer than ${Math.round(timeoutMs)} ms`);
  }
}

/**
 * The tree through the native export, or undefined when the addon is not built. With `timeoutMs`, a parse
 * that runs past it throws ParseTimeout.
 */
export function parsePythonWithExport(text: string, timeoutMs?: number): ParsedFile | undefined {
  if (!treeExport) return undefined;
  const exported = treeExport.exportTree(
    Python,
    text,
    timeoutMs !== undefined && timeoutMs > 0 ? Math.max(1, timeoutMs) : undefined,
  );
  if (!exported) throw new ParseTimeout(timeoutMs ?? 0);
  return treeFromExport(exported, text);
}

/** The tree from records the addon produced (here or on another thread) for `text`. */
export function treeFromExport(exported: ExportedTree, text: string): ParsedFile | undefined {
  if (!treeExport) return undefined;
  languageNames ??= { symbols: treeExport.symbolNames(Python), fields: treeExport.fieldNames(Python) };
  return treeFromRecords(exported, languageNames, text);
}

/** Which of the two the engine uses here (reported by the benchmark). */
export const treeSource: "native export" | "cursor walk" = treeExport ? "native export" : "cursor walk";

export function parsePython(text: string, timeoutMs?: number): ParsedFile {
  return parsePythonWithExport(text, timeoutMs) ?? parsePythonWithCursor(text);
}
