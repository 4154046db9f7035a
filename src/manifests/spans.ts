// Positions in a manifest's text: a requirement's line and the span a fix rewrites.
import type { Span } from "../engine/index.js";

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return starts;
}

/** 1-based line and column of a character offset. */
export function position(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
}

export function spanOf(starts: readonly number[], from: number, to: number): Span {
  const start = position(starts, from);
  const end = position(starts, Math.max(from, to - 1));
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}
