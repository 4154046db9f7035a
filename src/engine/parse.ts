// tree-sitter-python behind one function. Parsing never fails: syntax errors become ERROR/MISSING nodes,
// which we count and report while the rest of the tree is analysed as usual.
import Parser from "tree-sitter";
import Python from "tree-sitter-python";
import { type CopiedTree, copyTree } from "./syntax.js";

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

export function parsePython(text: string): ParsedFile {
  const tree =
    text.length < CHUNK
      ? pythonParser().parse(text)
      : pythonParser().parse((index: number) => text.slice(index, index + CHUNK));
  return copyTree(tree, text);
}

