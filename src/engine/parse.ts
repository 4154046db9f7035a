// tree-sitter-python behind one function. Parsing never fails: syntax errors become ERROR/MISSING nodes,
// which we count and report while the rest of the tree is analysed as usual.
import Parser from "tree-sitter";
import Python from "tree-sitter-python";

let parser: Parser | undefined;

function pythonParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Python as unknown as Parser.Language);
  }
  return parser;
}

export interface ParsedFile {
  tree: Parser.Tree;
  /** First syntax error, 1-based line, when the file does not parse cleanly. */
  firstError?: { line: number; column: number };
}

// The binding's default buffer is small; tree-sitter reads long files in chunks through a callback.
const CHUNK = 64 * 1024;

export function parsePython(text: string): ParsedFile {
  const tree =
    text.length < CHUNK
      ? pythonParser().parse(text)
      : pythonParser().parse((index: number) => text.slice(index, index + CHUNK));
  const root = tree.rootNode;
  if (!root.hasError) return { tree };
  const error = findFirstError(root);
  return error ? { tree, firstError: error } : { tree };
}

function findFirstError(node: Parser.SyntaxNode): { line: number; column: number } | undefined {
  if (node.isError || node.isMissing) return { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
  for (const child of node.children) {
    if (!child.hasError && !child.isMissing) continue;
    const found = findFirstError(child);
    if (found) return found;
  }
  return undefined;
}
