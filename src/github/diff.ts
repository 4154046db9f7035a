// Which lines of a file a pull request added, and which lines GitHub lets a review comment on.
// Both come from the unified `patch` GitHub returns per file; when GitHub omits it (large diffs),
// the added lines are recomputed from the base and head texts.
import type { LineRanges } from "../engine/index.js";

export interface HunkMap {
  /** RIGHT-side lines the PR added or changed. */
  added: LineRanges;
  /** Every RIGHT-side line shown in the diff (added or context) → index of its hunk. */
  hunkOf: ReadonlyMap<number, number>;
}

export const EMPTY_HUNK_MAP: HunkMap = { added: [], hunkOf: new Map() };

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

export function parsePatch(patch: string): HunkMap {
  const added: number[] = [];
  const hunkOf = new Map<number, number>();
  let hunk = -1;
  let line = 0;
  // Counting the RIGHT side down guards against a trailing empty string being read as a context line.
  let rightLeft = 0;
  for (const raw of patch.split("\n")) {
    const header = HUNK_HEADER.exec(raw);
    if (header) {
      hunk += 1;
      line = Number(header[1]);
      rightLeft = header[2] === undefined ? 1 : Number(header[2]);
      continue;
    }
    if (hunk < 0 || raw.startsWith("\\")) continue;
    const marker = raw[0];
    if (marker === "-") continue;
    if (rightLeft <= 0) continue;
    if (marker === "+") added.push(line);
    else if (marker !== " " && raw !== "") continue;
    hunkOf.set(line, hunk);
    line += 1;
    rightLeft -= 1;
  }
  return { added: toRanges(added), hunkOf };
}

/** Collapses ascending line numbers into inclusive ranges. */
export function toRanges(lines: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const n of lines) {
    const last = ranges[ranges.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else if (!last || n > last[1]) ranges.push([n, n]);
  }
  return ranges;
}

export function inRanges(line: number, ranges: LineRanges): boolean {
  return ranges.some(([a, b]) => line >= a && line <= b);
}

export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Beyond this many edits the diff stops being worth computing exactly; the changed middle counts as added. */
const MAX_EDIT_DISTANCE = 4000;

/**
 * Lines of `head` that are not in `base` (Myers' O(ND) diff over lines, after trimming the common prefix
 * and suffix). Used when GitHub omits a file's patch; no lines are commentable then.
 */
export function addedLines(base: string, head: string): [number, number][] {
  const a = splitLines(base);
  const b = splitLines(head);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const inserted = myersInserted(a.slice(start, endA), b.slice(start, endB));
  const lines: number[] = [];
  for (let i = 0; i < endB - start; i++) {
    if (inserted === undefined || inserted[i]) lines.push(start + i + 1);
  }
  return toRanges(lines);
}

function myersInserted(a: readonly string[], b: readonly string[]): boolean[] | undefined {
  const n = a.length;
  const m = b.length;
  const inserted = new Array<boolean>(m).fill(false);
  if (n === 0) return inserted.fill(true);
  if (m === 0) return inserted;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (next[offset + k - 1] ?? 0) < (next[offset + k + 1] ?? 0))) {
        x = next[offset + k + 1] ?? 0;
      } else {
        x = (next[offset + k - 1] ?? 0) + 1;
      }
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(next);
        backtrack(trace, offset, n, m, inserted);
        return inserted;
      }
    }
    v = next;
  }
  return undefined;
}

function backtrack(trace: Int32Array[], offset: number, n: number, m: number, inserted: boolean[]): void {
  let x = n;
  let y = m;
  // trace[d + 1] holds V after round d; trace[d] the V that round d started from.
  for (let d = trace.length - 2; d > 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
    }
    if (down) inserted[prevY] = true;
    x = prevX;
    y = prevY;
  }
}
