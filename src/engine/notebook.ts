// A Jupyter notebook's code as one Python module. A kernel runs the code cells in one namespace, top to
// bottom, so a value a model returns in cell 1 and a helper defined in cell 2 reach an `exec` in cell 3:
// the cells are joined in order and analysed as one file. IPython's own syntax is not Python: line magics
// (`%pip install x`), shell escapes (`!ls`, `files = !ls`) become `pass` at their indentation, and a cell
// under a cell magic (`%%bash`, `%%html`) is blanked, so the rest parses and keeps its line numbers. Each
// character of the result remembers where it came from in the .ipynb, so findings can point at the cell
// and line a reader sees and at the line of the notebook file GitHub shows. Pure: text in, text out.
import { decodeWithOffsets, jsonPositions, type PositionNode } from "./json-positions.js";

export interface NotebookCode {
  /** The code cells joined, one line per line of source, magics replaced. */
  python: string;
  /** Per line of `python` (index: line - 1): its cell (1-based, counting every cell) and line in that cell. */
  cellLines: { cell: number; line: number }[];
  /** Per UTF-16 unit of `python`: the offset in the notebook text of the character it stands for. */
  offsets: Int32Array;
}

export type NotebookConversion =
  | { kind: "python"; code: NotebookCode }
  /** A notebook of another kernel's language (R, Julia): not Python, like a .R file. */
  | { kind: "other-language"; language: string }
  | { kind: "invalid"; reason: string };

/**
 * Cell magics whose body is Python that the kernel runs (timed, captured, profiled): only their first line
 * is IPython syntax. Blanking such a cell would hide code that runs.
 */
const PYTHON_CELL_MAGICS = new Set(["time", "timeit", "capture", "prun"]);

const LINE_MAGIC = /^(\s*)(?:[%!]|[A-Za-z_][\w.]*\s*=\s*[%!])/;

export function notebookToPython(text: string): NotebookConversion {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { kind: "invalid", reason: `not valid JSON (${(error as Error).message})` };
  }
  if (!isObject(document)) return { kind: "invalid", reason: "not a notebook (the JSON is not an object)" };
  const language = kernelLanguage(document);
  if (language !== undefined && language.toLowerCase() !== "python")
    return { kind: "other-language", language };

  let positions: PositionNode;
  try {
    positions = jsonPositions(text);
  } catch {
    return { kind: "invalid", reason: "nested too deeply to read" };
  }
  const cells = cellList(document, positions);
  if (typeof cells === "string") return { kind: "invalid", reason: cells };

  const out: string[] = [];
  const offsets: number[] = [];
  const cellLines: { cell: number; line: number }[] = [];
  for (const [index, { cell, position, sourceKey }] of cells.entries()) {
    if (cell.cell_type !== "code") continue;
    const source = cell[sourceKey];
    const node = position.kind === "object" ? position.members.get(sourceKey) : undefined;
    const strings = sourceStrings(source, node);
    if (!strings) return { kind: "invalid", reason: `cell ${index + 1}: "${sourceKey}" is not text` };
    const lines = splitLines(text, strings);
    const magic = /^%%(\w+)/.exec(lines[0]?.chars.join("") ?? "");
    const blankCell = magic !== null && !PYTHON_CELL_MAGICS.has(magic[1] as string);
    for (const [lineIndex, line] of lines.entries()) {
      const lineText = line.chars.join("");
      const replaced = blankCell || (magic && lineIndex === 0) ? "" : magicReplacement(lineText);
      if (replaced === undefined) {
        out.push(lineText);
        for (const offset of line.offsets) offsets.push(offset);
      } else {
        // Every character of a replaced line stands for the line's start.
        out.push(replaced);
        for (let i = 0; i < replaced.length; i++) offsets.push(line.start);
      }
      out.push("\n");
      offsets.push(line.end);
      cellLines.push({ cell: index + 1, line: lineIndex + 1 });
    }
  }
  return { kind: "python", code: { python: out.join(""), cellLines, offsets: Int32Array.from(offsets) } };
}

