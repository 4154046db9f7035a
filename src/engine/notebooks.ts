// Notebooks in and out of an analysis. Before it, each `.ipynb` becomes its code cells as one Python module
// (notebook.ts) and the changed lines of a pull request (lines of the notebook file) become lines of that
// module; after it, every location in a notebook is put back into the notebook file's coordinates, with the
// cell and the line within it. A notebook that is not valid JSON or not a notebook is named, not analysed.
import { NOTEBOOK_EXTENSION } from "./file-policy.js";
import { type NotebookCode, notebookToPython } from "./notebook.js";
import type { AnalysisResult, Diagnostic, Finding, LineRanges, Location, SourceFile } from "./types.js";

export function isNotebookPath(path: string): boolean {
  return path.endsWith(NOTEBOOK_EXTENSION);
}

export interface NotebookInputs<T> {
  /** The files with each notebook's text replaced by its Python (notebooks that cannot be read left out). */
  files: SourceFile[];
  /** The options with the changed lines of notebooks as lines of their Python. */
  options: T;
  /** The result with notebook locations in notebook coordinates and the unread notebooks named. */
  restore(result: AnalysisResult): AnalysisResult;
}

export function notebooksAsPython<T extends { changedLines?: ReadonlyMap<string, LineRanges> }>(
  files: readonly SourceFile[],
  options: T,
): NotebookInputs<T> {
  if (!files.some((f) => isNotebookPath(f.path)))
    return { files: [...files], options, restore: (result) => result };
  const { changedLines } = options;
  const maps = new Map<string, NotebookMap>();
  const unread: Diagnostic[] = [];
  const converted: SourceFile[] = [];
  for (const file of files) {
    if (!isNotebookPath(file.path)) {
      converted.push(file);
      continue;
    }
    const conversion = convert(file.text);
    if (conversion.kind === "python") {
      maps.set(file.path, new NotebookMap(file.text, conversion.code));
      converted.push({ path: file.path, text: conversion.code.python });
    } else if (conversion.kind === "other-language") {
      unread.push({
        path: file.path,
        severity: "note",
        message: `skipped: a ${conversion.language} notebook, not Python`,
      });
    } else {
      unread.push({
        path: file.path,
        severity: "warning",
        message: `not analysed: ${conversion.reason}`,
        incomplete: "file",
      });
    }
  }
  let withLines = options;
  if (changedLines) {
    const translated = new Map(changedLines);
    for (const [path, map] of maps) {
      const ranges = changedLines.get(path);
      if (ranges) translated.set(path, map.changedCodeLines(ranges));
    }
    withLines = { ...options, changedLines: translated };
  }
  const restoreLocation = (location: Location): Location =>
    maps.get(location.path)?.toNotebook(location) ?? location;
  const restoreFinding = (finding: Finding): Finding => {
    if (!maps.has(finding.location.path)) return finding;
    // A fix's edits are spans of Python; applied to the notebook's JSON they would corrupt it.
    const { fix: _fix, ...rest } = finding;
    const map = maps.get(finding.location.path) as NotebookMap;
    return {
      ...rest,
      message: map.renameLines(finding.message),
      location: restoreLocation(finding.location),
      trace: finding.trace.map((step) => ({ ...step, location: restoreLocation(step.location) })),
      ...(finding.suppression
        ? { suppression: { ...finding.suppression, location: restoreLocation(finding.suppression.location) } }
        : {}),
    };
  };
  return {
    files: converted,
    options: withLines,
    restore: (result) => ({
      ...result,
      findings: result.findings.map(restoreFinding),
      suppressed: result.suppressed.map(restoreFinding),
      diagnostics: [
        ...unread,
        ...result.diagnostics.map((d) => {
          const map = maps.get(d.path);
          return map && d.line !== undefined ? map.toNotebookDiagnostic(d, d.line) : d;
        }),
      ],
    }),
  };
}

/** Positions in a notebook's Python module and in the notebook file, both ways. */
class NotebookMap {
  private readonly codeLineStarts: number[];
  private readonly fileLineStarts: number[];

  constructor(
    text: string,
    private readonly code: NotebookCode,
  ) {
    this.codeLineStarts = lineStarts(code.python);
    this.fileLineStarts = lineStarts(text);
  }

  /** The module's lines whose code is on a changed line of the notebook file. */
  changedCodeLines(fileRanges: LineRanges): LineRanges {
    const changed = (line: number) => fileRanges.some(([from, to]) => line >= from && line <= to);
    const ranges: [number, number][] = [];
    for (let line = 1; line <= this.code.cellLines.length; line++) {
      if (!changed(this.fileLine(this.fileOffset(line, 1)))) continue;
      const last = ranges.at(-1);
      if (last && last[1] === line - 1) last[1] = line;
      else ranges.push([line, line]);
    }
    return ranges;
  }

  toNotebook(location: Location): Location {
    const start = this.fileOffset(location.startLine, location.startColumn);
    const end = this.fileOffset(location.endLine, location.endColumn, true);
    const startCell = this.code.cellLines[location.startLine - 1];
    const endCell = this.code.cellLines[location.endLine - 1];
    if (!startCell || !endCell) return location;
    return {
      path: location.path,
      startLine: this.fileLine(start),
      startColumn: start - (this.fileLineStarts[this.fileLine(start) - 1] as number) + 1,
      endLine: this.fileLine(end),
      endColumn: end - (this.fileLineStarts[this.fileLine(end) - 1] as number) + 1,
      cell: {
        cell: startCell.cell,
        startLine: startCell.line,
        startColumn: location.startColumn,
        endLine: endCell.cell === startCell.cell ? endCell.line : startCell.line,
        endColumn: endCell.cell === startCell.cell ? location.endColumn : location.startColumn,
      },
    };
  }

  /** "(line 18)" in a rule's message names a line of the joined module: "(cell 3 line 8)" instead. */
  renameLines(message: string): string {
    return message.replace(/\bline (\d+)\b/g, (words, line: string) => {
      const cell = this.code.cellLines[Number(line) - 1];
      return cell ? `cell ${cell.cell} line ${cell.line}` : words;
    });
  }

  toNotebookDiagnostic(diagnostic: Diagnostic, line: number): Diagnostic {
    const cell = this.code.cellLines[line - 1];
    if (!cell) return diagnostic;
    return {
      ...diagnostic,
      line: this.fileLine(this.fileOffset(line, 1)),
      message: `${diagnostic.message} (line ${line} of the code cells joined: cell ${cell.cell}, line ${cell.line})`,
    };
  }

  /**
   * The offset in the notebook of a module position (1-based line and column, clamped to the line). With
   * `last`, of the last raw character that wrote it (an escape such as `\"` is two).
   */
  private fileOffset(line: number, column: number, last = false): number {
    const lineStart = this.codeLineStarts[Math.min(line, this.codeLineStarts.length) - 1] ?? 0;
    const lineEnd = this.code.python.indexOf("\n", lineStart);
    const at = Math.max(lineStart, Math.min(lineStart + column - 1, lineEnd < 0 ? lineStart : lineEnd));
    const offset = this.code.offsets[at] ?? 0;
    const next = this.code.offsets[at + 1];
    return last && at < lineEnd && next !== undefined && next > offset ? next - 1 : offset;
  }

  private fileLine(offset: number): number {
    const starts = this.fileLineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** The engine never throws: a failure of the conversion itself costs that notebook, named. */
function convert(text: string): ReturnType<typeof notebookToPython> {
  try {
    return notebookToPython(text);
  } catch (error) {
    return {
      kind: "invalid",
      reason: `internal error while reading the notebook: ${(error as Error).message}`,
    };
  }
}