/** `pass` at the line's indentation for IPython syntax (so a block holding only a magic still parses). */
function magicReplacement(line: string): string | undefined {
  const match = LINE_MAGIC.exec(line);
  return match ? `${match[1]}pass` : undefined;
}

interface SourceLine {
  chars: string[];
  offsets: number[];
  /** Offsets of the line's first character and of its end (the newline, or just past the last character). */
  start: number;
  end: number;
}

/** A cell's source (one string, or a list of strings that concatenate) as lines with their offsets. */
function splitLines(text: string, strings: readonly number[]): SourceLine[] {
  const lines: SourceLine[] = [];
  let current: SourceLine | undefined;
  let last = strings[0] ?? 0;
  for (const offset of strings) {
    const decoded = decodeWithOffsets(text, offset);
    for (const [i, char] of decoded.chars.entries()) {
      const at = decoded.offsets[i] as number;
      last = at;
      current ??= { chars: [], offsets: [], start: at, end: at };
      // CPython reads \r\n and a lone \r as line breaks.
      if (char === "\r" && decoded.chars[i + 1] === "\n") continue;
      if (char === "\n" || char === "\r") {
        current.end = at;
        lines.push(current);
        current = undefined;
        continue;
      }
      current.chars.push(char);
      current.offsets.push(at);
      current.end = at;
    }
  }
  if (current) lines.push(current);
  else if (lines.length === 0) lines.push({ chars: [], offsets: [], start: last, end: last });
  return lines;
}

/** The offsets of a source's strings, or undefined when it is neither a string nor a list of strings. */
function sourceStrings(source: unknown, node: PositionNode | undefined): number[] | undefined {
  if (typeof source === "string" && node?.kind === "string") return [node.offset];
  if (!Array.isArray(source) || node?.kind !== "array" || !source.every((s) => typeof s === "string"))
    return undefined;
  const offsets: number[] = [];
  for (const item of node.items) {
    if (item.kind !== "string") return undefined;
    offsets.push(item.offset);
  }
  return offsets;
}

type Cell = Record<string, unknown>;

/**
 * Every cell in order with its position node: `cells` (nbformat 4), or the cells of each worksheet
 * (nbformat 3, whose code is under `input`). A string says why the document is not a notebook.
 */
function cellList(
  document: Record<string, unknown>,
  positions: PositionNode,
): { cell: Cell; position: PositionNode; sourceKey: string }[] | string {
  const member = (node: PositionNode | undefined, key: string) =>
    node?.kind === "object" ? node.members.get(key) : undefined;
  const itemsOf = (node: PositionNode | undefined) => (node?.kind === "array" ? node.items : []);
  const list: { cell: Cell; position: PositionNode; sourceKey: string }[] = [];
  const add = (cells: unknown, node: PositionNode | undefined, sourceKey: string): string | undefined => {
    if (!Array.isArray(cells)) return "not a notebook (no list of cells)";
    const nodes = itemsOf(node);
    for (const [i, cell] of cells.entries()) {
      const position = nodes[i];
      if (!isObject(cell) || !position) return `not a notebook (cell ${list.length + 1} is not an object)`;
      list.push({ cell, position, sourceKey });
    }
    return undefined;
  };
  if ("cells" in document) return add(document.cells, member(positions, "cells"), "source") ?? list;
  if (!Array.isArray(document.worksheets)) return "not a notebook (no cells)";
  const sheets = itemsOf(member(positions, "worksheets"));
  for (const [i, sheet] of document.worksheets.entries()) {
    const problem = isObject(sheet)
      ? add(sheet.cells, member(sheets[i], "cells"), "input")
      : "not a notebook";
    if (problem) return problem;
  }
  return list;
}

function kernelLanguage(document: Record<string, unknown>): string | undefined {
  const metadata = isObject(document.metadata) ? document.metadata : {};
  const info = isObject(metadata.language_info) ? metadata.language_info.name : undefined;
  const kernel = isObject(metadata.kernelspec) ? metadata.kernelspec.language : undefined;
  const language = info ?? kernel ?? metadata.language;
  return typeof language === "string" ? language : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
